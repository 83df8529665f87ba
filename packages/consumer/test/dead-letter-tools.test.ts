import { randomUUID } from "node:crypto";
import { parseHealthDataMessage } from "@narrative-engine/contracts";
import { describeWithSamples, drainQueue, readSample, sampleFiles } from "@narrative-engine/test-kit";
import { afterAll, beforeAll, expect, test } from "vitest";
import { listDeadLetters, queueDepths, replayDeadLetters } from "../src/index.ts";
import { buildMessage, Harness, sha256 } from "./support/harness.ts";

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
    expect(replay).toEqual({ replayed: 2, skipped: 1, failed: 0, failures: [] });
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

  test("a message dead-lettered after its claim is processed on replay when onReplay reopens its key; a rejecting hook leaves it in the DLQ", async () => {
    const name = sampleFiles("StepsRecord")[0]!.name;
    const bytes = readSample(name);
    const key = `raw/${randomUUID()}/${name}`;
    const idem = `idem-${randomUUID()}`;
    const { body } = buildMessage("module-spec", { key, sha256: sha256(bytes), size: bytes.byteLength, recordType: "StepsRecord", idempotencyKey: idem });
    const first = await h.consumer();
    await h.publish(body, "health.processing.r");
    await h.waitFor(async () => (await h.depths()).dlq === 1, 15_000, "the message for a missing object dead-lettered");
    await first.stop();
    expect((await h.record(idem))?.status).toBe("dead_lettered");
    await h.upload(bytes, key); // the operator fixes the cause

    // The hook runs before publishing: when it rejects, nothing is replayed and the letter stays.
    const refused = await replayDeadLetters(h.admin, { topology: h.topology, onReplay: () => Promise.reject(new Error("store unreachable")) });
    expect(refused).toMatchObject({ replayed: 0, skipped: 0, failed: 1 });
    expect(refused.failures[0]?.error).toBe("store unreachable");
    expect(refused.failures[0]?.summary.errorType).toBe("not_found");
    await h.waitFor(async () => (await h.depths()).dlq === 1, 5_000, "the refused letter back in the DLQ");
    expect((await h.depths()).processing).toBe(0);
    expect((await h.record(idem))?.status).toBe("dead_lettered");

    const reopened: boolean[] = [];
    const replay = await replayDeadLetters(h.admin, {
      topology: h.topology,
      onReplay: async (message) => {
        const parsed = parseHealthDataMessage(message.content);
        if (!parsed.success || h.dedup.reopen === undefined) return;
        reopened.push(await h.dedup.reopen(parsed.message.idempotencyKey));
      },
    });
    expect(replay).toEqual({ replayed: 1, skipped: 0, failed: 0, failures: [] });
    expect(reopened).toEqual([true]);
    const second = await h.consumer();
    await h.waitFor(async () => (await h.record(idem))?.status === "completed", 20_000, "the replayed message completed");
    await second.stop();
    const record = await h.record(idem);
    expect(record?.attempts).toBe(2);
    expect(record?.recordsProcessed).toBeGreaterThan(0);
    expect((await h.outputs()).length).toBeGreaterThan(0);
    expect((await h.depths()).dlq).toBe(0);
  });
});
