export { EtlError, type EtlErrorOptions } from "./etl-error.ts";
export { NetworkError, RateLimitError, ResourceError, TemporaryError, TimeoutError, type RateLimitErrorOptions } from "./transient-errors.ts";
export { AuthError, DataQualityError, NotFoundError, ProcessingError, SchemaError, ValidationError } from "./permanent-errors.ts";
export { FileTooLargeError, type FileTooLargeErrorOptions } from "./file-too-large-error.ts";
export { createEtlError, fromUnknown } from "./create-etl-error.ts";
export { classifyError } from "./classify-error.ts";
export { errorMessage } from "./error-message.ts";
export {
  DEFAULT_MAX_RETRIES,
  DEFAULT_RETRY_DELAYS_MS,
  RecoveryPolicy,
  type RecoveryDecision,
  type RecoveryPolicyOptions,
} from "./recovery-policy.ts";
