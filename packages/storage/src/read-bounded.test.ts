import { Readable } from "node:stream";
import { FileTooLargeError } from "@narrative-engine/errors";
import { describe, expect, test } from "vitest";
import { readBounded } from "./read-bounded.ts";

/** An endless stream of 1 KiB chunks that records how many were pulled and whether it was destroyed. */
function endless(): { stream: Readable; pulled: () => number; destroyed: () => boolean } {
  let pulled = 0;
  const stream = new Readable({
    highWaterMark: 1024,
    read() {
      pulled++;
      this.push(Buffer.alloc(1024, 7));
    },
  });
  return { stream, pulled: () => pulled, destroyed: () => stream.destroyed };
}

describe("readBounded", () => {
  test("reads a whole stream within the limit", async () => {
    expect((await readBounded(Readable.from([Buffer.from("ab"), "cd"]), 4)).toString()).toBe("abcd");
    expect((await readBounded(Readable.from([]), 0)).length).toBe(0);
  });

  test("stops an endless stream just past the limit and destroys it", async () => {
    const source = endless();
    const error = await readBounded(source.stream, 64 * 1024).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect(error instanceof FileTooLargeError ? error.limitBytes : undefined).toBe(65536);
    expect(source.pulled()).toBeLessThan(80);
    expect(source.destroyed()).toBe(true);
  });

  test("an abort destroys the stream and rejects with the signal's reason", async () => {
    const source = endless();
    const controller = new AbortController();
    const reading = readBounded(source.stream, undefined, controller.signal);
    controller.abort(new Error("stop now"));
    await expect(reading).rejects.toThrow("stop now");
    expect(source.destroyed()).toBe(true);
  });

  test("an already aborted signal never reads", async () => {
    const source = endless();
    await expect(readBounded(source.stream, undefined, AbortSignal.abort())).rejects.toThrow();
    expect(source.destroyed()).toBe(true);
  });

  test("a stream error rejects and leaves the stream destroyed", async () => {
    const stream = new Readable({
      read() {
        this.destroy(new Error("socket reset"));
      },
    });
    await expect(readBounded(stream, 10)).rejects.toThrow("socket reset");
    expect(stream.destroyed).toBe(true);
  });

  test.each([
    ["exactly as announced", 12],
    ["shorter than announced", 20],
    ["longer than announced", 5],
    ["announced as one byte", 1],
  ])("a body %s (Content-Length %i) reads to the same bytes", async (_name, announced) => {
    const parts = ["abcd", "efgh", "ijkl"].map((x) => Buffer.from(x));
    const out = await readBounded(Readable.from(parts), 100, undefined, announced);
    expect(out.toString()).toBe("abcdefghijkl");
    expect(out.length).toBe(12);
  });

  test("an announced length over the limit is not preallocated, and the limit still holds", async () => {
    const source = endless();
    const error = await readBounded(source.stream, 64 * 1024, undefined, 10 * 1024 * 1024 * 1024).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect(source.destroyed()).toBe(true);
  });
});
