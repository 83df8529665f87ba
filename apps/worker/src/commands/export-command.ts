import { resolve } from "node:path";
import type { Command } from "commander";
import { configOf, type CliContext } from "../cli-context.ts";

interface ExportOptions {
  prefix?: string;
  out: string;
  fromDir?: string;
  bucket?: string;
}

/** `export`: one training JSONL file from a prefix of training objects. */
export function registerExportCommand(program: Command, ctx: CliContext): void {
  program
    .command("export")
    .description("concatenate the training examples under a prefix into one JSONL file, dropping exact duplicates")
    .requiredOption("--out <file>", "training file to write (written to <file>.partial, renamed when complete)")
    .option("--prefix <prefix>", "key prefix to export (default: ETL_TRAINING_DATA_PREFIX)")
    .option("--bucket <name>", "bucket (default: ETL_S3_BUCKET_NAME)")
    .option("--from-dir <dir>", "read a local output folder of `process` instead of S3")
    .action(async (opts: ExportOptions) => {
      const [{ exportTraining }, { createLocalStore, createS3Store }] = await Promise.all([import("@narrative-engine/output"), import("../composition.ts")]);
      const config = configOf(ctx);
      const store = opts.fromDir === undefined ? createS3Store(config) : createLocalStore(resolve(ctx.cwd, opts.fromDir));
      const out = resolve(ctx.cwd, opts.out);
      try {
        const result = await exportTraining({
          store,
          bucket: opts.bucket ?? config.s3.bucketName,
          prefix: opts.prefix ?? config.trainingDataPrefix,
          out,
          signal: ctx.signal,
        });
        ctx.stdout.write(
          `read ${result.objects} object(s): written ${result.written}, dropped ${result.duplicatesDropped} duplicate(s), ${result.invalid} invalid -> ${out}\n`,
        );
        if (result.invalid > 0) ctx.stderr.write(`warning: ${result.invalid} line(s) were not valid training examples and were skipped\n`);
      } finally {
        await store.close();
      }
    });
}
