import type { ErrorType } from "@narrative-engine/contracts";
import { EtlError, type EtlErrorOptions } from "./etl-error.ts";
import { errorMessage } from "./error-message.ts";
import { AuthError, DataQualityError, NotFoundError, ProcessingError, SchemaError, ValidationError } from "./permanent-errors.ts";
import { NetworkError, RateLimitError, ResourceError, TemporaryError, TimeoutError } from "./transient-errors.ts";

const CLASS_BY_TYPE: Readonly<Record<ErrorType, new (message: string, options?: EtlErrorOptions) => EtlError>> = {
  network_error: NetworkError,
  timeout_error: TimeoutError,
  rate_limit: RateLimitError,
  temporary_error: TemporaryError,
  resource_error: ResourceError,
  not_found: NotFoundError,
  auth_error: AuthError,
  schema_error: SchemaError,
  validation_error: ValidationError,
  data_quality: DataQualityError,
  processing_error: ProcessingError,
};

/** Builds the subclass of {@link EtlError} that belongs to `errorType` (e.g. `NetworkError` for `network_error`). */
export function createEtlError(errorType: ErrorType, message: string, options?: EtlErrorOptions): EtlError {
  return new CLASS_BY_TYPE[errorType](message, options);
}

/**
 * Turns anything thrown into an {@link EtlError} of `errorType` (default `processing_error`),
 * keeping the original as `cause` and its stack frames. An `EtlError` is returned unchanged.
 * Use {@link classifyError} when the type should be worked out from the error itself.
 */
export function fromUnknown(cause: unknown, errorType: ErrorType = "processing_error", message?: string): EtlError {
  if (cause instanceof EtlError) return cause;
  return createEtlError(errorType, message ?? errorMessage(cause), { cause });
}
