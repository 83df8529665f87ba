import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { processMessage } from "@narrative-engine/consumer";
import type { DeduplicationStore } from "@narrative-engine/contracts";
import { FileObjectStore, sha256Hex } from "@narrative-engine/storage";
import { describeWithSamples, readSample, sampleFiles } from "@narrative-engine/test-kit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDedupStore, createLocalStore, createPipeline, type ComposedPipeline } from "../src/composition.ts";
import { loadConfig } from "../src/config.ts";
import { cleanEnv, requireBuiltCli, runCli } from "./cli-process.ts";

requireBuiltCli();

// Object keys, buckets and idempotency keys crafted to walk out of the local store's root: the
// embedded store and the FileObjectStore must refuse them, and nothing outside the root changes.
const work = mkdtempSync(join(tmpdir(), "ne-traversal-"));
const root = join(work, "store");
const bucket = "health-data";

/** Every file under `dir` (relative path → size), skipping `skip` sub-trees. */
function snapshot(dir: string, skip: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (skip.some((s) => p === s || p.startsWith(`${s}/`))) continue;
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), statSync(p).size);
    }
  };
  walk(dir);
  return out;
}

/** Every file under `dir` (recursively) whose bytes equal `bytes`. */
function filesWithContent(dir: string, bytes: Buffer): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (statSync(p).size === bytes.length && readFileSync(p).equals(bytes)) hits.push(p);
    }
  };
  walk(dir);
  return hits;
}

const HOSTILE_KEYS = [
  "../outside.avro",
  "../../outside.avro",
  "raw/../../outside.avro",
  "raw/./../../outside.avro",
  "/etc/passwd",
  `${work}/outside.avro`,
  "raw/\0/outside.avro",
  "raw/outside.avro\0.txt",
  "..\\outside.avro",
  "raw\\..\\..\\outside.avro",
  "raw//outside.avro",
  "..",
  ".",
  "raw/.ne-meta/x",
];

describe("FileObjectStore refuses keys that leave its root", () => {
  let store: FileObjectStore;
  let before: Map<string, number>;
  beforeAll(() => {
    mkdirSync(join(work, "fs-root"), { recursive: true });
    writeFileSync(join(work, "fs-sentinel.txt"), "untouched");
    store = new FileObjectStore({ root: join(work, "fs-root") });
    before = snapshot(work, [join(work, "fs-root")]);
  });

  test.each(HOSTILE_KEYS)("key %j", async (key) => {
    await expect(store.put(bucket, key, "escaped")).rejects.toMatchObject({ errorType: "validation_error" });
    await expect(store.get(bucket, key)).rejects.toMatchObject({ errorType: "validation_error" });
    await expect(store.exists(bucket, key)).rejects.toMatchObject({ errorType: "validation_error" });
    await expect(store.copy({ bucket, key: "ok.txt" }, { bucket, key })).rejects.toThrow();
    await expect(store.copy({ bucket, key }, { bucket, key: "copied.txt" })).rejects.toThrow();
  });

  test.each(["..", ".", "../health-data", "a/b", "UPPER", "", "a\0b"])("bucket %j", async (b) => {
    await expect(store.put(b, "x.txt", "escaped")).rejects.toMatchObject({ errorType: "validation_error" });
  });

  test("nothing outside the root was created or changed", () => {
    expect(snapshot(work, [join(work, "fs-root")])).toEqual(before);
  });
});

