import type { ErrorType } from "./error-type.ts";
import type { HealthDataMessage } from "./health-data-message.ts";
import type { RecordType } from "./record-types.ts";

/** Lifecycle states of a processed message. */
export const PROCESSING_STATUSES = ["processing", "completed", "failed", "quarantined", "dead_lettered"] as const;

/** One of {@link PROCESSING_STATUSES}. */
export type ProcessingStatus = (typeof PROCESSING_STATUSES)[number];

/** Statuses after which a redelivered message is a duplicate. */
export const TERMINAL_STATUSES = ["completed", "quarantined", "dead_lettered"] as const satisfies readonly ProcessingStatus[];

/** What the store knows about one idempotency key. */
export interface ProcessingRecord {
  /** The key. */
  readonly idempotencyKey: string;
  /** Producer's message id, when sent. */
  readonly messageId: string | null;
  /** Correlation id. */
  readonly correlationId: string | null;
  /** User the data belongs to. */
  readonly userId: string;
  /** Record type. */
  readonly recordType: RecordType;
  /** Object key of the file. */
  readonly s3Key: string;
  /** Current status. */
  readonly status: ProcessingStatus;
  /** Owner token of the current or last claim. */
  readonly owner: string | null;
  /** When the current lease ends, epoch ms (null once finished). */
  readonly leaseExpiresAt: number | null;
  /** How many times the key has been claimed. */
  readonly attempts: number;
  /** Last error message (no record values). */
  readonly errorMessage: string | null;
  /** Last error type. */
  readonly errorType: ErrorType | null;
  /** When the current attempt started, epoch ms. */
  readonly startedAt: number | null;
  /** When processing finished, epoch ms. */
  readonly completedAt: number | null;
  /** Seconds the successful attempt took. */
  readonly processingTimeSeconds: number | null;
  /** Records processed. */
  readonly recordsProcessed: number | null;
  /** Quality score of the file. */
  readonly qualityScore: number | null;
  /** First 200 characters of the narrative. */
  readonly narrativePreview: string | null;
  /** When the record was created, epoch ms. */
  readonly createdAt: number;
  /** When the record may be removed, epoch ms. */
  readonly expiresAt: number;
}

/** Answer of {@link DeduplicationStore.tryClaim}. */
export type ClaimResult =
  | { readonly status: "claimed"; readonly attempt: number }
  | { readonly status: "duplicate"; readonly record: ProcessingRecord }
  | { readonly status: "busy"; readonly remainingMs: number };

/** Details recorded when processing completes. */
export interface CompletionDetails {
  /** Seconds the attempt took. */
  readonly processingTimeSeconds: number;
  /** Records processed. */
  readonly recordsProcessed: number;
  /** Quality score of the file. */
  readonly qualityScore: number;
  /** The narrative; the store keeps its first 200 characters. */
  readonly narrative?: string;
}

/** Details recorded when processing fails or ends in quarantine or the dead-letter queue. */
export interface FailureDetails {
  /** The error type. */
  readonly errorType: ErrorType;
  /** A message without record values. */
  readonly errorMessage: string;
}

/** Counts of records by status. */
export type DeduplicationStats = Readonly<Record<ProcessingStatus, number>>;

/**
 * Lease-based deduplication. A claim is atomic; every write after it checks the owner
 * token, so a worker that lost its lease cannot overwrite a newer result.
 */
export interface DeduplicationStore {
  /**
   * Claims `idempotencyKey` for `owner` for `leaseMs`. Answers `duplicate` when the key
   * reached a terminal status, `busy` while another owner's lease is live, else `claimed`
   * (a new key, an expired lease, or a `failed` record coming back for a retry).
   */
  tryClaim(message: HealthDataMessage, idempotencyKey: string, owner: string, leaseMs: number): Promise<ClaimResult>;
  /** Extends the lease; false when `owner` no longer holds it. */
  renewLease(idempotencyKey: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Marks the key completed; false when `owner` no longer holds it. */
  markProcessingCompleted(idempotencyKey: string, owner: string, details: CompletionDetails): Promise<boolean>;
  /** Marks the key failed (claimable again by a retry); false when `owner` no longer holds it. */
  markProcessingFailed(idempotencyKey: string, owner: string, failure: FailureDetails): Promise<boolean>;
  /** Marks the key quarantined (terminal); false when `owner` no longer holds it. */
  markQuarantined(idempotencyKey: string, owner: string, failure: FailureDetails): Promise<boolean>;
  /** Marks the key dead-lettered (terminal); false when `owner` no longer holds it. */
  markDeadLettered(idempotencyKey: string, owner: string, failure: FailureDetails): Promise<boolean>;
  /** Makes a dead-lettered key claimable again (for replaying dead letters); true when it was dead-lettered. Completed and quarantined keys stay terminal. */
  reopen?(idempotencyKey: string): Promise<boolean>;
  /** True when the key reached a terminal status. */
  isAlreadyProcessed(idempotencyKey: string): Promise<boolean>;
  /** The record for a key, if any. */
  getRecord(idempotencyKey: string): Promise<ProcessingRecord | undefined>;
  /** Counts of records by status. */
  stats(): Promise<DeduplicationStats>;
  /** Removes records past their expiry; returns how many went. */
  cleanupExpiredRecords(): Promise<number>;
  /** Resolves when the store answers (for readiness checks); rejects otherwise. */
  ping(): Promise<void>;
  /** Releases connections; safe to call twice. */
  close(): Promise<void>;
}
