/** Every kind of failure the engine distinguishes; retry routing switches on these, never on message text. */
export const ERROR_TYPES = [
  "network_error",
  "temporary_error",
  "rate_limit",
  "resource_error",
  "timeout_error",
  "data_quality",
  "schema_error",
  "processing_error",
  "not_found",
  "auth_error",
  "validation_error",
] as const;

/** One of {@link ERROR_TYPES}. */
export type ErrorType = (typeof ERROR_TYPES)[number];

/** Error types worth retrying: the same message may succeed later. */
export const RETRIABLE_ERROR_TYPES = ["network_error", "temporary_error", "rate_limit", "resource_error", "timeout_error"] as const satisfies readonly ErrorType[];

/** Error types that will fail again however often they are retried. */
export const PERMANENT_ERROR_TYPES = ["data_quality", "schema_error", "processing_error", "not_found", "auth_error", "validation_error"] as const satisfies readonly ErrorType[];

const errorTypeSet: ReadonlySet<string> = new Set(ERROR_TYPES);
const retriableSet: ReadonlySet<string> = new Set(RETRIABLE_ERROR_TYPES);

/** True when `value` is one of {@link ERROR_TYPES}. */
export function isErrorType(value: unknown): value is ErrorType {
  return typeof value === "string" && errorTypeSet.has(value);
}

/** True for the retriable error types. */
export function isRetriableErrorType(type: ErrorType): boolean {
  return retriableSet.has(type);
}

/** Thrown by a processor when it cannot produce a result for reasons other than data quality. */
export class ProcessingError extends Error {
  /** Always `processing_error`. */
  readonly errorType: ErrorType = "processing_error";
  override readonly name: string = "ProcessingError";
}

/** Thrown by a processor when the records are too poor to describe; the file is quarantined. */
export class DataQualityError extends Error {
  /** Always `data_quality`. */
  readonly errorType: ErrorType = "data_quality";
  override readonly name: string = "DataQualityError";
}
