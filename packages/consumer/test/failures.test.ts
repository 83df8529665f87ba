import { randomBytes, randomUUID } from "node:crypto";
import { decodeHealthConnect, encodeHealthConnect } from "@narrative-engine/avro";
import type { BloodGlucoseRecord } from "@narrative-engine/contracts";
import { describeWithSamples, readSample, sampleFiles } from "@narrative-engine/test-kit";
import type { GetMessage } from "amqplib";
import { afterAll, beforeAll, expect, test } from "vitest";
import { BUCKET, buildMessage, Harness, QUARANTINE_PREFIX, sleep } from "./support/harness.ts";

const MAX_FILE_BYTES = 200_000;

function header(message: GetMessage, name: string): unknown {
  const value = (message.properties.headers ?? {})[name];
  return Buffer.isBuffer(value) ? value.toString("utf8") : value;
}

describeWithSamples("consumer failure routing (dead letters and quarantine)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create({ label: "consumer-failures" });
    await h.consumer({ config: { maxFileBytes: MAX_FILE_BYTES } });
  });
  afterAll(async () => {
    await h.close();
  });

  test("bad messages, a bucket outside the allow-list and a missing object are dead-lettered at once with their reason", async () => {
    const glucose = await h.uploadSample(sampleFiles("BloodGlucoseRecord")[0]!.name);
    const good = buildMessage("module-spec", { ...glucose, recordType: "BloodGlucoseRecord" }).body;
    const missing = { ...good, key: `raw/${randomUUID()}/gone.avro`, idempotency_key: `idem-missing-${randomUUID()}` };
    const cases: { label: string; body: Record<string, unknown> | string; errorType: string; text: RegExp; dedup?: string }[] = [
      { label: "non-JSON", body: "this is { not json", errorType: "validation_error", text: /not valid JSON/ },
      { label: "unknown record type", body: { ...good, record_type: "BloodPressureRecord", idempotency_key: `idem-${randomUUID()}` }, errorType: "validation_error", text: /record_type/ },
      { label: "schema-invalid", body: { ...good, file_size_bytes: -4, idempotency_key: `idem-${randomUUID()}` }, errorType: "validation_error", text: /file_size_bytes/ },
      { label: "missing field", body: Object.fromEntries(Object.entries(good).filter(([k]) => k !== "user_id")), errorType: "validation_error", text: /user_id/ },
      { label: "bucket not allowed", body: { ...good, bucket: "someone-elses-bucket", idempotency_key: `idem-${randomUUID()}` }, errorType: "validation_error", text: /not in the allowed buckets/ },
      { label: "not found", body: missing, errorType: "not_found", text: /./, dedup: missing.idempotency_key },
    ];
    for (const c of cases) await h.publish(c.body, `health.processing.case.${c.label.replace(/\W/g, "")}`);
    await h.idle();
    const dead = await h.drainDlq();
    expect(dead).toHaveLength(cases.length);
    for (const c of cases) {
      const expectedBody = typeof c.body === "string" ? c.body : JSON.stringify(c.body);
      const letter = dead.find((m) => m.content.toString("utf8") === expectedBody);
      expect(letter, c.label).toBeDefined();
      expect(header(letter!, "x-error-type"), c.label).toBe(c.errorType);
      expect(String(header(letter!, "x-error-message")), c.label).toMatch(c.text);
      expect(header(letter!, "x-retry-count"), c.label).toBe(0);
      expect(header(letter!, "x-original-routing-key"), c.label).toBe(`health.processing.case.${c.label.replace(/\W/g, "")}`);
      expect(typeof header(letter!, "x-first-failure-at"), c.label).toBe("string");
      expect(letter!.properties.deliveryMode, c.label).toBe(2);
      if (c.dedup !== undefined) expect((await h.record(c.dedup))?.status, c.label).toBe("dead_lettered");
    }
    // Messages rejected before the claim leave no dedup record (their identity is untrusted).
    expect(await h.record(good["idempotency_key"] as string)).toBeUndefined();
    expect(await h.outputs()).toEqual([]);
  });

  test("corrupt, truncated, mismatched, tampered, low-quality and oversized files are quarantined with a sidecar, acked and marked", async () => {
    const sample = readSample(sampleFiles("HeartRateRecord")[0]!.name);
    const flipped = Buffer.from(sample);
    for (let i = 400; i < flipped.length; i += 97) flipped[i] = flipped[i]! ^ 0xff;
    const truncated = sample.subarray(0, Math.floor(sample.length / 2));
    const glucose = decodeHealthConnect(readSample(sampleFiles("BloodGlucoseRecord")[0]!.name), { expectedType: "BloodGlucoseRecord" });
    const future = Date.now() + 365 * 24 * 3600 * 1000;
    const implausible: BloodGlucoseRecord[] = glucose.records.map((r, i) => ({ ...r, levelInMilligramsPerDeciliter: 5_000, timeEpochMillis: future - i * 60_000 }));
    const lowQuality = encodeHealthConnect("BloodGlucoseRecord", implausible);
    const oversized = randomBytes(MAX_FILE_BYTES + 1024);

    const steps = await h.uploadSample(sampleFiles("StepsRecord")[0]!.name);
    const tampered = await h.uploadSample(sampleFiles("SleepSessionRecord")[0]!.name);
    const cases = [
      { label: "byte-flipped Avro", file: await h.upload(flipped, `raw/${randomUUID()}/HeartRate_flipped.avro`), recordType: "HeartRateRecord" as const, errorType: "schema_error" },
      { label: "truncated Avro", file: await h.upload(truncated, `raw/${randomUUID()}/HeartRate_truncated.avro`), recordType: "HeartRateRecord" as const, errorType: "schema_error" },
      { label: "record type mismatch", file: steps, recordType: "HeartRateRecord" as const, errorType: "schema_error" },
      { label: "hash mismatch", file: { ...tampered, sha256: "0".repeat(64) }, recordType: "SleepSessionRecord" as const, errorType: "validation_error" },
      { label: "low quality score", file: await h.upload(lowQuality, `raw/${randomUUID()}/Glucose_bad.avro`), recordType: "BloodGlucoseRecord" as const, errorType: "data_quality" },
      { label: "oversized file", file: await h.upload(oversized, `raw/${randomUUID()}/Huge.avro`), recordType: "StepsRecord" as const, errorType: "validation_error" },
    ];
    const keys: string[] = [];
    for (const c of cases) {
      const { body, routingKey } = buildMessage("module-spec", { ...c.file, recordType: c.recordType });
      keys.push(body["idempotency_key"] as string);
      await h.publish(body, routingKey);
    }
    await h.idle();
    const quarantined = await h.keysUnder(QUARANTINE_PREFIX);
    for (const [i, c] of cases.entries()) {
      const key = keys[i]!;
      const record = await h.record(key);
      expect(record?.status, c.label).toBe("quarantined");
      expect(record?.errorType, c.label).toBe(c.errorType);
      // Never retried: one claim only.
      expect(record?.attempts, c.label).toBe(1);
      const folder = quarantined.filter((k) => k.includes(`/${key}/`));
      expect(folder, c.label).toHaveLength(2);
      const basename = c.file.key.split("/").pop()!;
      const objectKey = folder.find((k) => k.endsWith(basename))!;
      expect(objectKey, c.label).toMatch(new RegExp(`^${QUARANTINE_PREFIX}${c.recordType}/2025/09/20/${key}/${basename}$`));
      const copied = await h.store.get(BUCKET, objectKey);
      expect(copied.equals(await h.store.get(BUCKET, c.file.key)), c.label).toBe(true);
      const sidecar = await h.readJson(folder.find((k) => k.endsWith("metadata.json"))!);
      expect(sidecar["reason"], c.label).toMatchObject({ error_type: c.errorType });
      expect(sidecar["source"], c.label).toEqual({ bucket: BUCKET, key: c.file.key });
      expect(sidecar["message"], c.label).toMatchObject({ idempotency_key: key, record_type: c.recordType });
      expect(JSON.stringify(sidecar), c.label).not.toContain("user-test");
    }
    const lowSidecar = await h.readJson(quarantined.find((k) => k.includes(`/${keys[4]!}/`) && k.endsWith("metadata.json"))!);
    expect(lowSidecar["validation"]).toMatchObject({ is_valid: false });
    expect(await h.depths()).toEqual({ processing: 0, retry: 0, dlq: 0 });
    expect(await h.outputs()).toEqual([]);
  });

  test("a dead letter that cannot be published is not lost: the key is released, the original requeued, and it lands once the DLQ is back", async () => {
    const missingKey = `raw/${randomUUID()}/gone.avro`;
    const glucose = await h.uploadSample(sampleFiles("BloodGlucoseRecord")[1]!.name);
    const { body, routingKey } = buildMessage("message-queue", { ...glucose, key: missingKey, recordType: "BloodGlucoseRecord" });
    const key = body["idempotency_key"] as string;
    const setup = await h.admin.createChannel();
    await setup.deleteQueue(h.topology.deadLetterQueue);
    await h.publish(body, routingKey);
    // Unroutable dead letters are refused (mandatory publish): the message keeps cycling, never marked dead_lettered.
    await h.waitFor(async () => (await h.record(key))?.status === "failed", 10_000, "released claim");
    await sleep(300);
    expect((await h.record(key))?.status).not.toBe("dead_lettered");
    await setup.assertQueue(h.topology.deadLetterQueue, { durable: true });
    await setup.bindQueue(h.topology.deadLetterQueue, h.topology.deadLetterExchange, h.topology.deadLetterRoutingKey);
    await setup.close();
    await h.waitFor(async () => (await h.record(key))?.status === "dead_lettered", 10_000, "dead letter recorded");
    await h.idle();
    const dead = await h.drainDlq();
    expect(dead).toHaveLength(1);
    expect(header(dead[0]!, "x-error-type")).toBe("not_found");
    expect(JSON.parse(dead[0]!.content.toString("utf8"))).toEqual(body);
  });
});
