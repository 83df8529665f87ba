import type { Channel } from "amqplib";

/** Queue type of the processing queue and the dead-letter queue (retry tiers are always classic). */
export type QueueType = "classic" | "quorum";

/** `assert` declares the topology; `passive` only checks it exists (another service owns it). */
export type DeclareMode = "assert" | "passive";

/** Names and shape of the RabbitMQ topology. */
export interface RabbitTopologyOptions {
  /** Topic exchange producers publish to. Default `health_data_exchange`. */
  readonly exchange?: string;
  /** Queue the workers consume. Default `health_data_processing`. */
  readonly queue?: string;
  /** Binding pattern of the processing queue. Default `health.processing.#`. */
  readonly routingPattern?: string;
  /** Delay of each retry tier in ms, ascending. Default 30 s, 5 min, 15 min. */
  readonly retryDelaysMs?: readonly number[];
  /** Prefix of the tier queue names (`{prefix}30s`). Default `health_data_retry_`. */
  readonly retryQueuePrefix?: string;
  /** Dead-letter exchange. Default `health_data_dlx`. */
  readonly deadLetterExchange?: string;
  /** Type of the dead-letter exchange. Default `direct`. */
  readonly deadLetterExchangeType?: "direct" | "fanout";
  /** Dead-letter queue. Default `health_data_dlq`. */
  readonly deadLetterQueue?: string;
  /** Routing key dead letters are published (and the DLQ bound) with. Default: the DLQ name. */
  readonly deadLetterRoutingKey?: string;
  /** Type of the processing queue and the DLQ. Default `classic`. */
  readonly queueType?: QueueType;
  /** Declare or only check. Default `assert`. */
  readonly declareMode?: DeclareMode;
}

/** One retry tier: a classic queue whose TTL dead-letters back to the processing queue. */
export interface RetryTier {
  /** Queue name, e.g. `health_data_retry_30s`. */
  readonly queue: string;
  /** Delay (the queue's `x-message-ttl`), ms. */
  readonly delayMs: number;
}

/** The topology with every default filled in. */
export interface RabbitTopology {
  readonly exchange: string;
  readonly queue: string;
  readonly routingPattern: string;
  readonly retryTiers: readonly RetryTier[];
  readonly deadLetterExchange: string;
  readonly deadLetterExchangeType: "direct" | "fanout";
  readonly deadLetterQueue: string;
  readonly deadLetterRoutingKey: string;
  readonly queueType: QueueType;
  readonly declareMode: DeclareMode;
}

/** Default retry delays: 30 s, 5 min, 15 min. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [30_000, 300_000, 900_000];

function tierSuffix(delayMs: number): string {
  return delayMs % 1000 === 0 ? `${delayMs / 1000}s` : `${delayMs}ms`;
}

/** Fills in defaults and derives the tier queue names; throws on an invalid configuration. */
export function resolveTopology(options: RabbitTopologyOptions = {}): RabbitTopology {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  if (delays.length === 0) throw new RangeError("retryDelaysMs must hold at least one delay");
  for (const d of delays) {
    if (!Number.isInteger(d) || d <= 0) throw new RangeError(`retry delay ${d} must be a positive integer of ms`);
  }
  if (new Set(delays).size !== delays.length) throw new RangeError("retry delays must be distinct (one queue per delay)");
  const prefix = options.retryQueuePrefix ?? "health_data_retry_";
  const deadLetterQueue = options.deadLetterQueue ?? "health_data_dlq";
  return {
    exchange: options.exchange ?? "health_data_exchange",
    queue: options.queue ?? "health_data_processing",
    routingPattern: options.routingPattern ?? "health.processing.#",
    retryTiers: delays.map((delayMs) => ({ queue: `${prefix}${tierSuffix(delayMs)}`, delayMs })),
    deadLetterExchange: options.deadLetterExchange ?? "health_data_dlx",
    deadLetterExchangeType: options.deadLetterExchangeType ?? "direct",
    deadLetterQueue,
    deadLetterRoutingKey: options.deadLetterRoutingKey ?? deadLetterQueue,
    queueType: options.queueType ?? "classic",
    declareMode: options.declareMode ?? "assert",
  };
}

/** Topology with every name prefixed (tests use it to isolate themselves). */
export function prefixedTopology(prefix: string, options: RabbitTopologyOptions = {}): RabbitTopology {
  return resolveTopology({
    ...options,
    exchange: `${prefix}.health_data_exchange`,
    queue: `${prefix}.health_data_processing`,
    retryQueuePrefix: `${prefix}.health_data_retry_`,
    deadLetterExchange: `${prefix}.health_data_dlx`,
    deadLetterQueue: `${prefix}.health_data_dlq`,
  });
}

/** Every queue of a topology: processing, tiers, DLQ. */
export function topologyQueues(topology: RabbitTopology): string[] {
  return [topology.queue, ...topology.retryTiers.map((t) => t.queue), topology.deadLetterQueue];
}

/** Every exchange of a topology. */
export function topologyExchanges(topology: RabbitTopology): string[] {
  return [topology.exchange, topology.deadLetterExchange];
}

/** The retry tier for a delay: the shortest tier at least as long, else the longest. */
export function tierForDelay(topology: RabbitTopology, delayMs: number): RetryTier {
  const tiers = topology.retryTiers;
  return tiers.find((t) => t.delayMs >= delayMs) ?? (tiers[tiers.length - 1] as RetryTier);
}

/** The tier of a retry number (1-based), clamped to the last tier. */
export function tierForRetry(topology: RabbitTopology, retryNumber: number): RetryTier {
  const tiers = topology.retryTiers;
  const index = Math.min(Math.max(retryNumber, 1), tiers.length) - 1;
  return tiers[index] as RetryTier;
}

/**
 * Declares the topology (assert mode) or checks it exists (passive mode: never asserts, so a
 * queue declared elsewhere with other arguments is consumed without a 406). A failed check
 * closes the channel with a 404 and rejects.
 */
export async function declareTopology(channel: Channel, topology: RabbitTopology): Promise<void> {
  if (topology.declareMode === "passive") {
    await channel.checkExchange(topology.exchange);
    await channel.checkExchange(topology.deadLetterExchange);
    for (const queue of topologyQueues(topology)) await channel.checkQueue(queue);
    return;
  }
  const typeArgs = topology.queueType === "quorum" ? { "x-queue-type": "quorum" } : {};
  await channel.assertExchange(topology.exchange, "topic", { durable: true });
  await channel.assertQueue(topology.queue, { durable: true, arguments: { ...typeArgs } });
  await channel.bindQueue(topology.queue, topology.exchange, topology.routingPattern);
  for (const tier of topology.retryTiers) {
    // Dead-letter through the default exchange straight to the processing queue: a retry
    // must never go back through the topic exchange and fan out to other bindings.
    await channel.assertQueue(tier.queue, {
      durable: true,
      arguments: {
        "x-queue-type": "classic",
        "x-message-ttl": tier.delayMs,
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": topology.queue,
      },
    });
  }
  await channel.assertExchange(topology.deadLetterExchange, topology.deadLetterExchangeType, { durable: true });
  await channel.assertQueue(topology.deadLetterQueue, { durable: true, arguments: { ...typeArgs } });
  await channel.bindQueue(topology.deadLetterQueue, topology.deadLetterExchange, topology.deadLetterRoutingKey);
}
