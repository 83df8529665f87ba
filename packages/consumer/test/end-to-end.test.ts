import { HEALTH_DOMAIN_BY_RECORD_TYPE, RECORD_TYPES, TERMINAL_STATUSES, parseHealthDataMessage, trainingExampleSchema } from "@narrative-engine/contracts";
import { RedisDeduplicationStore } from "@narrative-engine/dedup";
import { deleteRedisPrefix, describeWithSamples, redisKeyPrefix, redisUrl, sampleFiles } from "@narrative-engine/test-kit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BUCKET, buildMessage, Harness, MESSAGE_SHAPES, type MessageShape } from "./support/harness.ts";

describeWithSamples("consumer end to end (real RabbitMQ, S3, real samples)", () => {
  describe.each(["sqlite", "redis"] as const)("with the %s deduplication store", (kind) => {
    let h: Harness;
    const redisPrefix = redisKeyPrefix("consumer-e2e");
    beforeAll(async () => {
      h = await Harness.create({
        label: `consumer-e2e-${kind}`,
        dedup: kind === "sqlite" ? "sqlite" : new RedisDeduplicationStore({ url: redisUrl, keyPrefix: redisPrefix }),
      });
    });
    afterAll(async () => {
      await h.close();
      if (kind === "redis") await deleteRedisPrefix(redisPrefix);
    });

    test("every record type from the real samples in each of the three message shapes", async () => {
      const consumer = await h.consumer({ concurrency: 8 });
      const published: { shape: MessageShape; recordType: (typeof RECORD_TYPES)[number]; key: string }[] = [];
      for (const recordType of RECORD_TYPES) {
        const files = sampleFiles(recordType);
        expect(files.length).toBeGreaterThanOrEqual(3);
        for (const [i, shape] of MESSAGE_SHAPES.entries()) {
          const uploaded = await h.uploadSample(files[i]!.name);
          const { body, routingKey } = buildMessage(shape, { ...uploaded, recordType });
          const parsed = parseHealthDataMessage(JSON.stringify(body));
          if (!parsed.success) throw parsed.error;
          published.push({ shape, recordType, key: parsed.message.idempotencyKey });
          await h.publish(body, routingKey);
        }
      }
      await h.idle();
      for (const p of published) {
        const record = await h.record(p.key);
        expect(record?.status, `${p.recordType} via ${p.shape}`).toBe("completed");
        expect(record?.recordsProcessed).toBeGreaterThan(0);
      }
      const outputs = await h.outputs();
      expect(outputs).toHaveLength(published.length);
      for (const p of published) {
        const key = outputs.find((k) => k.endsWith(`/${p.key}.jsonl`));
        expect(key, `${p.recordType} via ${p.shape}`).toBeDefined();
        const lines = (await h.store.get(BUCKET, key!)).toString("utf8").trimEnd().split("\n");
        expect(lines).toHaveLength(1);
        const example = trainingExampleSchema.parse(JSON.parse(lines[0]!));
        expect(example.metadata).toMatchObject({ idempotency_key: p.key, record_type: p.recordType, source_bucket: BUCKET });
        expect(key!.startsWith(`training/${HEALTH_DOMAIN_BY_RECORD_TYPE[p.recordType]}/`)).toBe(true);
        expect(example.output.length).toBeGreaterThan(0);
      }
      expect((await h.depths()).dlq).toBe(0);
      expect(await h.keysUnder("quarantine/")).toEqual([]);
      expect(consumer.isConsuming()).toBe(true);
    });

    test("the same message twice gives one output and a duplicate ack", async () => {
      const before = (await h.outputs()).length;
      const uploaded = await h.uploadSample(sampleFiles("StepsRecord")[3]!.name);
      const { body, routingKey } = buildMessage("message-queue", { ...uploaded, recordType: "StepsRecord" });
      await h.publish(body, routingKey);
      await h.publish(body, routingKey);
      await h.idle();
      const record = await h.record(body["idempotency_key"] as string);
      expect(record?.status).toBe("completed");
      expect(record?.attempts).toBe(1);
      expect((await h.outputs()).length).toBe(before + 1);
      expect(await h.depths()).toEqual({ processing: 0, retry: 0, dlq: 0 });
    });

    test("two consumers racing on one message produce one output", async () => {
      await h.consumer({ concurrency: 4 });
      const before = (await h.outputs()).length;
      const uploaded = await h.uploadSample(sampleFiles("HeartRateRecord")[3]!.name);
      const { body, routingKey } = buildMessage("module-spec", { ...uploaded, recordType: "HeartRateRecord" });
      // Many copies at once: both consumers get some; exactly one claim wins.
      await Promise.all(Array.from({ length: 6 }, () => h.publish(body, routingKey)));
      await h.idle();
      const record = await h.record(body["idempotency_key"] as string);
      expect(TERMINAL_STATUSES).toContain(record?.status);
      expect(record?.status).toBe("completed");
      expect((await h.outputs()).length).toBe(before + 1);
      expect(await h.depths()).toEqual({ processing: 0, retry: 0, dlq: 0 });
    });
  });
});
