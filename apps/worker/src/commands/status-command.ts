import type { QueueDepths } from "@narrative-engine/consumer";
import { PROCESSING_STATUSES } from "@narrative-engine/contracts";
import type { Command } from "commander";
import { CommandFailed, configOf, type CliContext } from "../cli-context.ts";
import { textTable } from "../text-table.ts";

/** `status`: queue depths and deduplication counts. */
export function registerStatusCommand(program: Command, ctx: CliContext): void {
  program
    .command("status")
    .description("show queue depths (processing, each retry tier, DLQ) and deduplication counts by status")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      const [{ queueDepths, resolveTopology }, { connectBroker, topologyOptions }, { createDedupStore }] = await Promise.all([
        import("@narrative-engine/consumer"),
        import("../broker.ts"),
        import("../composition.ts"),
      ]);
      const config = configOf(ctx);
      const topology = resolveTopology(topologyOptions(config));
      const problems: string[] = [];
      let depths: QueueDepths | undefined;
      try {
        const connection = await connectBroker(config, "status");
        try {
          depths = await queueDepths(connection, topology);
        } finally {
          await connection.close().catch(() => undefined);
        }
      } catch (error) {
        problems.push((error as Error).message);
      }
      let stats: Readonly<Record<string, number>> | undefined;
      const dedup = createDedupStore(config);
      try {
        stats = await dedup.stats();
      } catch (error) {
        problems.push(`deduplication store (${config.deduplication.store}) unavailable: ${(error as Error).message}`);
      } finally {
        await dedup.close().catch(() => undefined);
      }
      if (opts.json === true) {
        ctx.stdout.write(`${JSON.stringify({ queues: depths ?? null, deduplication: stats ?? null }, null, 2)}\n`);
      } else {
        if (depths) {
          const shown = (n: number | undefined): string | number => n ?? "missing";
          const rows: (string | number)[][] = [["queue", "messages"], [topology.queue, shown(depths.processing)]];
          for (const tier of topology.retryTiers) rows.push([tier.queue, shown(depths.retry[tier.queue])]);
          rows.push([topology.deadLetterQueue, shown(depths.deadLetter)]);
          ctx.stdout.write(`${textTable(rows)}\n\n`);
        }
        if (stats) {
          const rows: (string | number)[][] = [["deduplication status", "keys"]];
          for (const status of PROCESSING_STATUSES) rows.push([status, stats[status] ?? 0]);
          ctx.stdout.write(`${textTable(rows)}\n`);
        }
      }
      if (problems.length > 0) throw new CommandFailed(problems.join("; "));
    });
}
