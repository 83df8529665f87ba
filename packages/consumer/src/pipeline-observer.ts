import type { RecordType } from "@narrative-engine/contracts";
import type { PipelineOutcome } from "./pipeline-outcome.ts";

/** The timed stages of the pipeline. */
export type PipelineStage = "download" | "decode" | "validate" | "process" | "output";

/** What is known when a message starts. */
export interface MessageStartInfo {
  /** Record type, when the body parsed. */
  readonly recordType?: RecordType;
  /** Transport headers of the delivery (e.g. W3C trace context). */
  readonly headers: Readonly<Record<string, unknown>>;
  /** Retries already done (0 on the first delivery). */
  readonly attempt: number;
  /** Correlation id, when the body parsed. */
  readonly correlationId?: string;
  /** Idempotency key, when the body parsed. */
  readonly idempotencyKey?: string;
  /** The producer's upload time (ISO 8601), when the body parsed. */
  readonly uploadTimestampUtc?: string;
  /** When the transport says this message was published (epoch ms); first delivery only. */
  readonly publishedAt?: number;
}

/** Telemetry of one message, from start to outcome. */
export interface MessageObservation {
  /** Runs one stage (timed, traced); must return or rethrow what `fn` does. */
  stage<T>(name: PipelineStage, fn: () => Promise<T>): Promise<T>;
  /** Records decoded from the file. */
  recordsParsed(count: number): void;
  /** Quality score of the file. */
  qualityScore(score: number): void;
  /** The message ended with `outcome`; called exactly once. */
  finished(outcome: PipelineOutcome): void;
  /** Adds trace context to headers of a republished copy (retry, defer, dead letter). */
  injectHeaders(headers: Record<string, unknown>): void;
}

/**
 * Hook for metrics and tracing: the pipeline calls `messageStarted` once per delivery and
 * reports on the returned observation. Implementations must not throw.
 */
export interface PipelineObserver {
  /** A delivery entered the pipeline. */
  messageStarted(info: MessageStartInfo): MessageObservation;
}

const noopObservation: MessageObservation = {
  stage: (_name, fn) => fn(),
  recordsParsed: () => undefined,
  qualityScore: () => undefined,
  finished: () => undefined,
  injectHeaders: () => undefined,
};

/** An observer that records nothing. */
export const noopObserver: PipelineObserver = {
  messageStarted: () => noopObservation,
};
