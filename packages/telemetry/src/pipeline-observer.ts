import type { PipelineStage } from "./create-metrics.ts";

// These shapes mirror the consumer's observer interface structurally, so this package
// never imports the consumer and the worker can hand the one to the other directly.

/** Why a delivery failed: a bounded error type and a message without record values. */
export interface OutcomeReason {
  /** One of the contract's error types (anything else is labelled `unknown`). */
  readonly errorType: string;
  /** What went wrong; must not contain record values, user ids or credentials. */
  readonly message: string;
}

/** How one delivery ended (the consumer's `PipelineOutcome`; extra fields are ignored). */
export type PipelineOutcome =
  | { readonly kind: "completed" }
  | { readonly kind: "duplicate" }
  | { readonly kind: "deferred"; readonly delayMs?: number | undefined }
  | {
      readonly kind: "retry";
      /** Why the attempt failed, when known. */
      readonly reason?: OutcomeReason | undefined;
      /** Which retry this schedules (1 for the first); `attempt + 1` when omitted. */
      readonly retryNumber?: number | undefined;
      /** Delay before the retry, ms. */
      readonly delayMs?: number | undefined;
    }
  | { readonly kind: "dead_letter"; readonly reason: OutcomeReason }
  | { readonly kind: "quarantined"; readonly reason: OutcomeReason }
  | { readonly kind: "requeue"; readonly reason?: OutcomeReason | undefined; readonly delayMs?: number | undefined };

/** What the consumer knows when a delivery starts. */
export interface MessageStart {
  /** Record type as sent (normalised to a bounded label); absent before the body parses. */
  readonly recordType?: string | undefined;
  /** The AMQP headers (trace context is read from `traceparent` / `tracestate`). */
  readonly headers?: Readonly<Record<string, unknown>> | undefined;
  /** Retries already done: 0 on the first delivery. */
  readonly attempt: number;
  /** Correlation id, when known (logged on every line). */
  readonly correlationId?: string | undefined;
  /** Idempotency key, when known (logged on every line). */
  readonly idempotencyKey?: string | undefined;
  /** AMQP `timestamp` of this publish, epoch ms (or a Date); feeds `etl_message_lag_seconds`. */
  readonly publishedAt?: number | Date | undefined;
  /** The producer's upload time (ISO 8601); the lag source on the first delivery when `publishedAt` is absent. */
  readonly uploadTimestampUtc?: string | undefined;
}

/** Details learnt once the message body parsed, for a delivery started without them. */
export interface MessageIdentity {
  /** Record type as sent. */
  readonly recordType?: string | undefined;
  /** Correlation id. */
  readonly correlationId?: string | undefined;
  /** Idempotency key. */
  readonly idempotencyKey?: string | undefined;
}

/** Observes one delivery from start to outcome. */
export interface MessageObservation {
  /** Runs one pipeline stage, timing it and tracing it as a child span; rethrows what `fn` throws. */
  stage<T>(name: PipelineStage, fn: () => T | PromiseLike<T>): Promise<T>;
  /** Reports how many records the file decoded to. */
  recordsParsed(count: number): void;
  /** Reports the file's data-quality score (0–1). */
  qualityScore(score: number): void;
  /** Reports how the delivery ended; later calls are ignored. */
  finished(outcome: PipelineOutcome): void;
  /** Writes this delivery's trace context into headers of a message being republished (retry, dead letter); returns them. */
  injectHeaders<H extends Record<string, unknown>>(headers: H): H;
  /** Adds identity learnt after the start (record type, ids) to later metrics, logs and the span. */
  identify(identity: MessageIdentity): void;
}

/** Observes the consumer's pipeline. */
export interface PipelineObserver {
  /** Starts observing one delivery. */
  messageStarted(start: MessageStart): MessageObservation;
}
