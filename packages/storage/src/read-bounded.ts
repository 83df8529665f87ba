import type { Readable } from "node:stream";
import { FileTooLargeError } from "@narrative-engine/errors";

/**
 * Reads a stream into one Buffer, destroying it as soon as more than `maxBytes` arrive (then
 * rejecting with `FileTooLargeError`) or when `signal` aborts. The stream is always consumed to
 * its end or destroyed, so a socket is never left half-read.
 *
 * With `expectedBytes` (a Content-Length) the chunks are copied into one buffer of that size as
 * they arrive, so a large body is held once, not twice (chunks plus their concatenation) at the
 * end; a stream that turns out longer or shorter than announced is still read correctly.
 */
export async function readBounded(stream: Readable, maxBytes: number | undefined, signal?: AbortSignal, expectedBytes?: number): Promise<Buffer> {
  const presized = expectedBytes !== undefined && expectedBytes > 0 && (maxBytes === undefined || expectedBytes <= maxBytes);
  let target = presized ? Buffer.allocUnsafe(expectedBytes) : undefined;
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
      if (maxBytes !== undefined && total + bytes.length > maxBytes) throw new FileTooLargeError(maxBytes, { actualBytes: total + bytes.length });
      if (target !== undefined && total + bytes.length <= target.length) {
        bytes.copy(target, total);
      } else {
        if (target !== undefined) {
          // Longer than announced: keep what was copied and collect the rest as chunks.
          chunks.push(target.subarray(0, total));
          target = undefined;
        }
        chunks.push(bytes);
      }
      total += bytes.length;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    // Leaving the loop early (limit, error) already destroys the stream; this covers every other path.
    if (!stream.readableEnded) stream.destroy();
  }
  if (target !== undefined) return total === target.length ? target : target.subarray(0, total);
  return Buffer.concat(chunks, total);
}

/** The reason an aborted signal carries, as an Error (an `AbortError` when it has none). */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  return new DOMException("the operation was aborted", "AbortError");
}
