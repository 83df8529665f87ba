import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EtlError, NotFoundError, ValidationError } from "@narrative-engine/errors";
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

describe("FileObjectStore checks folders on every call (nothing about them is remembered)", () => {
  let outside: string;
  let root: string;
  let store: FileObjectStore;
  const bucket = "health-data";

  beforeAll(() => {
    outside = mkdtempSync(join(tmpdir(), "ne-file-store-swap-"));
    root = join(outside, "root");
    store = new FileObjectStore({ root });
  });
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  test("a folder written to before and then replaced by a symlink to outside is refused", async () => {
    for (let i = 0; i < 3; i++) await store.put(bucket, `swap/day/${i}.avro`, "inside", { contentType: "application/avro" });
    mkdirSync(join(outside, "target", "day"), { recursive: true });
    writeFileSync(join(outside, "target", "day", "0.avro"), "outside");
    rmSync(join(root, bucket, "swap"), { recursive: true });
    symlinkSync(join(outside, "target"), join(root, bucket, "swap"));
    const before = readdirSync(join(outside, "target", "day")).sort();
    await expect(store.put(bucket, "swap/day/3.avro", "x")).rejects.toThrow(/resolves outside the store's root/);
    await expect(store.put(bucket, "swap/day/0.avro", "x", { metadata: { k: "v" } })).rejects.toThrow(/resolves outside the store's root/);
    await expect(store.get(bucket, "swap/day/0.avro")).rejects.toThrow(/resolves outside the store's root/);
    expect(readdirSync(join(outside, "target", "day")).sort()).toEqual(before);
  });

  test("an ancestor moved outside the root and replaced by a symlink to the same folder is refused", async () => {
    await store.put(bucket, "moved/a/b/1.avro", "inside");
    renameSync(join(root, bucket, "moved"), join(outside, "moved"));
    symlinkSync(join(outside, "moved"), join(root, bucket, "moved"));
    await expect(store.put(bucket, "moved/a/b/2.avro", "x")).rejects.toThrow(/resolves outside the store's root/);
    await expect(store.get(bucket, "moved/a/b/1.avro")).rejects.toThrow(/resolves outside the store's root/);
    expect(readdirSync(join(outside, "moved", "a", "b"))).toEqual(["1.avro"]);
  });

  test("a sidecar folder symlinked to outside is refused before the object is replaced, and no file there is removed or written", async () => {
    await store.put(bucket, "side/x.avro", "1", { contentType: "application/avro" });
    mkdirSync(join(outside, "meta"));
    writeFileSync(join(outside, "meta", "x.avro.json"), "{}");
    rmSync(join(root, bucket, ".ne-meta", "side"), { recursive: true });
    symlinkSync(join(outside, "meta"), join(root, bucket, ".ne-meta", "side"));
    await expect(store.put(bucket, "side/x.avro", "2")).rejects.toThrow(/resolves outside the store's root/);
    await expect(store.put(bucket, "side/x.avro", "3", { contentType: "text/plain" })).rejects.toThrow(/resolves outside the store's root/);
    await expect(store.head(bucket, "side/x.avro")).rejects.toThrow(/resolves outside the store's root/);
    expect(readdirSync(join(outside, "meta"))).toEqual(["x.avro.json"]);
    expect(readFileSync(join(outside, "meta", "x.avro.json"), "utf8")).toBe("{}");
    expect(readFileSync(join(root, bucket, "side", "x.avro"), "utf8")).toBe("1");
  });
});

describe("FileObjectStore sidecars", () => {
  let root: string;
  let store: FileObjectStore;
  const sidecarOf = (key: string) => join(root, "b", ".ne-meta", ...key.split("/")) + ".json";
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "ne-file-store-sidecar-"));
    store = new FileObjectStore({ root });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("a put without content type or metadata writes no sidecar; head reports what it always did", async () => {
    await store.put("b", "plain/x", "data");
    expect(existsSync(sidecarOf("plain/x"))).toBe(false);
    expect(existsSync(join(root, "b", ".ne-meta"))).toBe(false);
    const info = await store.head("b", "plain/x");
    expect(info).toMatchObject({ key: "plain/x", size: 4, contentType: undefined, metadata: {} });
    expect(Object.keys(info)).toContain("contentType");
    expect((await store.get("b", "plain/x")).toString()).toBe("data");
  });

  test("a put without metadata removes the sidecar an earlier put left", async () => {
    await store.put("b", "replace/x", "1", { contentType: "application/avro", metadata: { k: "v" } });
    expect(existsSync(sidecarOf("replace/x"))).toBe(true);
    await store.put("b", "replace/x", "22");
    expect(existsSync(sidecarOf("replace/x"))).toBe(false);
    expect(await store.head("b", "replace/x")).toMatchObject({ size: 2, contentType: undefined, metadata: {} });
    await store.put("b", "replace/x", "333", { metadata: { only: "metadata" } });
    expect(await store.head("b", "replace/x")).toMatchObject({ size: 3, contentType: undefined, metadata: { only: "metadata" } });
  });

  test("copy of an object without a sidecar removes the target's old sidecar", async () => {
    await store.put("b", "copy/source", "s");
    await store.put("b", "copy/target", "t", { contentType: "text/plain" });
    await store.copy({ bucket: "b", key: "copy/source" }, { bucket: "b", key: "copy/target" });
    expect(existsSync(sidecarOf("copy/target"))).toBe(false);
    expect(await store.head("b", "copy/target")).toMatchObject({ size: 1, contentType: undefined, metadata: {} });
  });

  test("a torn sidecar loses only the metadata", async () => {
    await store.put("b", "torn/x", "object", { contentType: "application/avro", metadata: { k: "v" } });
    writeFileSync(sidecarOf("torn/x"), '{"contentType":"appl');
    expect(await store.head("b", "torn/x")).toMatchObject({ size: 6, contentType: undefined, metadata: {} });
    expect((await store.get("b", "torn/x")).toString()).toBe("object");
  });

  test("failed writes leave no temp file behind", async () => {
    await store.put("b", "dir/child", "1", { contentType: "text/plain" });
    await expect(store.put("b", "dir", "2", { contentType: "text/plain" })).rejects.toBeInstanceOf(ValidationError);
    await expect(store.put("b", "dir/child/grandchild", "3")).rejects.toThrow(/a parent of it is an object/);
    await expect(store.put("b", "dir/aborted", "4", { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(EtlError);
    expect(readdirSync(join(root, "b")).filter((name) => name.startsWith(".ne-tmp-"))).toEqual([]);
    expect(readdirSync(join(root, "b", "dir"))).toEqual(["child"]);
  });
});

describe.skipIf(process.platform === "win32")("FileObjectStore reads only plain files", () => {
  let root: string;
  let store: FileObjectStore;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "ne-file-store-special-"));
    store = new FileObjectStore({ root });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("a FIFO at a key is not_found for get and head (and get does not block on it)", async () => {
    mkdirSync(join(root, "b"), { recursive: true });
    execFileSync("mkfifo", [join(root, "b", "fifo")]);
    await expect(store.get("b", "fifo")).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.head("b", "fifo")).rejects.toBeInstanceOf(NotFoundError);
  });

  test("a folder at a key is not_found for get, head and copy", async () => {
    await store.put("b", "folder/child", "1");
    await expect(store.get("b", "folder")).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.head("b", "folder")).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.copy({ bucket: "b", key: "folder" }, { bucket: "b", key: "elsewhere" })).rejects.toBeInstanceOf(NotFoundError);
  });
});
