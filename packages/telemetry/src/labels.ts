import { ERROR_TYPES, RECORD_TYPES, parseRecordType, type ErrorType, type RecordType } from "@narrative-engine/contracts";

/** Value of a `record_type` label: one of the six record types, or `unknown` before a body parses. */
export type RecordTypeLabel = RecordType | "unknown";

/** Value of an `error_type` / `reason` label: one of the contract's error types, or `unknown`. */
export type ErrorTypeLabel = ErrorType | "unknown";

/** Every value a `record_type` label can take. */
export const RECORD_TYPE_LABELS: readonly RecordTypeLabel[] = [...RECORD_TYPES, "unknown"];

/** Every value an `error_type` or `reason` label can take. */
export const ERROR_TYPE_LABELS: readonly ErrorTypeLabel[] = [...ERROR_TYPES, "unknown"];

const errorTypes: ReadonlySet<string> = new Set(ERROR_TYPES);

/** Maps anything to a bounded `record_type` label (accepts the producer's `Avro`-prefixed names). */
export function recordTypeLabel(value: unknown): RecordTypeLabel {
  return parseRecordType(value) ?? "unknown";
}

/** Maps anything to a bounded `error_type` label. */
export function errorTypeLabel(value: unknown): ErrorTypeLabel {
  return typeof value === "string" && errorTypes.has(value) ? (value as ErrorType) : "unknown";
}

/** Highest `retry_number` label value; later retries share the `10+` label. */
export const MAX_RETRY_NUMBER_LABEL = 10;

/** Maps a retry number to a bounded `retry_number` label (`1` … `9`, `10+`; `0` for nonsense). */
export function retryNumberLabel(value: number): string {
  if (!Number.isFinite(value) || value < 1) return "0";
  const n = Math.floor(value);
  return n >= MAX_RETRY_NUMBER_LABEL ? `${MAX_RETRY_NUMBER_LABEL}+` : String(n);
}
