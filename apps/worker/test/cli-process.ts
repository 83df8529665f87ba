import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { beforeAll, inject } from "vitest";

/** The built CLI entry point. */
export const cliPath = resolve(import.meta.dirname, "../bin/narrative-engine.js");

/** Fails the calling test file when the global setup could not build the CLI. */
export function requireBuiltCli(): void {
  beforeAll(() => {
    const error = inject("cliBuildError");
    if (error !== "") throw new Error(error);
  });
}

/** What a finished CLI run printed and returned. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A minimal environment: PATH and HOME only, so the caller's ETL_ variables never leak into a test. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: process.env["HOME"] ?? "/tmp", ...extra };
}

/** Runs `narrative-engine args…` to completion as a child process. */
export function runCli(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: options.cwd ?? process.cwd(), env: options.env ?? cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** A long-running CLI process (the worker) whose output is collected as it comes. */
export interface RunningCli {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves when the output contains `text`; rejects after `timeoutMs` or when the process exits first. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `narrative-engine args…` in the background. */
export function startCli(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): RunningCli {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: options.cwd ?? process.cwd(), env: options.env ?? cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((r) =>
    child.on("close", (code) => {
      exited = code;
      r(code);
    }),
  );
  child.stdout?.on("data", (d: Buffer) => (out += d.toString("utf8")));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString("utf8")));
  return {
    child,
    output: () => out,
    async waitFor(text, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (exited !== undefined) throw new Error(`process exited (${exited}) before printing ${JSON.stringify(text)}:\n${out}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(signal = "SIGTERM") {
      if (exited === undefined) child.kill(signal);
      return exit;
    },
  };
}

/** Polls `fn` until it returns true (or throws after `timeoutMs`). */
export async function eventually(fn: () => Promise<boolean>, timeoutMs = 30_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
