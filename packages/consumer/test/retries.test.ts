import { describeWithSamples, sampleFiles } from "@narrative-engine/test-kit";
import type { GetMessage } from "amqplib";
import { afterEach, expect, test } from "vitest";
import { buildMessage, Harness } from "./support/harness.ts";

function header(message: GetMessage, name: string): unknown {
  const value = (message.properties.headers ?? {})[name];
  return Buffer.isBuffer(value) ? value.toString("utf8") : value;
}

describeWithSamples("retries through the delay tiers (real RabbitMQ, s3rver)", () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
  });

  test("S3 unreachable: two record types retry through the same tiers at once, then succeed when S3 returns", async () => {
    const h = await Harness.create({ label: "consumer-retry-recover", maxRetries: 12 });
    harnesses.push(h);
    const consumer = await h.consumer({ concurrency: 4 });
    const disconnects: unknown[] = [];
    consumer.on("disconnected", (e: unknown) => disconnects.push(e));
    const files = [
      { recordType: "HeartRateVariabilityRmssdRecord" as const, file: await h.uploadSample(sampleFiles("HeartRateVariabilityRmssdRecord")[0]!.name) },
      { recordType: "ActiveCaloriesBurnedRecord" as const, file: await h.uploadSample(sampleFiles("ActiveCaloriesBurnedRecord")[0]!.name) },
    ];
    await h.s3.stop();
    const keys: string[] = [];
    for (const { recordType, file } of files) {
      const { body, routingKey } = buildMessage("message-queue", { ...file, recordType });
      keys.push(body["idempotency_key"] as string);
      await h.publish(body, routingKey);
    }
    // Both keep failing with a network error and coming back from the tiers.
    await h.waitFor(
      async () => {
        const records = await Promise.all(keys.map((k) => h.record(k)));
        return records.every((r) => r !== undefined && r.attempts >= 3 && r.status === "failed");
      },
      30_000,
      "three failed attempts each",
    );
    for (const key of keys) expect((await h.record(key))?.errorType).toBe("network_error");
    await h.s3.start();
    await h.idle(30_000);
    for (const key of keys) {
      const record = await h.record(key);
      expect(record?.status).toBe("completed");
      expect(record?.attempts).toBeGreaterThanOrEqual(4);
    }
    const outputs = await h.outputs();
    expect(outputs).toHaveLength(2);
    for (const key of keys) expect(outputs.filter((o) => o.endsWith(`/${key}.jsonl`))).toHaveLength(1);
    expect(await h.depths()).toEqual({ processing: 0, retry: 0, dlq: 0 });
    expect(disconnects).toEqual([]);
    expect(consumer.isConsuming()).toBe(true);
  }, 60_000);

  test("S3 unreachable for good: dead-lettered after the configured retries with x-retry-count, dedup dead_lettered", async () => {
    const h = await Harness.create({ label: "consumer-retry-exhausted", maxRetries: 3 });
    harnesses.push(h);
    await h.consumer();
    const file = await h.uploadSample(sampleFiles("StepsRecord")[1]!.name);
    await h.s3.stop();
    const { body, routingKey } = buildMessage("module-spec", { ...file, recordType: "StepsRecord" });
    const key = body["idempotency_key"] as string;
    await h.publish(body, routingKey);
    await h.waitFor(async () => (await h.depths()).dlq === 1, 30_000, "dead letter");
    await h.idle();
    const [letter, ...rest] = await h.drainDlq();
    expect(rest).toEqual([]);
    expect(JSON.parse(letter!.content.toString("utf8"))).toEqual(body);
    expect(header(letter!, "x-retry-count")).toBe(3);
    expect(header(letter!, "x-error-type")).toBe("network_error");
    expect(header(letter!, "x-original-routing-key")).toBe(routingKey);
    expect(typeof header(letter!, "x-first-failure-at")).toBe("string");
    expect(String(header(letter!, "x-error-message"))).not.toMatch(/S3RVER|secret/i);
    const record = await h.record(key);
    expect(record?.status).toBe("dead_lettered");
    expect(record?.attempts).toBe(4);
    expect(record?.errorType).toBe("network_error");
    await h.s3.start();
    expect(await h.outputs()).toEqual([]);
    expect(await h.depths()).toEqual({ processing: 0, retry: 0, dlq: 0 });
  }, 60_000);
});
