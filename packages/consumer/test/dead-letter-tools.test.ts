import { randomUUID } from "node:crypto";
import { describeWithSamples, drainQueue, sampleFiles } from "@narrative-engine/test-kit";
import { afterAll, beforeAll, expect, test } from "vitest";
import { listDeadLetters, queueDepths, replayDeadLetters } from "../src/index.ts";
import { buildMessage, Harness } from "./support/harness.ts";

describeWithSamples("DLQ tools and queue depths", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create({ label: "consumer-dlq-tools" });
  });
  afterAll(async () => {
    await h.close();
  });

  test("list shows reasons without removing anything; replay by error type goes back to the processing queue confirmed, retry count reset", async () => {
    const consumer = await h.consumer();
    const uploaded = await h.uploadSample(sampleFiles("StepsRecord")[0]!.name);
    const { body } = buildMessage("module-spec", { ...uploaded, recordType: "StepsRecord" });
    await h.publish("not json at all", "health.processing.a");
    await h.publish({ ...body, key: `raw/${randomUUID()}/missing.avro` }, "health.processing.b");
    await h.publish({ ...body, record_type: "NopeRecord", idempotency_key: `idem-${randomUUID()}` }, "health.processing.c");
    await h.idle();
    await consumer.stop();
    await h.waitFor(async () => (await h.depths()).dlq === 3, 10_000, "three dead letters");

    const depths = await queueDepths(h.admin, h.topology);
    expect(depths.deadLetter).toBe(3);
    expect(depths.processing).toBe(0);
    expect(Object.keys(depths.retry)).toEqual(h.topology.retryTiers.map((t) => t.queue));

    const listed = await listDeadLetters(h.admin, { topology: h.topology, limit: 10 });
    expect(listed).toHaveLength(3);
    expect(listed.map((l) => l.errorType).sort()).toEqual(["not_found", "validation_error", "validation_error"]);
    for (const letter of listed) {
      expect(letter.errorMessage).toBeTruthy();
      expect(letter.retryCount).toBe(0);
      expect(letter.originalRoutingKey).toMatch(/^health\.processing\.[abc]$/);
    }
    // Browsing left them all in place.
    await h.waitFor(async () => (await h.depths()).dlq === 3, 5_000, "dead letters back after browsing");

    const replay = await replayDeadLetters(h.admin, { topology: h.topology, errorType: "validation_error" });
    expect(replay).toEqual({ replayed: 2, skipped: 1 });
    await h.waitFor(async () => (await h.depths()).processing === 2, 5_000, "replayed messages in the processing queue");
    expect((await h.depths()).dlq).toBe(1);
    const back = await drainQueue(h.topology.queue);
    expect(back).toHaveLength(2);
    for (const message of back) {
      const headers = message.properties.headers ?? {};
      expect(headers["x-retry-count"]).toBe(0);
      expect(headers["x-replay-count"]).toBe(1);
      expect(headers["x-error-type"]).toBeUndefined();
      expect(headers["x-original-routing-key"]).toMatch(/^health\.processing\.[ac]$/);
      expect(message.properties.deliveryMode).toBe(2);
    }
    const remaining = await h.drainDlq();
    expect(remaining).toHaveLength(1);
    expect(remaining[0]!.properties.headers?.["x-error-type"]).toBe("not_found");
  });
});
