import type { Command } from "commander";
import { configOf, type CliContext } from "../cli-context.ts";
import { describeConfig } from "../config.ts";

/** `config print`: the effective configuration, secrets masked. */
export function registerConfigCommand(program: Command, ctx: CliContext): void {
  const config = program.command("config").description("inspect the configuration");
  config
    .command("print")
    .description("print every ETL_ variable's effective value and where it came from (secrets masked)")
    .option("--json", "print JSON instead of a table")
    .action((opts: { json?: boolean }) => {
      configOf(ctx); // validates: an invalid configuration exits 2 with every problem listed
      const lines = describeConfig(ctx.env);
      if (opts.json === true) {
        ctx.stdout.write(`${JSON.stringify(Object.fromEntries(lines.map((l) => [l.name, l.source === "unset" ? null : l.value])), null, 2)}\n`);
        return;
      }
      const width = Math.max(...lines.map((l) => l.name.length));
      for (const line of lines) {
        ctx.stdout.write(`${line.name.padEnd(width)}  ${line.source === "unset" ? "(unset)" : line.value}${line.source === "env" ? "" : `  [${line.source}]`}\n`);
      }
    });
}
