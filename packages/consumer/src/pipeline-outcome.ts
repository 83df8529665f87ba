import type { ErrorType } from "@narrative-engine/contracts";

/** Why a message was dead-lettered or quarantined (no record values, no user id). */
export interface OutcomeReason {
  /** The error type. */
  readonly errorType: ErrorType;
  /** A message without record values. */
  readonly message: string;
}

/** What the pipeline decided for one delivery; the transport turns it into broker actions. */
export type PipelineOutcome =
  /** Processed and written; ack. */
  | { readonly kind: "completed" }
  /** Already finished (or now owned) elsewhere; ack. */
  | { readonly kind: "duplicate" }
  /** Another worker holds a live lease; republish to a delay tier without counting a retry, ack. */
  | { readonly kind: "deferred"; readonly delayMs: number }
  /** Retriable failure; republish to the tier of `retryNumber`, ack. */
  | { readonly kind: "retry"; readonly delayMs: number; readonly retryNumber: number; readonly reason: OutcomeReason }
  /**
   * Permanent failure; republish to the dead-letter exchange, ack. After a claim, with
   * `deadLetterMarking: "deferred"`, it carries
   * `commit` (call once the dead letter is durable: marks the key dead_lettered) and `release`
   * (call when it could not be written: marks the key failed so a redelivery runs again).
   */
  | {
      readonly kind: "dead_letter";
      readonly reason: OutcomeReason;
      readonly commit?: () => Promise<void>;
      readonly release?: () => Promise<void>;
    }
  /** The file went to quarantine with a metadata sidecar; ack. */
  | { readonly kind: "quarantined"; readonly reason: OutcomeReason }
  /** The dedup store (or a broker publish) is unreachable; nack with requeue after `delayMs`, never ack. */
  | { readonly kind: "requeue"; readonly delayMs: number; readonly reason: OutcomeReason };

/** One of the outcome kinds. */
export type PipelineOutcomeKind = PipelineOutcome["kind"];
