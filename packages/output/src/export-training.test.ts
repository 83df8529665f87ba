import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { trainingExampleSchema } from "@narrative-engine/contracts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { example } from "./__fixtures__/examples.ts";
import { STORE_FACTORIES, type StoreUnderTest } from "./__fixtures__/stores.ts";
import { TrainingOutputWriter, exportTraining } from "./index.ts";

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on("data", (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

describe.each(STORE_FACTORIES)("exportTraining on the %s", (_name, open) => {
  let s: StoreUnderTest;
  let dir: string;
  let n = 0;
  const nextPrefix = () => `e${++n}/training/`;

  beforeAll(async () => {
    s = await open();
    dir = await mkdtemp(join(tmpdir(), "ne-export-"));
  });
  afterAll(async () => {
    await s.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("concatenates in key order, drops exact duplicates, skips invalid lines and non-.jsonl objects", async () => {
    const prefix = nextPrefix();
    const writer = new TrainingOutputWriter({ store: s.store, bucket: s.bucket, prefix });
    const written = await Promise.all(["k-c", "k-a", "k-b"].map((k) => writer.write(example(k))));
    // A byte-identical copy under another key (e.g. a re-export filed under another month).
    const copyKey = `${prefix}metabolic_diabetes/2024/01/k-a-copy.jsonl`;
    await s.store.copy({ bucket: s.bucket, key: written[1]!.key }, { bucket: s.bucket, key: copyKey });
    // An object holding two lines, one a duplicate of k-b, plus a blank line.
    const kb = (await s.store.get(s.bucket, written[2]!.key)).toString("utf8");
    const multi = `${JSON.stringify(example("k-d"))}\n\n${kb}`;
    await s.store.put(s.bucket, `${prefix}metabolic_diabetes/2025/09/k-d.jsonl`, multi);
    await s.store.put(s.bucket, `${prefix}metabolic_diabetes/2025/09/k-e.jsonl`, '{"instruction":"x"}\nnot json\n');
    await s.store.put(s.bucket, `${prefix}metabolic_diabetes/2025/09/notes.txt`, "ignored\n");
    await s.store.put(s.bucket, `other/${prefix}metabolic_diabetes/2025/09/k-z.jsonl`, `${JSON.stringify(example("k-z"))}\n`);

    const out = collector();
    const summary = await exportTraining({ store: s.store, bucket: s.bucket, prefix, out: out.stream });
    expect(summary).toEqual({ objects: 6, written: 4, duplicatesDropped: 2, invalid: 2 });
    const lines = out.text().split("\n");
    expect(lines.at(-1)).toBe("");
    const keys = lines.slice(0, -1).map((l) => trainingExampleSchema.parse(JSON.parse(l)).metadata.idempotency_key);
    // Key order: the 2024 copy first (its line is k-a's), then 2025/09 k-a, k-b, k-c (dups), k-d.
    expect(keys).toEqual(["k-a", "k-b", "k-c", "k-d"]);
    expect(new Set(lines.slice(0, -1)).size).toBe(4);
  });

  test("writes to a path through a partial file and renames it when complete", async () => {
    const prefix = nextPrefix();
    const writer = new TrainingOutputWriter({ store: s.store, bucket: s.bucket, prefix });
    await Promise.all(Array.from({ length: 60 }, (_, i) => writer.write(example(`p-${String(i).padStart(2, "0")}`))));
    const target = join(dir, "training.jsonl");
    const summary = await exportTraining({ store: s.store, bucket: s.bucket, prefix, out: target });
    expect(summary).toEqual({ objects: 60, written: 60, duplicatesDropped: 0, invalid: 0 });
    const text = await readFile(target, "utf8");
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(60);
    expect(lines.map((l) => JSON.parse(l).metadata.idempotency_key)).toEqual(Array.from({ length: 60 }, (_, i) => `p-${String(i).padStart(2, "0")}`));
    for (const line of lines) expect(trainingExampleSchema.safeParse(JSON.parse(line)).success).toBe(true);
    expect(await readdir(dir)).toEqual(["training.jsonl"]);
  });

  test("an empty prefix exports nothing", async () => {
    const out = collector();
    expect(await exportTraining({ store: s.store, bucket: s.bucket, prefix: "nothing-here/", out: out.stream })).toEqual({
      objects: 0,
      written: 0,
      duplicatesDropped: 0,
      invalid: 0,
    });
    expect(out.text()).toBe("");
  });

  test("respects back-pressure of a slow stream", async () => {
    const prefix = nextPrefix();
    const writer = new TrainingOutputWriter({ store: s.store, bucket: s.bucket, prefix });
    await Promise.all(Array.from({ length: 20 }, (_, i) => writer.write(example(`bp-${i}`))));
    let received = 0;
    const slow = new Writable({
      highWaterMark: 16,
      write(_chunk, _enc, done) {
        received += 1;
        setImmediate(done);
      },
    });
    const summary = await exportTraining({ store: s.store, bucket: s.bucket, prefix, out: slow });
    expect(summary.written).toBe(20);
    await new Promise((resolve) => slow.end(resolve));
    expect(received).toBe(20);
  });

  test("a failed export to a path leaves no file behind, and an aborted one stops", async () => {
    const prefix = nextPrefix();
    const writer = new TrainingOutputWriter({ store: s.store, bucket: s.bucket, prefix });
    await writer.write(example("ab-1"));
    const target = join(dir, "aborted.jsonl");
    const controller = new AbortController();
    controller.abort();
    await expect(exportTraining({ store: s.store, bucket: s.bucket, prefix, out: target, signal: controller.signal })).rejects.toThrow();
    expect((await readdir(dir)).filter((f) => f.startsWith("aborted"))).toEqual([]);
    const closed = new PassThrough();
    closed.destroy();
    await expect(exportTraining({ store: s.store, bucket: s.bucket, prefix, out: closed })).rejects.toThrow(/already closed/);
  });
});
