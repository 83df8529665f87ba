import { EventEmitter } from "node:events";
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage, type Options } from "amqplib";
import { publishConfirmed } from "./confirmed-publish.ts";
import { noopLogger, type Logger } from "./logger.ts";
import type { OutcomeReason, PipelineOutcome } from "./pipeline-outcome.ts";
import type { Delivery, ProcessMessageOptions } from "./process-message.ts";
import { declareTopology, resolveTopology, tierForDelay, tierForRetry, type RabbitTopology, type RabbitTopologyOptions } from "./rabbit-topology.ts";

/** Runs one delivery (usually `(d, o) => processMessage(d, deps, o)`) and says what to do with it. */
export type MessageHandler = (delivery: Delivery, options: ProcessMessageOptions) => Promise<PipelineOutcome>;

/** Options of {@link RabbitConsumer}. */
export interface RabbitConsumerOptions {
  /** `amqp://user:pass@host:port/vhost`. */
  readonly url: string;
  /** Topology (names, tiers, queue type, declare mode). */
  readonly topology?: RabbitTopology | RabbitTopologyOptions;
  /** The pipeline. */
  readonly handler: MessageHandler;
  /** Deliveries processed at once (= prefetch). Default 32. */
  readonly concurrency?: number;
  /** Client-provided connection name shown in the management UI and `rabbitmqctl`. */
  readonly connectionName?: string;
  /** First reconnect delay, ms (doubles up to `reconnectMaxDelayMs`, with jitter). Default 500. */
  readonly reconnectInitialDelayMs?: number;
  /** Longest reconnect delay, ms. Default 30 000. */
  readonly reconnectMaxDelayMs?: number;
  /** Wait before nack-requeueing a delivery whose republish failed, ms. Default 1 000. */
  readonly requeueDelayMs?: number;
  /** How long `stop()` waits for in-flight deliveries before returning them to the queue, ms. Default 30 000. */
  readonly shutdownGraceMs?: number;
  /** Heartbeat, seconds. Default 30. */
  readonly heartbeatSeconds?: number;
  /** Logger (pino-compatible). */
  readonly logger?: Logger;
}

interface Generation {
  readonly id: number;
  readonly connection: ChannelModel;
  consumeChannel: Channel | undefined;
  confirmChannel: ConfirmChannel | undefined;
  consumerTag: string | undefined;
  alive: boolean;
}

interface InFlight {
  readonly message: ConsumeMessage;
  readonly generation: Generation;
  readonly controller: AbortController;
  settled: boolean;
  done: Promise<void> | undefined;
}

const MAX_HEADER_MESSAGE = 500;
// How long stop() waits for aborted handlers after the grace period.
const ABORT_WAIT_MS = 5_000;

/** The AMQP `timestamp` as epoch ms: seconds per the AMQP spec (what our publishers write), ms when it is already that large. */
function publishedAtOf(timestamp: unknown): { publishedAt?: number } {
  if (typeof timestamp !== "number" || !Number.isFinite(timestamp) || timestamp <= 0) return {};
  return { publishedAt: timestamp < 1e11 ? timestamp * 1000 : timestamp };
}

