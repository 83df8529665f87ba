import type { Readable } from "node:stream";
import { FileTooLargeError } from "@narrative-engine/errors";

/**
 * Reads a stream into one Buffer, destroying it as soon as more than `maxBytes` arrive (then
 * rejecting with `FileTooLargeError`) or when `signal` aborts. The stream is always consumed to
 * its end or destroyed, so a socket is never left half-read.
 */
export async function readBounded(stream: Readable, maxBytes: number | undefined, signal?: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const onAbort = (): void => {
    stream.destroy(abortReason(signal));
  };
  if (signal?.aborted) {
    stream.destroy();
    throw abortReason(signal);
  }
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      total += bytes.length;
      if (maxBytes !== undefined && total > maxBytes) throw new FileTooLargeError(maxBytes, { actualBytes: total });
      chunks.push(bytes);
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    // Leaving the loop early (limit, error) already destroys the stream; this covers every other path.
    if (!stream.readableEnded) stream.destroy();
  }
  return Buffer.concat(chunks, total);
}

/** The reason an aborted signal carries, as an Error (an `AbortError` when it has none). */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  return new DOMException("the operation was aborted", "AbortError");
}
