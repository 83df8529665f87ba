/** A pino-compatible logger: structured fields first, then the message. */
export interface Logger {
  /** A logger whose lines all carry `bindings`. */
  child(bindings: Record<string, unknown>): Logger;
  /** Detail for debugging (may carry more context, never record values). */
  debug(obj: object, msg?: string): void;
  /** Normal operation. */
  info(obj: object, msg?: string): void;
  /** Something went wrong but was handled. */
  warn(obj: object, msg?: string): void;
  /** Something went wrong and needs attention. */
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything. */
export const noopLogger: Logger = {
  child: () => noopLogger,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