describeWithSamples("the pipeline on a local store (embedded mode) never reads or writes outside the root", () => {
  let pipeline: ComposedPipeline;
  let dedup: DeduplicationStore;
  let outside: Buffer;
  let before: Map<string, number>;

  beforeAll(async () => {
    const glucose = sampleFiles("BloodGlucoseRecord");
    // The file outside the root is a valid export, so a traversal that reached it would "succeed".
    outside = readSample(glucose[1]!.name);
    writeFileSync(join(work, "outside.avro"), outside);
    mkdirSync(join(root, bucket, "raw"), { recursive: true });
    writeFileSync(join(root, "outside.avro"), outside); // one level up from the bucket folder
    const { config } = loadConfig({ ETL_DATA_QUALITY_THRESHOLD: "0" });
    const store = createLocalStore(root);
    mkdirSync(join(work, "state"), { recursive: true });
    dedup = createDedupStore(config, join(work, "state", "dedup.sqlite"));
    pipeline = await createPipeline({ config, store, dedup, outputBucket: bucket, allowedBuckets: [bucket, "..", "../health-data", "."], workerId: "traversal-test" });
    before = snapshot(work, [root, join(work, "state")]);
  }, 60_000);

  afterAll(async () => {
    await pipeline?.close();
    await dedup?.close();
  });

  const message = (fields: Record<string, unknown>, i: number) =>
    JSON.stringify({
      bucket,
      user_id: `traversal-${i}`,
      record_type: "BloodGlucoseRecord",
      upload_timestamp_utc: "2026-01-05T10:00:00Z",
      file_size_bytes: outside.length,
      content_hash: sha256Hex(outside),
      idempotency_key: `traversal-${String(i).padStart(6, "0")}`,
      message_id: `traversal-${i}`,
      ...fields,
    });

  test("hostile object keys, buckets and idempotency keys are refused: dead-lettered or quarantined, nothing completed", async () => {
    const cases = [
      ...HOSTILE_KEYS.map((key) => ({ key })),
      { bucket: "..", key: "outside.avro" },
      { bucket: ".", key: "store/outside.avro" },
      { bucket: "../health-data", key: "raw/x.avro" },
      // A legitimate object, but an idempotency key that would put the training output outside the root.
      { key: "raw/ok.avro", idempotency_key: "../../../../escaped" },
      { key: "raw/ok.avro", idempotency_key: "/tmp/escaped-absolute" },
      { key: "raw/ok.avro", idempotency_key: "..\\..\\escaped" },
    ];
    await pipeline.deps.store.put(bucket, "raw/ok.avro", outside);
    const outcomes: string[] = [];
    for (const [i, fields] of cases.entries()) {
      const outcome = await processMessage({ body: Buffer.from(message(fields, i)) }, pipeline.deps);
      outcomes.push(`${JSON.stringify(fields)} → ${outcome.kind}${"reason" in outcome ? ` (${outcome.reason.errorType})` : ""}`);
      expect(["dead_letter", "quarantined"], outcomes.at(-1)).toContain(outcome.kind);
      if (outcome.kind === "dead_letter") await outcome.commit?.();
    }
    // Nothing outside the root was created or changed, and the outside file's bytes were never copied in.
    expect(snapshot(work, [root, join(work, "state")])).toEqual(before);
    const copies = filesWithContent(root, outside).map((p) => relative(root, p)).sort();
    expect(copies).toEqual(["health-data/raw/ok.avro", "outside.avro"]);
  }, 120_000);
});

describeWithSamples("the process command keeps a hostile --user inside --out", () => {
  test("--user with '..', slashes and backslashes", async () => {
    const dir = join(work, "embedded");
    mkdirSync(dir, { recursive: true });
    const before = snapshot(work, [dir, root, join(work, "state"), join(work, "fs-root")]);
    const sample = sampleFiles("StepsRecord")[0]!;
    const r = await runCli(["process", sample.path, "--out", join(dir, "out"), "--state-dir", join(dir, "state"), "--user", "../../../../tmp/evil\\..\\x/../y"], { env: cleanEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(snapshot(work, [dir, root, join(work, "state"), join(work, "fs-root")])).toEqual(before);
    const created = [...snapshot(dir, []).keys()];
    expect(created.length).toBeGreaterThan(0);
    expect(created.every((p) => p.startsWith("out/") || p.startsWith("state/"))).toBe(true);
  }, 120_000);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});
