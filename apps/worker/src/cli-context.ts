import { loadConfig, type WorkerConfig } from "./config.ts";

/** Exit codes of every command. */
export const EXIT_CODES = {
  /** The command did what it was asked. */
  ok: 0,
  /** It ran but failed (a broker or store unreachable, a file that could not be processed). */
  failure: 1,
  /** Bad arguments or configuration; nothing was done. */
  usage: 2,
} as const;

/** A mistake in the command line (exit code 2). */
export class UsageError extends Error {
  override readonly name: string = "UsageError";
}

/** A command that ran but did not fully succeed; the message has been printed already (exit code 1). */
export class CommandFailed extends Error {
  override readonly name: string = "CommandFailed";
}

/** A writable text stream (stdout, stderr or a test double). */
export interface TextOutput {
  write(chunk: string): unknown;
  /** True when a person is watching (progress bars are drawn only then). */
  readonly isTTY?: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
}

/** What a command may touch of the outside world: the entry point passes the real ones. */
export interface CliContext {
  /** The environment (only the entry point reads `process.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  /** Working directory relative paths resolve against. */
  readonly cwd: string;
  /** Aborted on SIGTERM/SIGINT. */
  readonly signal: AbortSignal;
}

const loaded = new WeakMap<CliContext, WorkerConfig>();

/** The configuration, parsed once per context; unknown-variable warnings go to stderr. */
export function configOf(ctx: CliContext): WorkerConfig {
  const cached = loaded.get(ctx);
  if (cached) return cached;
  const { config, warnings } = loadConfig(ctx.env);
  for (const warning of warnings) ctx.stderr.write(`warning: ${warning}\n`);
  loaded.set(ctx, config);
  return config;
}

/** Parses a positive integer option, or throws a {@link UsageError} naming it. */
export function positiveInt(name: string, min = 1): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
    return n;
  };
}
