import { Command, CommanderError } from "commander";
import { CommandFailed, EXIT_CODES, UsageError, type CliContext } from "./cli-context.ts";
import { registerConfigCommand } from "./commands/config-command.ts";
import { registerDlqCommand } from "./commands/dlq-command.ts";
import { registerExportCommand } from "./commands/export-command.ts";
import { registerGenerateCommand } from "./commands/generate-command.ts";
import { registerProcessCommand } from "./commands/process-command.ts";
import { registerPublishCommand } from "./commands/publish-command.ts";
import { registerStatusCommand } from "./commands/status-command.ts";
import { registerWorkerCommand } from "./commands/worker-command.ts";
import { ConfigError } from "./config.ts";

const EXIT_CODE_HELP = `
Exit codes:
  0  success
  1  failure (a service unreachable, a file that could not be processed, a failed write)
  2  usage or configuration error (nothing was done)

Configuration comes from ETL_ environment variables; see \`narrative-engine config print\`.`;

/** Builds the `narrative-engine` program; output and environment come from `ctx`. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command("narrative-engine")
    .description("Turns Android Health Connect exports into clinical narratives and LLM training data.")
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .addHelpText("after", EXIT_CODE_HELP);
  registerWorkerCommand(program, ctx);
  registerProcessCommand(program, ctx);
  registerGenerateCommand(program, ctx);
  registerPublishCommand(program, ctx);
  registerStatusCommand(program, ctx);
  registerDlqCommand(program, ctx);
  registerExportCommand(program, ctx);
  registerConfigCommand(program, ctx);
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error (already printed).
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    if (error instanceof ConfigError) {
      for (const warning of error.warnings) ctx.stderr.write(`warning: ${warning}\n`);
      ctx.stderr.write(`error: ${error.message}\n`);
      return EXIT_CODES.usage;
    }
    if (error instanceof UsageError) {
      ctx.stderr.write(`error: ${error.message}\n`);
      return EXIT_CODES.usage;
    }
    if (error instanceof CommandFailed) {
      if (error.message !== "") ctx.stderr.write(`error: ${error.message}\n`);
      return EXIT_CODES.failure;
    }
    ctx.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_CODES.failure;
  }
}
