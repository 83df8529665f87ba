import { randomUUID } from "node:crypto";
import { describeWithSamples, sampleFiles } from "@narrative-engine/test-kit";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildMessage, Harness } from "./support/harness.ts";

describeWithSamples("quorum queue type", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create({ label: "consumer-quorum", topology: { queueType: "quorum" } });
  });
  afterAll(async () => {
    await h.close();
  });

  test("processing and dead-letter queues are quorum queues; a message completes and a dead letter lands through them", async () => {
    await h.consumer();
    const channel = await h.admin.createChannel();
    channel.on("error", () => undefined);
    // Re-declaring them as classic queues is refused: they really are quorum queues.
    await expect(channel.assertQueue(h.topology.queue, { durable: true, arguments: { "x-queue-type": "classic" } })).rejects.toThrow(/PRECONDITION|406/);
    const uploaded = await h.uploadSample(sampleFiles("HeartRateRecord")[2]!.name);
    const good = buildMessage("module-spec", { ...uploaded, recordType: "HeartRateRecord" });
    const missing = buildMessage("module-spec", { ...uploaded, key: `raw/${randomUUID()}/gone.avro`, recordType: "HeartRateRecord" });
    await h.publish(good.body, good.routingKey);
    await h.publish(missing.body, missing.routingKey);
    await h.idle();
    expect((await h.record(good.body["idempotency_key"] as string))?.status).toBe("completed");
    expect((await h.record(missing.body["idempotency_key"] as string))?.status).toBe("dead_lettered");
    const dead = await h.drainDlq();
    expect(dead).toHaveLength(1);
    expect(await h.outputs()).toHaveLength(1);
  });
});
