import type { ChannelModel, GetMessage } from "amqplib";
import { publishConfirmed } from "./confirmed-publish.ts";
import { resolveTopology, type RabbitTopology, type RabbitTopologyOptions } from "./rabbit-topology.ts";

/** Messages waiting in each queue of the topology (undefined when a queue does not exist). */
export interface QueueDepths {
  readonly processing: number | undefined;
  readonly retry: Readonly<Record<string, number | undefined>>;
  readonly deadLetter: number | undefined;
}

/** One dead letter as an operator sees it (no body values beyond the routing facts). */
export interface DeadLetterSummary {
  readonly messageId: string | undefined;
  readonly correlationId: string | undefined;
  readonly errorType: string | undefined;
  readonly errorMessage: string | undefined;
  readonly retryCount: number | undefined;
  readonly firstFailureAt: string | undefined;
  readonly deadLetteredAt: string | undefined;
  readonly originalRoutingKey: string | undefined;
  /** Body size in bytes. */
  readonly bytes: number;
}

function topologyOf(topology: RabbitTopology | RabbitTopologyOptions | undefined): RabbitTopology {
  return topology !== undefined && "retryTiers" in topology ? topology : resolveTopology(topology);
}

async function depth(connection: ChannelModel, queue: string): Promise<number | undefined> {
  // A missing queue closes the channel with a 404, so each check gets its own channel.
  const channel = await connection.createChannel();
  channel.on("error", () => undefined);
  try {
    return (await channel.checkQueue(queue)).messageCount;
  } catch {
    return undefined;
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** Depth of the processing queue, each retry tier and the DLQ (passive checks; declares nothing). */
export async function queueDepths(connection: ChannelModel, topology?: RabbitTopology | RabbitTopologyOptions): Promise<QueueDepths> {
  const t = topologyOf(topology);
  const retry: Record<string, number | undefined> = {};
  for (const tier of t.retryTiers) retry[tier.queue] = await depth(connection, tier.queue);
  return { processing: await depth(connection, t.queue), retry, deadLetter: await depth(connection, t.deadLetterQueue) };
}

function str(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  return undefined;
}

function summarize(message: GetMessage): DeadLetterSummary {
  const h = (message.properties.headers ?? {}) as Record<string, unknown>;
  const retry = h["x-retry-count"];
  return {
    messageId: str(message.properties.messageId),
    correlationId: str(message.properties.correlationId),
    errorType: str(h["x-error-type"]),
    errorMessage: str(h["x-error-message"]),
    retryCount: typeof retry === "number" ? retry : undefined,
    firstFailureAt: str(h["x-first-failure-at"]),
    deadLetteredAt: str(h["x-dead-lettered-at"]),
    originalRoutingKey: str(h["x-original-routing-key"]),
    bytes: message.content.byteLength,
  };
}

/**
 * Browses up to `limit` dead letters without removing them: gets them unacked, then returns
 * every one to the DLQ (nack-requeue, which keeps their place). Nothing else should consume
 * the DLQ meanwhile; browsed messages are marked redelivered by the broker.
 */
export async function listDeadLetters(
  connection: ChannelModel,
  options: { readonly limit?: number; readonly topology?: RabbitTopology | RabbitTopologyOptions } = {},
): Promise<DeadLetterSummary[]> {
  const t = topologyOf(options.topology);
  const limit = options.limit ?? 100;
  const channel = await connection.createChannel();
  channel.on("error", () => undefined);
  const out: DeadLetterSummary[] = [];
  try {
    for (let i = 0; i < limit; i++) {
      const message = await channel.get(t.deadLetterQueue, { noAck: false });
      if (message === false) break;
      out.push(summarize(message));
    }
    channel.nackAll(true);
    return out;
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** Result of {@link replayDeadLetters}. */
export interface ReplayResult {
  /** Messages sent back to the processing queue. */
  readonly replayed: number;
  /** Messages looked at and left in the DLQ (other error type). */
  readonly skipped: number;
  /** Messages whose `onReplay` hook rejected: not replayed, left in the DLQ. */
  readonly failed: number;
  /** Why each of the `failed` messages was left (error messages of the hook). */
  readonly failures: readonly { readonly summary: DeadLetterSummary; readonly error: string }[];
}

/** Options of {@link replayDeadLetters}. */
export interface ReplayOptions {
  /** At most this many replayed. Default 100. */
  readonly limit?: number;
  /** Only dead letters with this `x-error-type`. */
  readonly errorType?: string;
  readonly topology?: RabbitTopology | RabbitTopologyOptions;
  /**
   * Called for each selected dead letter BEFORE it is published back (e.g. to reopen its
   * dead-lettered key in the dedup store). When it rejects, that message is not replayed and
   * stays in the DLQ; it is counted in `failed`.
   */
  readonly onReplay?: (message: GetMessage) => Promise<void>;
}

/**
 * Sends up to `limit` dead letters (only those of `errorType` when given) back to the
 * processing queue through the default exchange, retry count reset to 0 and the `x-error-*`
 * headers removed; each is confirmed by the broker BEFORE it is acked off the DLQ, so a
 * crash mid-replay duplicates at worst (dedup absorbs it), never loses. A dead-lettered key is
 * terminal in the dedup store: pass an `onReplay` that calls `DeduplicationStore.reopen` for
 * the message's key (as `narrative-engine dlq replay` does), or replayed messages that were
 * dead-lettered after their claim are answered `duplicate`.
 */
export async function replayDeadLetters(connection: ChannelModel, options: ReplayOptions = {}): Promise<ReplayResult> {
  const t = topologyOf(options.topology);
  const limit = options.limit ?? 100;
  const getChannel = await connection.createChannel();
  getChannel.on("error", () => undefined);
  const confirm = await connection.createConfirmChannel();
  confirm.on("error", () => undefined);
  let replayed = 0;
  let skipped = 0;
  const failures: { summary: DeadLetterSummary; error: string }[] = [];
  try {
    while (replayed < limit) {
      const message = await getChannel.get(t.deadLetterQueue, { noAck: false });
      if (message === false) break;
      const headers: Record<string, unknown> = { ...message.properties.headers };
      if (options.errorType !== undefined && str(headers["x-error-type"]) !== options.errorType) {
        skipped++; // held unacked until the end so the next get does not return it again
        continue;
      }
      if (options.onReplay !== undefined) {
        try {
          await options.onReplay(message);
        } catch (error) {
          failures.push({ summary: summarize(message), error: error instanceof Error ? error.message : String(error) });
          continue; // held unacked until the end, then back to the DLQ
        }
      }
      for (const name of ["x-error-type", "x-error-message", "x-dead-lettered-at", "x-last-error-type", "x-deferred-count", "x-death"]) delete headers[name];
      headers["x-retry-count"] = 0;
      headers["x-replayed-at"] = new Date().toISOString();
      headers["x-replay-count"] = (typeof headers["x-replay-count"] === "number" ? headers["x-replay-count"] : 0) + 1;
      const p = message.properties;
      await publishConfirmed(confirm, "", t.queue, message.content, {
        contentType: p.contentType as string | undefined,
        contentEncoding: p.contentEncoding as string | undefined,
        correlationId: p.correlationId as string | undefined,
        messageId: p.messageId as string | undefined,
        timestamp: p.timestamp as number | undefined,
        type: p.type as string | undefined,
        appId: p.appId as string | undefined,
        headers,
      });
      getChannel.ack(message);
      replayed++;
    }
    getChannel.nackAll(true);
    return { replayed, skipped, failed: failures.length, failures };
  } finally {
    await getChannel.close().catch(() => undefined);
    await confirm.close().catch(() => undefined);
  }
}
