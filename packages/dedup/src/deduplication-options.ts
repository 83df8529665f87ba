import { ValidationError } from "@narrative-engine/errors";

/** Options every deduplication store accepts. */
export interface DeduplicationOptions {
  /** How long a record is kept after its last write, hours. Default 168 (7 days). */
  readonly retentionHours?: number;
  /**
   * Clock in epoch ms, for tests. SQLite always uses it (default `Date.now`); Redis uses the
   * server's `TIME` unless a clock is given.
   */
  readonly now?: () => number;
}

/** Default retention: 7 days. */
export const DEFAULT_RETENTION_HOURS = 168;

/** How many characters of a narrative the store keeps. */
export const NARRATIVE_PREVIEW_LENGTH = 200;

/** The retention in ms, validated. */
export function retentionMsOf(options: DeduplicationOptions): number {
  const hours = options.retentionHours ?? DEFAULT_RETENTION_HOURS;
  if (typeof hours !== "number" || !Number.isFinite(hours) || hours <= 0) {
    throw new ValidationError(`retentionHours must be a positive number of hours, got ${String(hours)}`);
  }
  return Math.max(1, Math.round(hours * 3_600_000));
}

/** The first {@link NARRATIVE_PREVIEW_LENGTH} characters (code points, so no surrogate pair is split). */
export function narrativePreview(narrative: string | undefined): string | null {
  if (narrative === undefined) return null;
  const chars = Array.from(narrative);
  return chars.length <= NARRATIVE_PREVIEW_LENGTH ? narrative : chars.slice(0, NARRATIVE_PREVIEW_LENGTH).join("");
}

/** Rejects empty keys and owners and non-positive leases: these are caller bugs, not outages. */
export function checkClaimArguments(idempotencyKey: string, owner: string, leaseMs: number): void {
  if (typeof idempotencyKey !== "string" || idempotencyKey.length === 0) throw new ValidationError("idempotencyKey must be a non-empty string");
  if (typeof owner !== "string" || owner.length === 0) throw new ValidationError("owner must be a non-empty string");
  if (!Number.isSafeInteger(leaseMs) || leaseMs <= 0) throw new ValidationError(`leaseMs must be a positive integer, got ${String(leaseMs)}`);
}

/** Rejects an empty key or owner. */
export function checkOwnerArguments(idempotencyKey: string, owner: string): void {
  if (typeof idempotencyKey !== "string" || idempotencyKey.length === 0) throw new ValidationError("idempotencyKey must be a non-empty string");
  if (typeof owner !== "string" || owner.length === 0) throw new ValidationError("owner must be a non-empty string");
}
