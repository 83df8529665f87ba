import { isErrorType, isRetriableErrorType, type ErrorType } from "@narrative-engine/contracts";

/** Options of {@link RecoveryPolicy}. */
export interface RecoveryPolicyOptions {
  /** Delay before each retry, ms; the last one repeats. Default `[30_000, 300_000, 900_000]`. */
  readonly retryDelaysMs?: readonly number[];
  /** Retries allowed before a retriable failure is dead-lettered. Default 3. */
  readonly maxRetries?: number;
}

/** What to do with a message whose processing failed. */
export type RecoveryDecision =
  | { readonly action: "retry"; readonly delayMs: number; readonly retryNumber: number }
  | { readonly action: "quarantine" }
  | { readonly action: "dead_letter"; readonly alert: boolean };

/** Default retry delays: 30 s, 5 min, 15 min (the delay tiers of the broker topology). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = Object.freeze([30_000, 300_000, 900_000]);

/** Default number of retries. */
export const DEFAULT_MAX_RETRIES = 3;

// Bad data will be as bad next time: keep it aside for people to look at.
const QUARANTINE_TYPES: ReadonlySet<ErrorType> = new Set(["data_quality", "schema_error", "validation_error"]);

/**
 * Retry / quarantine / dead-letter routing by {@link ErrorType}: bad data is quarantined,
 * retriable failures are retried with growing delays until `maxRetries`, everything else is
 * dead-lettered (with an alert for `auth_error`, which needs an operator).
 */
export class RecoveryPolicy {
  /** Delay before each retry, ms (index = retries already done; the last repeats). */
  readonly delays: readonly number[];
  /** Retries allowed before a retriable failure is dead-lettered. */
  readonly maxRetries: number;

  constructor(options: RecoveryPolicyOptions = {}) {
    const delays: readonly unknown[] = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    if (!Array.isArray(delays) || delays.length === 0) {
      throw new RangeError("RecoveryPolicy: retryDelaysMs must be a non-empty array of delays in milliseconds");
    }
    delays.forEach((delay, index) => {
      if (typeof delay !== "number" || !Number.isSafeInteger(delay) || delay < 0) {
        throw new RangeError(`RecoveryPolicy: retryDelaysMs[${index}] must be a non-negative integer number of milliseconds, got ${String(delay)}`);
      }
    });
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) {
      throw new RangeError(`RecoveryPolicy: maxRetries must be a non-negative integer, got ${String(maxRetries)}`);
    }
    this.delays = Object.freeze([...(delays as readonly number[])]);
    this.maxRetries = maxRetries;
  }

  /**
   * Decides what happens after a failure of `errorType`; `attempt` is the number of retries
   * already done (0 on the first failure).
   */
  decide(errorType: ErrorType, attempt: number): RecoveryDecision {
    if (!isErrorType(errorType)) throw new RangeError(`RecoveryPolicy: unknown error type ${JSON.stringify(errorType)}`);
    if (!Number.isSafeInteger(attempt) || attempt < 0) {
      throw new RangeError(`RecoveryPolicy: attempt must be a non-negative integer, got ${String(attempt)}`);
    }
    if (QUARANTINE_TYPES.has(errorType)) return { action: "quarantine" };
    if (errorType === "auth_error") return { action: "dead_letter", alert: true };
    if (!isRetriableErrorType(errorType) || attempt >= this.maxRetries) return { action: "dead_letter", alert: false };
    const delayMs = this.delays[Math.min(attempt, this.delays.length - 1)]!;
    return { action: "retry", delayMs, retryNumber: attempt + 1 };
  }
}
