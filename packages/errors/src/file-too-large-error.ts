import type { EtlErrorOptions } from "./etl-error.ts";
import { ValidationError } from "./permanent-errors.ts";

/** Options of {@link FileTooLargeError}. */
export interface FileTooLargeErrorOptions extends Omit<EtlErrorOptions, "retriable"> {
  /** Bytes seen (or announced) when the limit was passed, when known. */
  readonly actualBytes?: number;
}

/** A download passed its size limit. Permanent: the same file will be as large next time. */
export class FileTooLargeError extends ValidationError {
  override readonly name: string = "FileTooLargeError";
  /** The limit that was passed, in bytes. */
  readonly limitBytes: number;
  /** Bytes seen (or announced) when the limit was passed, when known. */
  readonly actualBytes: number | undefined;

  constructor(limitBytes: number, options: FileTooLargeErrorOptions = {}) {
    const seen = options.actualBytes === undefined ? "" : ` (${options.actualBytes} bytes)`;
    super(`file is larger than the limit of ${limitBytes} bytes${seen}`, { ...options, retriable: false });
    this.limitBytes = limitBytes;
    this.actualBytes = options.actualBytes;
  }
}
