import type { TelemetryServer } from "@narrative-engine/telemetry";
import type { Command } from "commander";
import { configOf, type CliContext } from "../cli-context.ts";
import { redactUrl } from "../config.ts";

/** Version reported in `/health`, `etl_service_info` and traces. */
const VERSION = "0.1.0";

/** `worker`: consume RabbitMQ until SIGTERM/SIGINT, then drain. */
export function registerWorkerCommand(program: Command, ctx: CliContext): void {
  program
    .command("worker")
    .description("consume the processing queue until SIGTERM/SIGINT, then drain in-flight messages and exit 0")
    .addHelpText(
      "after",
      "\nServes /metrics, /live, /ready and /health on ETL_METRICS_PORT. Logs are JSON lines on stdout.\n" +
        "On SIGTERM/SIGINT: /ready turns 503, the consumer is cancelled, in-flight messages get\n" +
        "ETL_SHUTDOWN_GRACE_SECONDS to finish, the rest go back to the queue, then everything closes.",
    )
    .action(async () => {
      const [
        { processMessage, RabbitConsumer, resolveTopology, queueDepths },
        { createLogger, createMetrics, createTelemetryObserver, createTracing, startTelemetryServer, trackBrokerConnection },
        { connectBroker, topologyOptions },
        { createDedupStore, createPipeline, createS3Store, workerId },
      ] = await Promise.all([import("@narrative-engine/consumer"), import("@narrative-engine/telemetry"), import("../broker.ts"), import("../composition.ts")]);
      const config = configOf(ctx);
      const id = workerId();
      const logger = createLogger({
        level: config.logLevel,
        name: config.serviceName,
        destination: { write: (line: string) => ctx.stdout.write(line) },
        base: { service: config.serviceName, version: VERSION, environment: config.environment, worker_id: id },
      });
      const metrics = createMetrics({ service: config.serviceName, version: VERSION, environment: config.environment });
      const tracing = createTracing({ enabled: config.tracingEnabled, serviceName: config.serviceName, serviceVersion: VERSION, otlpEndpoint: config.otlpEndpoint });
      const observer = createTelemetryObserver({ metrics, logger, tracing });
      const store = createS3Store(config);
      const dedup = createDedupStore(config);
      const topology = resolveTopology(topologyOptions(config));
      const pipeline = await createPipeline({
        config,
        store,
        dedup,
        outputBucket: config.s3.bucketName,
        allowedBuckets: config.s3.allowedBuckets,
        logger,
        observer,
        workerId: id,
      });
      const consumer = new RabbitConsumer({
        url: config.rabbitmq.url,
        topology,
        concurrency: config.rabbitmq.prefetchCount,
        connectionName: `narrative-engine worker ${id}`,
        shutdownGraceMs: config.shutdownGraceSeconds * 1000,
        logger,
        handler: (delivery, options) => processMessage(delivery, pipeline.deps, options),
      });
      // etl_rabbitmq_connected follows the consumer's connected / disconnected events.
      trackBrokerConnection(metrics, consumer);
      // Queue depths on each scrape, through a short-lived connection of its own (never the consumer's channels).
      metrics.setQueueDepthSource(async () => {
        const connection = await connectBroker(config, "metrics");
        try {
          const d = await queueDepths(connection, topology);
          const out: Record<string, number> = {};
          if (d.processing !== undefined) out[topology.queue] = d.processing;
          for (const [queue, n] of Object.entries(d.retry)) if (n !== undefined) out[queue] = n;
          if (d.deadLetter !== undefined) out[topology.deadLetterQueue] = d.deadLetter;
          return out;
        } finally {
          await connection.close().catch(() => undefined);
        }
      });
      let server: TelemetryServer | undefined;
      if (config.metricsPort > 0) {
        server = await startTelemetryServer({
          port: config.metricsPort,
          host: config.metricsHost,
          metrics,
          version: VERSION,
          readinessChecks: [
            { name: "rabbitmq", check: () => consumer.isConsuming() },
            { name: "deduplication", check: async () => (await dedup.ping(), true) },
          ],
          healthInfo: () => ({ queue: topology.queue, concurrency: config.rabbitmq.prefetchCount, in_flight: consumer.inFlightCount, environment: config.environment }),
        });
        logger.info({ url: server.url }, "telemetry server listening");
      }
      logger.info(
        { broker: redactUrl(config.rabbitmq.url), queue: topology.queue, prefetch: config.rabbitmq.prefetchCount, dedup_store: config.deduplication.store, bucket: config.s3.bucketName },
        "worker starting",
      );
      const stopped = new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        else ctx.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      try {
        // start() keeps retrying the broker with backoff; a signal during that wait still shuts down cleanly.
        await Promise.race([consumer.start(), stopped]);
        if (!ctx.signal.aborted) logger.info({}, "worker ready");
        await stopped;
        logger.info({ reason: (ctx.signal.reason as Error | undefined)?.message ?? "signal" }, "shutting down");
      } finally {
        server?.setShuttingDown();
        await consumer.stop();
        await pipeline.close();
        await dedup.close().catch(() => undefined);
        await store.close().catch(() => undefined);
        await tracing.shutdown().catch(() => undefined);
        await server?.close();
        logger.info({}, "worker stopped");
      }
    });
}
