import { ERROR_TYPES, parseHealthDataMessage } from "@narrative-engine/contracts";
import { InvalidArgumentError, type Command } from "commander";
import { CommandFailed, configOf, positiveInt, type CliContext } from "../cli-context.ts";
import { textTable } from "../text-table.ts";

function limit(value: string): number {
  try {
    return positiveInt("--limit")(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function errorType(value: string): string {
  if (!(ERROR_TYPES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${ERROR_TYPES.join(", ")}`);
  return value;
}

function clip(text: string | undefined, max: number): string {
  if (text === undefined) return "";
  const one = text.replace(/\s+/g, " ");
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** `dlq list` and `dlq replay`. */
export function registerDlqCommand(program: Command, ctx: CliContext): void {
  const dlq = program.command("dlq").description("inspect and replay dead-lettered messages");
  dlq
    .command("list")
    .description("show dead letters with their reason headers (bodies are not printed)")
    .option("--limit <n>", "at most this many", limit, 20)
    .option("--json", "print JSON")
    .action(async (opts: { limit: number; json?: boolean }) => {
      const [{ listDeadLetters, resolveTopology }, { connectBroker, topologyOptions }] = await Promise.all([import("@narrative-engine/consumer"), import("../broker.ts")]);
      const config = configOf(ctx);
      const topology = resolveTopology(topologyOptions(config));
      const connection = await connectBroker(config, "dlq list");
      try {
        const letters = await listDeadLetters(connection, { limit: opts.limit, topology });
        if (opts.json === true) {
          ctx.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
          return;
        }
        if (letters.length === 0) {
          ctx.stdout.write(`no dead letters in ${topology.deadLetterQueue}\n`);
          return;
        }
        const rows: (string | number)[][] = [["correlation id", "error type", "retries", "first failure", "routing key", "bytes", "error message"]];
        for (const l of letters) {
          rows.push([clip(l.correlationId ?? l.messageId ?? "", 36), l.errorType ?? "", l.retryCount ?? 0, l.firstFailureAt ?? "", l.originalRoutingKey ?? "", l.bytes, clip(l.errorMessage, 80)]);
        }
        ctx.stdout.write(`${textTable(rows)}\n\n${letters.length} dead letter(s) shown from ${topology.deadLetterQueue}\n`);
      } finally {
        await connection.close().catch(() => undefined);
      }
    });
  dlq
    .command("replay")
    .description("send dead letters back to the processing queue (confirmed before removal from the DLQ)")
    .option("--limit <n>", "at most this many", limit, 100)
    .option("--filter <error-type>", "only dead letters of this error type", errorType)
    .addHelpText(
      "after",
      "\nBefore each message goes back, its dead-lettered key is reopened in the deduplication store, so it is\n" +
        "processed again instead of being answered as a duplicate (completed and quarantined keys stay terminal).\n" +
        "A message whose key cannot be reopened (store unreachable) is not replayed: it stays in the DLQ and is reported.",
    )
    .action(async (opts: { limit: number; filter?: string }) => {
      const [{ replayDeadLetters, resolveTopology }, { connectBroker, topologyOptions }, { createDedupStore }] = await Promise.all([
        import("@narrative-engine/consumer"),
        import("../broker.ts"),
        import("../composition.ts"),
      ]);
      const config = configOf(ctx);
      const topology = resolveTopology(topologyOptions(config));
      const dedup = createDedupStore(config);
      let reopened = 0;
      try {
        const connection = await connectBroker(config, "dlq replay");
        try {
          const result = await replayDeadLetters(connection, {
            limit: opts.limit,
            topology,
            ...(opts.filter === undefined ? {} : { errorType: opts.filter }),
            // Reopen first, then publish, then ack: a key that cannot be reopened is not replayed.
            onReplay: async (message) => {
              const parsed = parseHealthDataMessage(message.content);
              // An unparseable body never had a claim: nothing to reopen.
              if (!parsed.success || dedup.reopen === undefined) return;
              if (await dedup.reopen(parsed.message.idempotencyKey)) reopened++;
            },
          });
          ctx.stdout.write(
            `replayed ${result.replayed} message(s) to ${topology.queue} (${reopened} dead-lettered key(s) reopened); ${result.skipped} left in ${topology.deadLetterQueue}${opts.filter === undefined ? "" : ` (not ${opts.filter})`}\n`,
          );
          if (result.failed > 0) {
            ctx.stderr.write(`${result.failed} message(s) NOT replayed, left in ${topology.deadLetterQueue}: their deduplication key could not be reopened\n`);
            for (const f of result.failures) ctx.stderr.write(`  ${f.summary.correlationId ?? f.summary.messageId ?? "(no id)"}: ${f.error}\n`);
            throw new CommandFailed(`${result.failed} dead letter(s) not replayed`);
          }
        } finally {
          await connection.close().catch(() => undefined);
        }
      } finally {
        await dedup.close().catch(() => undefined);
      }
    });
}
