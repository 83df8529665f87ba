import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import type { Command } from "commander";
import { CommandFailed, configOf, type CliContext } from "../cli-context.ts";

interface PublishOptions {
  user: string;
  bucket?: string;
}

/** `publish`: upload local files to S3 and announce them exactly as the health-api producer does. */
export function registerPublishCommand(program: Command, ctx: CliContext): void {
  program
    .command("publish")
    .description("upload Avro files to S3 and publish one message per file, as the health-api producer does")
    .argument("<paths...>", "Avro files or folders (searched recursively for *.avro)")
    .option("--user <id>", "user id the files belong to", "local-user")
    .option("--bucket <name>", "bucket to upload to (default: ETL_S3_BUCKET_NAME)")
    .addHelpText(
      "after",
      "\nKeys: raw/{type}/{YYYY}/{MM}/{DD}/{user}_{timestamp}.avro. Messages carry file_hash, the Avro-prefixed record type\n" +
        "and a correlation_id only; routing key health.processing.<type lowercased>; persistent and publisher-confirmed.\n" +
        "The topology is declared first unless ETL_DECLARE_MODE=passive.",
    )
    .action(async (paths: string[], opts: PublishOptions) => {
      const [{ declareTopology, healthDataRoutingKey, publishHealthDataMessage, resolveTopology }, { connectBroker, topologyOptions }, { createS3Store }, { collectAvroFiles, recordTypeOfFile }, { producerMessage, rawObjectKey }] =
        await Promise.all([
          import("@narrative-engine/consumer"),
          import("../broker.ts"),
          import("../composition.ts"),
          import("../embedded/local-avro-files.ts"),
          import("../producer-message.ts"),
        ]);
      const config = configOf(ctx);
      const files = await collectAvroFiles(paths, ctx.cwd);
      if (files.length === 0) throw new CommandFailed(`no .avro files found in ${paths.join(", ")}`);
      const bucket = opts.bucket ?? config.s3.bucketName;
      const store = createS3Store(config);
      const connection = await connectBroker(config, "publish");
      try {
        const topology = resolveTopology(topologyOptions(config));
        const setup = await connection.createChannel();
        setup.on("error", () => undefined);
        await declareTopology(setup, topology);
        await setup.close();
        const channel = await connection.createConfirmChannel();
        channel.on("error", () => undefined);
        let published = 0;
        let lastUpload = 0;
        for (const file of files) {
          if (ctx.signal.aborted) break;
          const label = relative(ctx.cwd, file) || file;
          const bytes = await readFile(file);
          const type = recordTypeOfFile(file, bytes);
          if (type === undefined) throw new CommandFailed(`${label}: not a Health Connect export of a known record type`);
          // The producer names the object after the upload time; keep it unique per file within one run.
          const uploadedAtMs = Math.max(Date.now(), lastUpload + 1);
          lastUpload = uploadedAtMs;
          const key = rawObjectKey(type, opts.user, uploadedAtMs);
          await store.put(bucket, key, bytes, { contentType: "application/avro" });
          const body = producerMessage({ bucket, key, userId: opts.user, recordType: type, bytes, uploadedAtMs });
          await publishHealthDataMessage(channel, topology.exchange, healthDataRoutingKey(type), body, { correlationId: body.correlation_id ?? undefined });
          published += 1;
          ctx.stdout.write(`published ${type} ${label} -> s3://${bucket}/${key}\n`);
        }
        await channel.close();
        ctx.stdout.write(`published ${published} message(s) to exchange ${topology.exchange}\n`);
      } finally {
        await connection.close().catch(() => undefined);
        await store.close();
      }
    });
}
