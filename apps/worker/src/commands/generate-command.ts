import { resolve } from "node:path";
import { RECORD_TYPES, parseRecordType, type RecordType } from "@narrative-engine/contracts";
import { InvalidArgumentError, type Command } from "commander";
import { positiveInt, type CliContext } from "../cli-context.ts";

function types(value: string): RecordType[] {
  const out: RecordType[] = [];
  for (const part of value.split(",").map((p) => p.trim()).filter((p) => p !== "")) {
    const type = parseRecordType(part) ?? parseRecordType(`${part}Record`);
    if (type === undefined) throw new InvalidArgumentError(`unknown record type ${JSON.stringify(part)}; expected some of ${RECORD_TYPES.join(", ")}`);
    out.push(type);
  }
  return out;
}

function date(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new InvalidArgumentError("must be a date like 2025-09-15");
  return value;
}

function int(name: string, min: number) {
  const parse = positiveInt(name, min);
  return (value: string): number => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

/** `generate`: deterministic synthetic Health Connect exports. */
export function registerGenerateCommand(program: Command, ctx: CliContext): void {
  program
    .command("generate")
    .description("write deterministic synthetic Health Connect exports (all six record types) as Avro files")
    .option("--users <n>", "number of users", int("--users", 1), 1)
    .option("--days <n>", "days of data per user", int("--days", 1), 7)
    .option("--seed <seed>", "seed; the same seed and options give byte-identical files", "narrative-engine")
    .option("--start <date>", "first local day (YYYY-MM-DD)", date, "2025-09-15")
    .option("--types <list>", "comma-separated record types (default: all six)", types)
    .option("--out <dir>", "output folder (one sub-folder per user)", "synthetic-data")
    .option("--big-glucose-mb <n>", "also write one glucose file of about N MiB under big/ (benchmarks)", int("--big-glucose-mb", 1))
    .addHelpText(
      "after",
      "\nFiles are named like the phone app's exports: {out}/{user}/{Type}_{exportTimestamp}.avro.\n" +
        "CGM every 5 min with meal rises and overnight lows; Samsung 1-min and Oura 5-min overlapping heart rate;\n" +
        "nightly sleep with stage cycles and an occasional nap; daily steps and calories from two sources; HRV every 5 min overnight.",
    )
    .action(async (opts: { users: number; days: number; seed: string; start: string; types?: RecordType[]; out: string; bigGlucoseMb?: number }) => {
      const { writeSyntheticDataSet } = await import("../generate/write-synthetic-data-set.ts");
      const outDir = resolve(ctx.cwd, opts.out);
      const written = await writeSyntheticDataSet({
        outDir,
        seed: opts.seed,
        users: opts.users,
        days: opts.days,
        startDate: opts.start,
        ...(opts.types ? { types: opts.types } : {}),
        ...(opts.bigGlucoseMb === undefined ? {} : { bigGlucoseMb: opts.bigGlucoseMb }),
      });
      const records = written.reduce((n, f) => n + f.records, 0);
      const bytes = written.reduce((n, f) => n + f.bytes, 0);
      ctx.stdout.write(`wrote ${written.length} files (${records} records, ${(bytes / 1024).toFixed(1)} KiB) for ${opts.users} user(s) × ${opts.days} day(s) to ${outDir}\n`);
    });
}
