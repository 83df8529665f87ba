import { isRetriableErrorType, type ErrorType } from "@narrative-engine/contracts";

/** Options every {@link EtlError} accepts. */
export interface EtlErrorOptions {
  /** The underlying error; its stack is kept. */
  readonly cause?: unknown;
  /** Overrides the retriability derived from the error type. */
  readonly retriable?: boolean;
}

/**
 * The one error class the engine routes on: a closed {@link ErrorType} code, whether a retry
 * may help, and the original cause. Retry routing switches on `errorType`, never on message text.
 */
export class EtlError extends Error {
  /** What kind of failure this is. */
  readonly errorType: ErrorType;
  /** True when retrying the same message may succeed (derived from `errorType` unless overridden). */
  readonly retriable: boolean;
  override readonly name: string = "EtlError";

  constructor(errorType: ErrorType, message: string, options: EtlErrorOptions = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.errorType = errorType;
    this.retriable = options.retriable ?? isRetriableErrorType(errorType);
    keepCauseStack(this, options.cause);
  }
}

// When wrapping, the frames of the original error are the useful ones; keep them under our header.
function keepCauseStack(error: Error, cause: unknown): void {
  if (!(cause instanceof Error) || typeof cause.stack !== "string") return;
  const frames = cause.stack
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .join("\n");
  if (frames.length === 0) return;
  // `name` is assigned by subclass field initialisers after this runs, so read it lazily.
  Object.defineProperty(error, "stack", {
    configurable: true,
    enumerable: false,
    get(this: Error) {
      return `${this.name}: ${this.message}\n${frames}`;
    },
    set(value: unknown) {
      Object.defineProperty(error, "stack", { configurable: true, enumerable: false, writable: true, value });
    },
  });
}
