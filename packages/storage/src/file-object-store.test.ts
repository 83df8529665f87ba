import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EtlError, ValidationError } from "@narrative-engine/errors";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { describeObjectStoreConformance } from "./__fixtures__/object-store-conformance.ts";
import { FileObjectStore } from "./file-object-store.ts";

describeObjectStoreConformance("FileObjectStore", async () => {
  const root = mkdtempSync(join(tmpdir(), "ne-file-store-"));
  return {
    store: new FileObjectStore({ root }),
    bucket: "health-data",
    cleanup: async () => rmSync(root, { recursive: true, force: true }),
  };
});

describe("FileObjectStore keeps every path inside its root", () => {
  let outside: string;
  let root: string;
  let store: FileObjectStore;
  const bucket = "health-data";

  beforeAll(() => {
    outside = mkdtempSync(join(tmpdir(), "ne-file-store-outside-"));
    root = join(outside, "root");
    mkdirSync(join(root, bucket), { recursive: true });
    writeFileSync(join(outside, "secret.txt"), "outside the root");
    store = new FileObjectStore({ root });
  });
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  const outsideEntries = () => readdirSync(outside).sort();

  test.each([
    ["../secret.txt", "'..' segment"],
    ["a/../../secret.txt", "'..' segment"],
    ["../../etc/passwd", "'..' segment"],
    ["/etc/passwd", "absolute path"],
    ["a\\..\\..\\secret.txt", "backslash"],
    ["a\0b", "NUL"],
    ["", "empty"],
    ["a//b", "empty path segment"],
    ["a/", "empty path segment"],
    ["./a", "'.' segment"],
    [".ne-meta/x.json", "reserved prefix"],
    ["a/.ne-tmp-123", "reserved prefix"],
  ])("key %j is rejected (%s) by every method and nothing outside is touched", async (key, problem) => {
    const before = outsideEntries();
    const attempts = await Promise.allSettled([
      store.get(bucket, key),
      store.head(bucket, key),
      store.put(bucket, key, "x"),
      store.exists(bucket, key),
      store.copy({ bucket, key }, { bucket, key: "copy-target" }),
      store.copy({ bucket, key: "copy-target" }, { bucket, key }),
    ]);
    for (const attempt of attempts) {
      expect(attempt.status).toBe("rejected");
      const error: unknown = attempt.status === "rejected" ? attempt.reason : undefined;
      expect(error).toBeInstanceOf(EtlError);
      if (!(error instanceof ValidationError)) expect((error as EtlError).errorType).toBe("not_found"); // copy from a missing valid source
    }
    await expect(store.get(bucket, key)).rejects.toThrow(problem);
    expect(outsideEntries()).toEqual(before);
  });

  test.each(["..", "../x", "A", "", "a/b", ".hidden"])("bucket %j is rejected", async (name) => {
    await expect(store.put(name, "k", "x")).rejects.toBeInstanceOf(ValidationError);
    await expect(store.get(name, "k")).rejects.toBeInstanceOf(ValidationError);
  });

  test("%2e%2e is a literal name, not a parent folder", async () => {
    await store.put(bucket, "%2e%2e/%2e%2e/file", "literal");
    expect(existsSync(join(root, bucket, "%2e%2e", "%2e%2e", "file"))).toBe(true);
    expect((await store.get(bucket, "%2e%2e/%2e%2e/file")).toString()).toBe("literal");
  });

  test("a symlinked folder leading outside is refused for reads, writes and lists", async () => {
    symlinkSync(outside, join(root, bucket, "escape"));
    const before = outsideEntries();
    await expect(store.get(bucket, "escape/secret.txt")).rejects.toThrow(/resolves outside the store's root/);
    await expect(store.put(bucket, "escape/planted.txt", "x")).rejects.toThrow(/resolves outside the store's root/);
    await expect(store.put(bucket, "escape/new/deeper.txt", "x")).rejects.toBeInstanceOf(ValidationError);
    expect(outsideEntries()).toEqual(before);
    const listed: string[] = [];
    for await (const item of store.list(bucket, "")) listed.push(item.key);
    expect(listed.some((k) => k.startsWith("escape"))).toBe(false);
    await expect(async () => {
      for await (const item of store.list(bucket, "escape/")) expect(item).toBeUndefined();
    }).rejects.toBeInstanceOf(ValidationError);
  });

  test("a symlinked file leading outside is refused", async () => {
    symlinkSync(join(outside, "secret.txt"), join(root, bucket, "link.txt"));
    await expect(store.get(bucket, "link.txt")).rejects.toThrow(/resolves outside the store's root/);
    await expect(store.head(bucket, "link.txt")).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("FileObjectStore layout", () => {
  let root: string;
  let store: FileObjectStore;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "ne-file-store-layout-"));
    store = new FileObjectStore({ root });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("objects are plain files, metadata sits in a hidden sidecar tree, no temp files remain", async () => {
    await store.put("b", "x/y.avro", "data", { contentType: "application/avro", metadata: { k: "v" } });
    expect(readdirSync(join(root, "b")).sort()).toEqual([".ne-meta", "x"]);
    expect(readdirSync(join(root, "b", "x"))).toEqual(["y.avro"]);
    expect(readdirSync(join(root, "b", ".ne-meta", "x"))).toEqual(["y.avro.json"]);
    const listed: string[] = [];
    for await (const item of store.list("b", "")) listed.push(item.key);
    expect(listed).toEqual(["x/y.avro"]);
  });

  test("a key whose parent is an object is a ValidationError", async () => {
    await store.put("b", "file", "1");
    await expect(store.put("b", "file/child", "2")).rejects.toThrow(/a parent of it is an object/);
    await store.put("b", "folder/child", "3");
    await expect(store.put("b", "folder", "4")).rejects.toBeInstanceOf(ValidationError);
    expect(await store.exists("b", "folder")).toBe(false);
  });

  test("list of a bucket that was never written is empty", async () => {
    const listed: unknown[] = [];
    for await (const item of store.list("never-written", "")) listed.push(item);
    expect(listed).toEqual([]);
  });
});
