import { RECORD_TYPES } from "@narrative-engine/contracts";
import { RedisDeduplicationStore } from "@narrative-engine/dedup";
import { describeWithSamples, rabbitUrl, redisKeyPrefix, sampleFiles } from "@narrative-engine/test-kit";
import amqp from "amqplib";
import { afterEach, expect, test } from "vitest";
import { declareTopology, RabbitConsumer } from "../src/index.ts";
import { buildMessage, Harness, MESSAGE_SHAPES, sleep, slowObserver } from "./support/harness.ts";
import { closeConnectionsNamed, PrivateRedis } from "./support/services.ts";

/** Publishes `count` messages over the real samples (cycling types and shapes); returns their idempotency keys. */
async function publishMany(h: Harness, count: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const recordType = RECORD_TYPES[i % RECORD_TYPES.length]!;
    const files = sampleFiles(recordType);
    const uploaded = await h.uploadSample(files[i % files.length]!.name);
    const { body, routingKey } = buildMessage(MESSAGE_SHAPES[i % 3]!, { ...uploaded, recordType, idempotencyKey: `idem-${h.prefix}-${i}` });
    keys.push(`idem-${h.prefix}-${i}`);
    // The health-api shape derives its key from user id and hash; read it back from the store later.
    if (!("idempotency_key" in body)) body["idempotency_key"] = keys[i];
    await h.publish(body, routingKey);
  }
  return keys;
}

async function expectAllCompletedOnce(h: Harness, keys: readonly string[]): Promise<void> {
  for (const key of keys) expect((await h.record(key))?.status, key).toBe("completed");
  const outputs = await h.outputs();
  expect(outputs).toHaveLength(keys.length);
  for (const key of keys) expect(outputs.filter((o) => o.endsWith(`/${key}.jsonl`)), key).toHaveLength(1);
  expect(await h.depths()).toEqual({ processing: 0, retry: 0, dlq: 0 });
}

describeWithSamples("consumer under outages (real RabbitMQ, S3, Redis)", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  }, 90_000);

  test("Redis stopped mid-run: deliveries are requeued, never acked, and all are processed once it is back", async () => {
    const redis = await PrivateRedis.start();
    cleanups.push(() => redis.close());
    const dedup = new RedisDeduplicationStore({ url: redis.url, keyPrefix: redisKeyPrefix("consumer-redis-outage"), connectTimeoutMs: 300, commandTimeoutMs: 1_000 });
    const h = await Harness.create({ label: "consumer-redis-outage", dedup });
    cleanups.push(() => h.close());
    await h.consumer({ concurrency: 4, config: { leaseMs: 1_500 }, deps: { observer: slowObserver(100) } });
    const keys = await publishMany(h, 18);
    await h.waitFor(async () => (await h.outputs()).length >= 2, 20_000, "first outputs");
    await redis.kill();
    // Everything still unprocessed sits in the queue or cycles through requeue; nothing is acked.
    await sleep(1_000);
    const midway = await h.outputs();
    expect(midway.length).toBeLessThan(keys.length);
    await redis.restart();
    await h.idle(30_000);
    await expectAllCompletedOnce(h, keys);
  }, 90_000);

  test("the broker closing the connection: the consumer reconnects, re-consumes and finishes", async () => {
    const h = await Harness.create({ label: "consumer-broker-close" });
    cleanups.push(() => h.close());
    const name = `${h.prefix}.closable`;
    const consumer = await h.consumer({ concurrency: 2, connectionName: name, deps: { observer: slowObserver(100) } });
    const events: string[] = [];
    consumer.on("disconnected", () => events.push("disconnected"));
    consumer.on("connected", () => events.push("connected"));
    const keys = await publishMany(h, 24);
    await h.waitFor(async () => (await h.outputs()).length >= 1, 20_000, "first output");
    expect(await closeConnectionsNamed(name)).toBe(1);
    await h.waitFor(() => events.includes("connected"), 20_000, "reconnect");
    expect(events[0]).toBe("disconnected");
    await h.idle(30_000);
    expect(consumer.isConnected()).toBe(true);
    expect(consumer.isConsuming()).toBe(true);
    await expectAllCompletedOnce(h, keys);
  }, 90_000);

  test("passive mode consumes a queue declared beforehand with other arguments (no 406)", async () => {
    const h = await Harness.create({ label: "consumer-passive" });
    cleanups.push(() => h.close());
    // Another service owns the topology and declared the processing queue with extra arguments.
    const conn = await amqp.connect(rabbitUrl);
    conn.on("error", () => undefined);
    const ch = await conn.createChannel();
    ch.on("error", () => undefined);
    await declareTopology(ch, h.topology);
    await ch.deleteQueue(h.topology.queue);
    await ch.assertQueue(h.topology.queue, { durable: true, arguments: { "x-max-length": 100_000 } });
    await ch.bindQueue(h.topology.queue, h.topology.exchange, h.topology.routingPattern);
    // An assert with our arguments would now fail with 406 PRECONDITION_FAILED.
    await expect(ch.assertQueue(h.topology.queue, { durable: true, arguments: {} })).rejects.toThrow(/406|PRECONDITION/);
    await conn.close().catch(() => undefined);

    const consumer = await h.consumer({ topology: { ...h.topology, declareMode: "passive" } });
    expect(consumer.isConsuming()).toBe(true);
    const keys = await publishMany(h, 3);
    await h.idle();
    await expectAllCompletedOnce(h, keys);
  }, 90_000);

  test("passive mode against a missing topology keeps retrying without declaring anything, then starts when it appears", async () => {
    const h = await Harness.create({ label: "consumer-passive-missing" });
    cleanups.push(() => h.close());
    const consumer = new RabbitConsumer({
      url: rabbitUrl,
      topology: { ...h.topology, declareMode: "passive" },
      handler: async () => ({ kind: "completed" }),
      reconnectInitialDelayMs: 50,
      reconnectMaxDelayMs: 200,
    });
    cleanups.push(() => consumer.stop());
    const started = consumer.start();
    await sleep(500);
    expect(consumer.isConsuming()).toBe(false);
    expect((await h.depths()).processing).toBe(0); // checkQueue answered nothing: the queue does not exist
    const conn = await amqp.connect(rabbitUrl);
    const ch = await conn.createChannel();
    await declareTopology(ch, h.topology);
    await conn.close();
    await started;
    expect(consumer.isConsuming()).toBe(true);
  }, 90_000);

  test("stop with messages in flight: all finished or back in the queue, none lost, clean and repeatable stop", async () => {
    const h = await Harness.create({ label: "consumer-stop" });
    cleanups.push(() => h.close());
    const first = await h.consumer({ concurrency: 8, shutdownGraceMs: 0, deps: { observer: slowObserver(300) } });
    const keys = await publishMany(h, 40);
    await h.waitFor(async () => (await h.outputs()).length >= 1, 20_000, "first output");
    const stopping = first.stop();
    expect(first.stop()).toBe(stopping);
    await stopping;
    expect(first.isConnected()).toBe(false);
    expect(first.isConsuming()).toBe(false);
    expect(first.inFlightCount).toBe(0);
    const done = (await h.outputs()).length;
    const waiting = (await h.depths()).processing;
    // Finished or back in the queue; a message whose output was written as the stop came may be both.
    expect(done + waiting).toBeGreaterThanOrEqual(keys.length);
    expect(waiting).toBeGreaterThan(0);
    await h.consumer({ concurrency: 8 });
    await h.idle();
    await expectAllCompletedOnce(h, keys);
  }, 90_000);
});
