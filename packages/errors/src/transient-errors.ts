import { EtlError, type EtlErrorOptions } from "./etl-error.ts";

/** A connection could not be made or was lost (retriable). */
export class NetworkError extends EtlError {
  override readonly name: string = "NetworkError";
  constructor(message: string, options?: EtlErrorOptions) {
    super("network_error", message, options);
  }
}

/** An operation ran past its deadline (retriable). */
export class TimeoutError extends EtlError {
  override readonly name: string = "TimeoutError";
  constructor(message: string, options?: EtlErrorOptions) {
    super("timeout_error", message, options);
  }
}

/** Options of {@link RateLimitError}. */
export interface RateLimitErrorOptions extends EtlErrorOptions {
  /** How long the service asked us to wait, when it said. */
  readonly retryAfterMs?: number;
}

/** A service asked us to slow down (retriable). */
export class RateLimitError extends EtlError {
  override readonly name: string = "RateLimitError";
  /** How long the service asked us to wait, when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: RateLimitErrorOptions = {}) {
    super("rate_limit", message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A transient failure of a dependency, e.g. a 5xx answer (retriable). */
export class TemporaryError extends EtlError {
  override readonly name: string = "TemporaryError";
  constructor(message: string, options?: EtlErrorOptions) {
    super("temporary_error", message, options);
  }
}

/** Memory, disk or descriptors ran out (retriable: another worker or a later try may have room). */
export class ResourceError extends EtlError {
  override readonly name: string = "ResourceError";
  constructor(message: string, options?: EtlErrorOptions) {
    super("resource_error", message, options);
  }
}
