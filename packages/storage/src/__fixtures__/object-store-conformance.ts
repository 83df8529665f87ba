import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { EtlError, FileTooLargeError, NotFoundError, ValidationError } from "@narrative-engine/errors";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ObjectStore } from "../object-store.ts";

/** One store under test and how to observe it. */
export interface ConformanceTarget {
  readonly store: ObjectStore;
  readonly bucket: string;
  /** Bytes the backend has sent so far, when the test can measure it (S3 through a counting proxy). */
  readonly bytesTransferred?: () => number;
  /** Stops servers and removes folders. */
  cleanup(): Promise<void>;
}

async function rejection(promise: Promise<unknown>): Promise<EtlError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EtlError);
    return error as EtlError;
  }
  throw new Error("expected a rejection");
}

// toEqual walks Buffers element by element (seconds for megabytes); compare bytes directly.
function expectSameBytes(actual: Buffer, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(actual, expected)).toBe(0);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

/** The behaviour every {@link ObjectStore} must share; run once per implementation. */
export function describeObjectStoreConformance(name: string, setup: () => Promise<ConformanceTarget>): void {
  describe(`${name} conformance`, () => {
    let target: ConformanceTarget;
    let store: ObjectStore;
    let bucket: string;
    beforeAll(async () => {
      target = await setup();
      store = target.store;
      bucket = target.bucket;
    });
    afterAll(async () => {
      await store.close();
      await store.close(); // safe twice
      await target.cleanup();
    });

    test("put and get bytes, a Uint8Array and a string", async () => {
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await store.put(bucket, "bytes/all-values.bin", bytes);
      expect(await store.get(bucket, "bytes/all-values.bin")).toEqual(bytes);
      await store.put(bucket, "bytes/view.bin", new Uint8Array(bytes.buffer, bytes.byteOffset + 10, 20));
      expect(await store.get(bucket, "bytes/view.bin")).toEqual(bytes.subarray(10, 30));
      await store.put(bucket, "bytes/text.txt", "grüße ✓\n");
      expect((await store.get(bucket, "bytes/text.txt")).toString("utf8")).toBe("grüße ✓\n");
      await store.put(bucket, "bytes/empty", Buffer.alloc(0));
      expect(await store.get(bucket, "bytes/empty")).toEqual(Buffer.alloc(0));
    });

    test("put a stream of unknown length", async () => {
      const chunks = Array.from({ length: 40 }, () => randomBytes(10_000));
      await store.put(bucket, "stream/object.bin", Readable.from(chunks), { contentType: "application/octet-stream" });
      expectSameBytes(await store.get(bucket, "stream/object.bin"), Buffer.concat(chunks));
    });

    test("content type and user metadata round-trip through head", async () => {
      await store.put(bucket, "meta/file.avro", Buffer.from("avro"), {
        contentType: "application/avro",
        metadata: { "User-Hash": "abc123", correlation: "c-1" },
      });
      const info = await store.head(bucket, "meta/file.avro");
      expect(info).toMatchObject({ key: "meta/file.avro", size: 4, contentType: "application/avro" });
      expect(info.metadata).toEqual({ "user-hash": "abc123", correlation: "c-1" });
      expect(info.lastModified).toBeInstanceOf(Date);
      expect(typeof info.etag).toBe("string");
      // A second put replaces the object and its metadata.
      await store.put(bucket, "meta/file.avro", Buffer.from("avro2"));
      const replaced = await store.head(bucket, "meta/file.avro");
      expect(replaced.size).toBe(5);
      expect(replaced.metadata).toEqual({});
    });

    test("metadata the stores cannot keep is a ValidationError", async () => {
      const error = await rejection(store.put(bucket, "meta/bad", "x", { metadata: { name: "naïve" } }));
      expect(error).toBeInstanceOf(ValidationError);
    });

    test("exists", async () => {
      await store.put(bucket, "exists/yes", "1");
      expect(await store.exists(bucket, "exists/yes")).toBe(true);
      expect(await store.exists(bucket, "exists/no")).toBe(false);
    });

    test("a missing key is not_found for get and head", async () => {
      const missing = await rejection(store.get(bucket, "missing/key.avro"));
      expect(missing).toBeInstanceOf(NotFoundError);
      expect(missing.errorType).toBe("not_found");
      expect(missing.retriable).toBe(false);
      expect((await rejection(store.head(bucket, "missing/key.avro"))).errorType).toBe("not_found");
    });

    // s3rver decodes x-amz-copy-source with decodeURI, so '+', '&', '=', '?', '#' in a source key
    // work on AWS and MinIO but not here; copySource() encodes them (see its unit test).
    test("copy, with spaces, unicode and percent signs in the keys", async () => {
      const source = "copy/dir with space/ünïcødé ✓ file %20 (1).avro";
      const targetKey = "copy/target dir/kopie ✓ + & = %2F.avro";
      await store.put(bucket, source, Buffer.from("copied bytes"), { contentType: "application/avro", metadata: { origin: "test" } });
      await store.copy({ bucket, key: source }, { bucket, key: targetKey });
      expect((await store.get(bucket, targetKey)).toString()).toBe("copied bytes");
      const info = await store.head(bucket, targetKey);
      expect(info.metadata).toEqual({ origin: "test" });
      expect(info.contentType).toBe("application/avro");
      expect(await store.exists(bucket, source)).toBe(true);
      expect((await rejection(store.copy({ bucket, key: "copy/missing" }, { bucket, key: "copy/x" }))).errorType).toBe("not_found");
    });

    test("list with a prefix, in key order, recursively", async () => {
      for (const key of ["list/b/5", "list/a/2", "list/a/1", "list/a/b/3", "list/ab/4"]) await store.put(bucket, key, key);
      const under = await collect(store.list(bucket, "list/a/"));
      expect(under.map((o) => o.key)).toEqual(["list/a/1", "list/a/2", "list/a/b/3"]);
      expect(under[0]).toMatchObject({ size: "list/a/1".length, metadata: {}, contentType: undefined });
      expect(under[0]!.lastModified).toBeInstanceOf(Date);
      expect((await collect(store.list(bucket, "list/a"))).map((o) => o.key)).toEqual(["list/a/1", "list/a/2", "list/a/b/3", "list/ab/4"]);
      expect(await collect(store.list(bucket, "list/none/"))).toEqual([]);
    });

    test("list pages through more than 1,000 objects", async () => {
      const keys = Array.from({ length: 1100 }, (_, i) => `many/${String(i).padStart(5, "0")}.json`);
      await inBatches(keys, 50, (key) => store.put(bucket, key, "{}"));
      const listed = await collect(store.list(bucket, "many/"));
      expect(listed.map((o) => o.key)).toEqual(keys);
    }, 180_000);

    test("maxBytes: a larger object fails with FileTooLargeError without being read, and the store keeps working", async () => {
      const big = randomBytes(5 * 1024 * 1024);
      await store.put(bucket, "big/object.bin", big);
      await store.put(bucket, "big/small.txt", "small");
      const before = target.bytesTransferred?.() ?? 0;
      const error = await rejection(store.get(bucket, "big/object.bin", { maxBytes: 64 * 1024 }));
      expect(error).toBeInstanceOf(FileTooLargeError);
      expect(error.retriable).toBe(false);
      expect(error instanceof FileTooLargeError ? error.limitBytes : undefined).toBe(65536);
      expect(error.message).toContain("65536 bytes");
      if (target.bytesTransferred) expect(target.bytesTransferred() - before).toBeLessThan(big.length / 2);
      // More refusals than the socket pool has sockets: a leaked body would exhaust it and hang here.
      for (let i = 0; i < 80; i++) {
        expect(await rejection(store.get(bucket, "big/object.bin", { maxBytes: 1024 }))).toBeInstanceOf(FileTooLargeError);
      }
      expect((await store.get(bucket, "big/small.txt", { maxBytes: 5 })).toString()).toBe("small");
      expectSameBytes(await store.get(bucket, "big/object.bin", { maxBytes: big.length }), big);
    });

    test("an aborted signal cancels get, head and put", async () => {
      await store.put(bucket, "abort/object", randomBytes(1024 * 1024));
      const aborted = AbortSignal.abort();
      expect(await rejection(store.get(bucket, "abort/object", { signal: aborted }))).toBeInstanceOf(EtlError);
      expect(await rejection(store.head(bucket, "abort/object", { signal: aborted }))).toBeInstanceOf(EtlError);
      expect(await rejection(store.put(bucket, "abort/never", "x", { signal: aborted }))).toBeInstanceOf(EtlError);
      expect(await store.exists(bucket, "abort/never")).toBe(false);
      const controller = new AbortController();
      const pending = store.get(bucket, "abort/object", { signal: controller.signal });
      controller.abort();
      expect(await rejection(pending)).toBeInstanceOf(EtlError);
      // Still usable afterwards.
      expect((await store.get(bucket, "abort/object")).length).toBe(1024 * 1024);
    });
  });
}