/** Retries already done, from `x-retry-count`; undefined when the header is absent (the pipeline then reads the body). */
export function retryCountOf(headers: Readonly<Record<string, unknown>> | undefined): number | undefined {
  const raw = headers?.["x-retry-count"];
  const value = typeof raw === "number" ? raw : typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : undefined;
  return value !== undefined && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Consumes the processing queue with manual acks and turns pipeline outcomes into broker
 * actions: ack; republish to a retry tier, a deferral tier or the dead-letter exchange
 * (confirmed before the ack); or nack-requeue after a backoff. Reconnects by itself
 * (re-declare, re-consume); acks only on the channel that delivered.
 *
 * Events: `connected` (consuming again), `disconnected` (error or undefined).
 */
export class RabbitConsumer extends EventEmitter {
  readonly #options: RabbitConsumerOptions;
  readonly #topology: RabbitTopology;
  readonly #logger: Logger;
  readonly #concurrency: number;
  readonly #inFlight = new Set<InFlight>();
  #generation: Generation | undefined;
  #generationCounter = 0;
  #reconnectAttempt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #connecting = false;
  #started = false;
  #stopped = false;
  #stopPromise: Promise<void> | undefined;
  #firstConsume: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(options: RabbitConsumerOptions) {
    super();
    this.#options = options;
    this.#topology = options.topology !== undefined && "retryTiers" in options.topology ? options.topology : resolveTopology(options.topology);
    this.#logger = (options.logger ?? noopLogger).child({ component: "rabbit-consumer" });
    this.#concurrency = options.concurrency ?? 32;
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) throw new RangeError("concurrency must be a positive integer");
  }

  /** The topology in use. */
  get topology(): RabbitTopology {
    return this.#topology;
  }

  /** Deliveries being processed right now. */
  get inFlightCount(): number {
    return this.#inFlight.size;
  }

  /** True while a connection is open. */
  isConnected(): boolean {
    return this.#generation?.alive === true;
  }

  /** True while the consumer is registered on the processing queue (readiness). */
  isConsuming(): boolean {
    return !this.#stopped && this.#generation?.alive === true && this.#generation.consumerTag !== undefined;
  }

  /**
   * Connects, declares (or checks) the topology and starts consuming. Resolves once consuming;
   * until then connection failures are retried with backoff. Rejects if `stop()` comes first.
   */
  async start(): Promise<void> {
    if (this.#stopped) throw new Error("consumer has been stopped");
    if (this.#started) throw new Error("consumer has already been started");
    this.#started = true;
    const first = new Promise<void>((resolve, reject) => {
      this.#firstConsume = { resolve, reject };
    });
    void this.#connect();
    await first;
  }

  /**
   * Graceful stop: cancels the consumer, lets in-flight deliveries finish within the grace
   * period, returns the rest to the queue (nack-requeue), then closes channels and the
   * connection. Safe to call twice.
   */
  stop(): Promise<void> {
    this.#stopPromise ??= this.#stop();
    return this.#stopPromise;
  }

  async #stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#firstConsume?.reject(new Error("consumer was stopped before it started consuming"));
    this.#firstConsume = undefined;
    const generation = this.#generation;
    if (generation?.alive && generation.consumeChannel !== undefined && generation.consumerTag !== undefined) {
      await generation.consumeChannel.cancel(generation.consumerTag).catch(() => undefined);
      generation.consumerTag = undefined;
    }
    const grace = this.#options.shutdownGraceMs ?? 30_000;
    if (this.#inFlight.size > 0) {
      this.#logger.info({ in_flight: this.#inFlight.size, grace_ms: grace }, "waiting for in-flight messages");
      await Promise.race([this.#allDone(), sleep(grace)]);
    }
    if (this.#inFlight.size > 0) {
      this.#logger.warn({ in_flight: this.#inFlight.size }, "grace period over; returning in-flight messages to the queue");
      for (const item of this.#inFlight) item.controller.abort();
      // Aborted handlers release their claims and nack themselves; wait (bounded) so no
      // handler still uses the stores once the caller closes them.
      await Promise.race([this.#allDone(), sleep(ABORT_WAIT_MS)]);
      for (const item of this.#inFlight) this.#nack(item);
    }
    if (generation !== undefined) await this.#close(generation);
    this.#generation = undefined;
    this.#logger.info({}, "consumer stopped");
  }

  async #allDone(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight].map((i) => i.done ?? Promise.resolve()));
  }

  async #connect(): Promise<void> {
    if (this.#connecting || this.#stopped) return;
    this.#connecting = true;
    try {
      const generation = await this.#open();
      if (this.#stopped) {
        await this.#close(generation);
        return;
      }
      this.#reconnectAttempt = 0;
      this.#logger.info({ queue: this.#topology.queue, prefetch: this.#concurrency }, "consuming");
      this.emit("connected");
      this.#firstConsume?.resolve();
      this.#firstConsume = undefined;
    } catch (error) {
      this.#logger.warn({ error_message: (error as Error).message, attempt: this.#reconnectAttempt }, "broker connection failed");
      this.#scheduleReconnect();
    } finally {
      this.#connecting = false;
    }
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    clearTimeout(this.#reconnectTimer);
    const initial = this.#options.reconnectInitialDelayMs ?? 500;
    const max = this.#options.reconnectMaxDelayMs ?? 30_000;
    const base = Math.min(max, initial * 2 ** Math.min(this.#reconnectAttempt, 20));
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.#reconnectAttempt += 1;
    this.#reconnectTimer = setTimeout(() => void this.#connect(), delay);
  }

  async #open(): Promise<Generation> {
    const socketOptions: Record<string, unknown> = {
      clientProperties: { connection_name: this.#options.connectionName ?? "narrative-engine-consumer" },
      heartbeat: this.#options.heartbeatSeconds ?? 30,
    };
    const connection = await amqp.connect(this.#options.url, socketOptions);
    const generation: Generation = {
      id: ++this.#generationCounter,
      connection,
      consumeChannel: undefined,
      confirmChannel: undefined,
      consumerTag: undefined,
      alive: true,
    };
    connection.on("error", (error: Error) => {
      this.#logger.warn({ error_message: error.message }, "broker connection error");
    });
    connection.on("close", (error?: Error) => {
      this.#lost(generation, error);
    });
    connection.on("blocked", (reason: string) => this.#logger.warn({ reason }, "broker blocked the connection"));
    connection.on("unblocked", () => this.#logger.info({}, "broker unblocked the connection"));
    try {
      // Declaring on its own channel: a failed passive check closes that channel only.
      const setup = await connection.createChannel();
      setup.on("error", () => undefined);
      await declareTopology(setup, this.#topology);
      await setup.close().catch(() => undefined);

      const confirm = await connection.createConfirmChannel();
      this.#watchChannel(generation, confirm, "publish");
      generation.confirmChannel = confirm;
      const consume = await connection.createChannel();
      this.#watchChannel(generation, consume, "consume");
      generation.consumeChannel = consume;
      await consume.prefetch(this.#concurrency);
      this.#generation = generation;
      const reply = await consume.consume(
        this.#topology.queue,
        (message) => {
          if (message === null) {
            // The broker cancelled us (queue deleted or failover): start over.
            this.#logger.warn({}, "consumer cancelled by the broker");
            this.#lost(generation, new Error("consumer cancelled by the broker"));
            return;
          }
          this.#dispatch(generation, message);
        },
        { noAck: false },
      );
      generation.consumerTag = reply.consumerTag;
      return generation;
    } catch (error) {
      generation.alive = false;
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  #watchChannel(generation: Generation, channel: Channel, role: string): void {
    channel.on("error", (error: Error) => {
      this.#logger.warn({ error_message: error.message, channel: role }, "channel error");
    });
    channel.on("close", () => {
      this.#lost(generation, new Error(`${role} channel closed`));
    });
  }

  /** Any loss (connection, either channel) drops the whole generation: unacked deliveries go back to the queue. */
  #lost(generation: Generation, error: Error | undefined): void {
    if (!generation.alive) return;
    generation.alive = false;
    generation.consumerTag = undefined;
    if (this.#generation === generation) this.#generation = undefined;
    void generation.connection.close().catch(() => undefined);
    if (this.#stopped) return;
    this.#logger.warn({ error_message: error?.message }, "broker connection lost; reconnecting");
    this.emit("disconnected", error);
    this.#scheduleReconnect();
  }

  async #close(generation: Generation): Promise<void> {
    generation.alive = false;
    generation.consumerTag = undefined;
    await generation.consumeChannel?.close().catch(() => undefined);
    await generation.confirmChannel?.close().catch(() => undefined);
    await generation.connection.close().catch(() => undefined);
  }

  #dispatch(generation: Generation, message: ConsumeMessage): void {
    const item: InFlight = { message, generation, controller: new AbortController(), settled: false, done: undefined };
    this.#inFlight.add(item);
    item.done = this.#handle(item).finally(() => {
      this.#inFlight.delete(item);
    });
  }

  async #handle(item: InFlight): Promise<void> {
    const { message } = item;
    const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
    const outHeaders: Record<string, unknown> = {};
    const retryCount = retryCountOf(headers);
    let outcome: PipelineOutcome;
    try {
      outcome = await this.#options.handler(
        { body: message.content, headers, ...(retryCount === undefined ? {} : { retryCount }), ...publishedAtOf(message.properties.timestamp) },
        { signal: item.controller.signal, outHeaders, deadLetterMarking: "deferred" },
      );
    } catch (error) {
      // The pipeline never throws by contract; if it does, keep the message.
      this.#logger.error({ error_message: (error as Error).message }, "handler threw; requeueing");
      outcome = { kind: "requeue", delayMs: this.#options.requeueDelayMs ?? 1_000, reason: { errorType: "processing_error", message: "handler threw" } };
    }
    await this.#settle(item, outcome, headers, outHeaders);
  }

  async #settle(item: InFlight, outcome: PipelineOutcome, headers: Record<string, unknown>, outHeaders: Record<string, unknown>): Promise<void> {
    switch (outcome.kind) {
      case "completed":
      case "duplicate":
      case "quarantined":
        this.#ack(item);
        return;
      case "requeue":
        if (!this.#stopped && outcome.delayMs > 0) await sleep(outcome.delayMs);
        this.#nack(item);
        return;
      case "deferred": {
        const tier = tierForDelay(this.#topology, outcome.delayMs);
        const deferred = (typeof headers["x-deferred-count"] === "number" ? headers["x-deferred-count"] : 0) + 1;
        await this.#republish(item, "", tier.queue, undefined, { ...outHeaders, "x-deferred-count": deferred });
        return;
      }
      case "retry": {
        const tier = tierForRetry(this.#topology, outcome.retryNumber);
        await this.#republish(item, "", tier.queue, undefined, {
          ...outHeaders,
          ...this.#failureHeaders(item.message, headers, outcome.reason),
          "x-retry-count": outcome.retryNumber,
        });
        return;
      }
      case "dead_letter":
        await this.#republish(item, this.#topology.deadLetterExchange, this.#topology.deadLetterRoutingKey, outcome, {
          ...outHeaders,
          ...this.#failureHeaders(item.message, headers, outcome.reason),
          "x-retry-count": retryCountOf(headers) ?? 0,
          "x-error-type": outcome.reason.errorType,
          "x-error-message": truncate(outcome.reason.message, MAX_HEADER_MESSAGE),
          "x-dead-lettered-at": new Date().toISOString(),
        });
        return;
    }
  }

  #failureHeaders(message: ConsumeMessage, headers: Record<string, unknown>, reason: OutcomeReason): Record<string, unknown> {
    return {
      "x-first-failure-at": typeof headers["x-first-failure-at"] === "string" ? headers["x-first-failure-at"] : new Date().toISOString(),
      "x-original-routing-key": typeof headers["x-original-routing-key"] === "string" ? headers["x-original-routing-key"] : message.fields.routingKey,
      "x-last-error-type": reason.errorType,
    };
  }

  /**
   * Publishes a copy (same body and properties, extra headers) and acks the original once
   * confirmed; runs the outcome's `commit` after the confirm and `release` when the copy could
   * not be written.
   */
  async #republish(
    item: InFlight,
    exchange: string,
    routingKey: string,
    settlement: { readonly commit?: () => Promise<void>; readonly release?: () => Promise<void> } | undefined,
    extraHeaders: Record<string, unknown>,
  ): Promise<void> {
    const generation = item.generation;
    const channel = generation.confirmChannel;
    if (!generation.alive || channel === undefined) {
      // The broker redelivers the original; let that redelivery run again.
      await this.#runSettlement(settlement?.release, "release");
      return;
    }
    const properties = item.message.properties;
    const options: Options.Publish = {
      contentType: properties.contentType as string | undefined,
      contentEncoding: properties.contentEncoding as string | undefined,
      correlationId: properties.correlationId as string | undefined,
      messageId: properties.messageId as string | undefined,
      timestamp: properties.timestamp as number | undefined,
      type: properties.type as string | undefined,
      appId: properties.appId as string | undefined,
      priority: properties.priority as number | undefined,
      headers: { ...properties.headers, ...extraHeaders },
    };
    try {
      await publishConfirmed(channel, exchange, routingKey, item.message.content, options);
    } catch (error) {
      this.#logger.warn({ error_message: (error as Error).message, exchange, routing_key: routingKey }, "republish failed; requeueing the original");
      await this.#runSettlement(settlement?.release, "release");
      if (!this.#stopped) await sleep(this.#options.requeueDelayMs ?? 1_000);
      this.#nack(item);
      return;
    }
    // The copy is durable: a failed commit only leaves a stale dedup record, so ack regardless.
    await this.#runSettlement(settlement?.commit, "commit");
    this.#ack(item);
  }

  async #runSettlement(step: (() => Promise<void>) | undefined, name: string): Promise<void> {
    if (step === undefined) return;
    try {
      await step();
    } catch (error) {
      this.#logger.warn({ error_message: (error as Error).message, step: name }, "deduplication update after republish failed");
    }
  }

  #ack(item: InFlight): void {
    if (item.settled) return;
    item.settled = true;
    // Never ack on another channel: a delivery from a dead channel is redelivered by the broker.
    if (!item.generation.alive || this.#generation !== item.generation) return;
    item.generation.consumeChannel?.ack(item.message);
  }

  #nack(item: InFlight): void {
    if (item.settled) return;
    item.settled = true;
    if (!item.generation.alive || this.#generation !== item.generation) return;
    item.generation.consumeChannel?.nack(item.message, false, true);
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
