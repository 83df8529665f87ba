import { ProcessingError, trainingExampleSchema } from "@narrative-engine/contracts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildInput, example, result } from "./__fixtures__/examples.ts";
import { STORE_FACTORIES, type StoreUnderTest } from "./__fixtures__/stores.ts";
import { TrainingOutputWriter, buildTrainingExample } from "./index.ts";

async function listKeys(s: StoreUnderTest, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of s.store.list(s.bucket, prefix)) keys.push(info.key);
  return keys;
}

describe.each(STORE_FACTORIES)("TrainingOutputWriter on the %s", (_name, open) => {
  let s: StoreUnderTest;
  let n = 0;
  // Every test writes under its own prefix so the tests stay independent.
  const nextPrefix = () => `t${++n}/training/`;

  beforeAll(async () => {
    s = await open();
  });
  afterAll(async () => {
    await s.close();
  });

  test("puts one JSONL line at training/{domain}/{YYYY}/{MM}/{key}.jsonl", async () => {
    const prefix = nextPrefix();
    const writer = new TrainingOutputWriter({ store: s.store, bucket: s.bucket, prefix });
    const ex = example("a1b2c3d4e5f60718");
    const location = await writer.write(ex);
    expect(location).toEqual({
      bucket: s.bucket,
      key: `${prefix}metabolic_diabetes/2025/09/a1b2c3d4e5f60718.jsonl`,
      bytes: Buffer.byteLength(`${JSON.stringify(ex)}\n`),
    });
    const body = (await s.store.get(s.bucket, location.key)).toString("utf8");
    expect(body).toBe(`${JSON.stringify(ex)}\n`);
    expect(body.split("\n")).toHaveLength(2);
    expect(trainingExampleSchema.safeParse(JSON.parse(body)).success).toBe(true);
    const head = await s.store.head(s.bucket, location.key);
    expect(head.contentType).toBe("application/x-ndjson");
    expect(head.metadata).toMatchObject({ "record-type": "BloodGlucoseRecord", "health-domain": "metabolic_diabetes", "idempotency-key": "a1b2c3d4e5f60718" });
    expect(Object.values(head.metadata)).not.toContain("user-7");
  });

  test("files by the month of the data, else of the upload", async () => {
    const prefix = nextPrefix();
    const writer = new TrainingOutputWriter({ store: s.store, bucket: s.bucket, prefix });
    const noData = buildTrainingExample({ ...buildInput("StepsRecord", "k-upload"), dataStart: null, dataEnd: null });
    expect((await writer.write(noData)).key).toBe(`${prefix}physical_activity/2025/09/k-upload.jsonl`);
    const explicit = await writer.write(example("k-explicit", "SleepSessionRecord"), { dataStart: "2024-03-01T00:00:00Z" });
    expect(explicit.key).toBe(`${prefix}sleep_wellness/2024/03/k-explicit.jsonl`);
  });

  test("rewriting the same idempotency key replaces the object", async () => {
    const prefix = nextPrefix();
    const writer = new TrainingOutputWriter({ store: s.store, bucket: s.bucket, prefix });
    const first = example("same-key");
    const second = buildTrainingExample({ ...buildInput("BloodGlucoseRecord", "same-key"), result: result({ narrative: "A second narrative." }) });
    await writer.write(first);
    await writer.write(second);
    await writer.write(second);
    const keys = await listKeys(s, prefix);
    expect(keys).toEqual([`${prefix}metabolic_diabetes/2025/09/same-key.jsonl`]);
    expect((await s.store.get(s.bucket, keys[0]!)).toString("utf8")).toBe(`${JSON.stringify(second)}\n`);
  });

  test("200 concurrent writes of different keys give 200 objects, none lost", async () => {
    const prefix = nextPrefix();
    const writer = new TrainingOutputWriter({ store: s.store, bucket: s.bucket, prefix });
    const examples = Array.from({ length: 200 }, (_, i) => example(`key-${String(i).padStart(3, "0")}`));
    await Promise.all(examples.map((ex) => writer.write(ex)));
    const keys = await listKeys(s, prefix);
    expect(keys).toHaveLength(200);
    expect(keys).toEqual([...keys].sort());
    for (const key of keys) {
      const line = (await s.store.get(s.bucket, key)).toString("utf8");
      const parsed = trainingExampleSchema.parse(JSON.parse(line));
      expect(key.endsWith(`/${parsed.metadata.idempotency_key}.jsonl`)).toBe(true);
    }
  });

  test("concurrent redeliveries of one key leave exactly one complete line", async () => {
    const prefix = nextPrefix();
    const writer = new TrainingOutputWriter({ store: s.store, bucket: s.bucket, prefix });
    const variants = Array.from({ length: 20 }, (_, i) =>
      buildTrainingExample({ ...buildInput("BloodGlucoseRecord", "raced"), result: result({ narrative: `Narrative ${i}.` }) }),
    );
    await Promise.all(variants.map((ex) => writer.write(ex)));
    const keys = await listKeys(s, prefix);
    expect(keys).toHaveLength(1);
    const body = (await s.store.get(s.bucket, keys[0]!)).toString("utf8");
    expect(variants.map((v) => `${JSON.stringify(v)}\n`)).toContain(body);
  });

  test("a failing store rejects the write", async () => {
    const prefix = nextPrefix();
    const writer = new TrainingOutputWriter({ store: s.store, bucket: s.bucket, prefix });
    await s.breakPuts();
    try {
      const failure = await writer.write(example("fails")).then(
        () => undefined,
        (error: unknown) => error,
      );
      // The store's classified error reaches the caller unchanged (the consumer routes on its type).
      expect(failure).toBeInstanceOf(Error);
      expect((failure as { errorType?: unknown }).errorType).toEqual(expect.any(String));
    } finally {
      await s.repairPuts();
    }
    expect(await listKeys(s, prefix)).toEqual([]);
    // The retry (redelivery) then succeeds.
    await writer.write(example("fails"));
    expect(await listKeys(s, prefix)).toHaveLength(1);
  });

  test("an invalid example is rejected before anything is written", async () => {
    const prefix = nextPrefix();
    const writer = new TrainingOutputWriter({ store: s.store, bucket: s.bucket, prefix });
    const ex = example("bad");
    await expect(writer.write({ ...ex, output: "" })).rejects.toThrow(ProcessingError);
    await expect(writer.write({ ...ex, metadata: { ...ex.metadata, idempotency_key: "../escape" } })).rejects.toThrow(/idempotency_key/);
    await expect(writer.write(ex, { idempotencyKey: "other" })).rejects.toThrow(/does not match/);
    expect(await listKeys(s, prefix)).toEqual([]);
  });

  test("writeResult builds from a processing result and writes", async () => {
    const prefix = nextPrefix();
    const writer = new TrainingOutputWriter({ store: s.store, bucket: s.bucket, prefix });
    const location = await writer.writeResult(buildInput("HeartRateVariabilityRmssdRecord", "from-result"), { signal: new AbortController().signal });
    expect(location.key).toBe(`${prefix}cardiovascular_fitness/2025/09/from-result.jsonl`);
    const line = JSON.parse((await s.store.get(s.bucket, location.key)).toString("utf8"));
    expect(line.instruction).toMatch(/heart-rate variability/);
  });
});

test("the writer needs a bucket", () => {
  const store = {} as never;
  expect(() => new TrainingOutputWriter({ store, bucket: "" })).toThrow(/bucket/);
  expect(new TrainingOutputWriter({ store, bucket: "b" }).prefix).toBe("training/");
  expect(new TrainingOutputWriter({ store, bucket: "b", prefix: "x" }).prefix).toBe("x/");
});
