import { randomUUID } from "node:crypto";
import { DataQualityError, type ClinicalProcessor, type HealthDataMessage, type RecordType } from "@narrative-engine/contracts";
import { RedisDeduplicationStore } from "@narrative-engine/dedup";
import { NetworkError } from "@narrative-engine/errors";
import { closedPort, describeWithSamples, sampleFiles } from "@narrative-engine/test-kit";
import { afterAll, beforeAll, expect, test } from "vitest";
import { processMessage, type Logger, type PipelineObserver, type PipelineOutcome, type PipelineStage } from "../src/index.ts";
import { buildMessage, Harness, sleep, type MessageShape } from "./support/harness.ts";

interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  msg: string | undefined;
}

function capturingLogger(lines: LogLine[], bindings: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (obj: object, msg?: string) => lines.push({ level, fields: { ...bindings, ...obj }, msg });
  return { child: (more) => capturingLogger(lines, { ...bindings, ...more }), debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

interface Recorded {
  started: { recordType?: RecordType; attempt: number }[];
  stages: PipelineStage[];
  records: number[];
  scores: number[];
  finished: PipelineOutcome[];
}

function recordingObserver(rec: Recorded): PipelineObserver {
  return {
    messageStarted: (info) => {
      rec.started.push({ ...(info.recordType === undefined ? {} : { recordType: info.recordType }), attempt: info.attempt });
      return {
        stage: (name, fn) => {
          rec.stages.push(name);
          return fn();
        },
        recordsParsed: (n) => rec.records.push(n),
        qualityScore: (s) => rec.scores.push(s),
        finished: (o) => rec.finished.push(o),
        injectHeaders: (h) => {
          h["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        },
      };
    },
  };
}

function failingProcessor<T extends RecordType>(recordType: T, behaviour: "result" | "data_quality"): ClinicalProcessor<T> {
  return {
    recordType,
    version: "test-0",
    initialize: async () => undefined,
    cleanup: async () => undefined,
    processWithClinicalInsights: async () => {
      if (behaviour === "data_quality") throw new DataQualityError("too few readings to describe");
      return { success: false, errorMessage: "cannot describe these records", processingTimeSeconds: 0, recordsProcessed: 0, qualityScore: 0, clinicalInsights: {} };
    },
  };
}

describeWithSamples("processMessage (real S3, SQLite dedup, real decoder/validator/processors/output)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create({ label: "consumer-pipeline" });
  });
  afterAll(async () => {
    await h.close();
  });

  async function message(recordType: RecordType = "BloodGlucoseRecord", shape: MessageShape = "module-spec", sample = 0) {
    const uploaded = await h.uploadSample(sampleFiles(recordType)[sample]!.name);
    const built = buildMessage(shape, { ...uploaded, recordType, userId: "user-secret-42" });
    return { ...built, bytes: Buffer.from(JSON.stringify(built.body)), key: built.body["idempotency_key"] as string };
  }

  test("reports every stage to the observer and logs with correlation fields, never the user id or the narrative", async () => {
    const rec: Recorded = { started: [], stages: [], records: [], scores: [], finished: [] };
    const lines: LogLine[] = [];
    const m = await message();
    const outHeaders: Record<string, unknown> = {};
    const outcome = await processMessage({ body: m.bytes }, h.deps({}, { observer: recordingObserver(rec), logger: capturingLogger(lines) }), { outHeaders });
    expect(outcome).toEqual({ kind: "completed" });
    expect(rec.started).toEqual([{ recordType: "BloodGlucoseRecord", attempt: 0 }]);
    expect(rec.stages).toEqual(["download", "decode", "validate", "process", "output"]);
    expect(rec.records[0]).toBeGreaterThan(0);
    expect(rec.scores[0]).toBeGreaterThan(0.7);
    expect(rec.finished).toEqual([outcome]);
    expect(outHeaders["traceparent"]).toBeDefined();
    const record = await h.record(m.key);
    expect(record?.narrativePreview?.length).toBeGreaterThan(0);
    const info = lines.filter((l) => l.level !== "debug");
    expect(info.length).toBeGreaterThan(0);
    for (const line of info) {
      expect(line.fields).toMatchObject({ correlation_id: m.body["correlation_id"], idempotency_key: m.key, record_type: "BloodGlucoseRecord", attempt: 0 });
      const text = JSON.stringify(line);
      expect(text).not.toContain("user-secret-42");
      expect(text).not.toContain(record!.narrativePreview!.slice(0, 40));
    }
  });

  test("the attempt comes from the transport's retry count, else the body's retry_count", async () => {
    const rec: Recorded = { started: [], stages: [], records: [], scores: [], finished: [] };
    const m = await message("StepsRecord", "message-queue", 2);
    const body = Buffer.from(JSON.stringify({ ...m.body, retry_count: 2 }));
    await processMessage({ body }, h.deps({}, { observer: recordingObserver(rec) }));
    await processMessage({ body, retryCount: 1 }, h.deps({}, { observer: recordingObserver(rec) }));
    expect(rec.started.map((s) => s.attempt)).toEqual([2, 1]);
    expect(rec.finished.map((o) => o.kind)).toEqual(["completed", "duplicate"]);
  });

  test("a processing timeout is a retriable timeout_error; the claim is released for the retry", async () => {
    const m = await message("HeartRateRecord");
    const hang = { decode: () => new Promise<never>(() => undefined) };
    const outcome = await processMessage({ body: m.bytes }, h.deps({ processingTimeoutMs: 200 }, { decoder: hang }));
    expect(outcome).toMatchObject({ kind: "retry", retryNumber: 1, reason: { errorType: "timeout_error" } });
    expect((await h.record(m.key))?.status).toBe("failed");
    // The retry succeeds with the real decoder.
    expect(await processMessage({ body: m.bytes, retryCount: 1 }, h.deps())).toEqual({ kind: "completed" });
  });

  test("a processor failure is dead-lettered; a DataQualityError from the processor quarantines", async () => {
    const m1 = await message("SleepSessionRecord");
    const o1 = await processMessage({ body: m1.bytes }, h.deps({}, { processors: { get: (t) => failingProcessor(t, "result") } }), { deadLetterMarking: "deferred" });
    expect(o1).toMatchObject({ kind: "dead_letter", reason: { errorType: "processing_error" } });
    // Still claimed until the transport confirms the dead letter and commits.
    expect((await h.record(m1.key))?.status).toBe("processing");
    if (o1.kind !== "dead_letter") throw new Error("unexpected outcome");
    await o1.commit?.();
    expect((await h.record(m1.key))?.status).toBe("dead_lettered");
    // Without a broker (the default, immediate marking) the pipeline marks it itself.
    const m3 = await message("SleepSessionRecord", "module-spec", 2);
    const o3 = await processMessage({ body: m3.bytes }, h.deps({}, { processors: { get: (t) => failingProcessor(t, "result") } }));
    expect(o3).toEqual({ kind: "dead_letter", reason: { errorType: "processing_error", message: expect.stringContaining("cannot describe") } });
    expect((await h.record(m3.key))?.status).toBe("dead_lettered");

    const m2 = await message("SleepSessionRecord", "module-spec", 1);
    const o2 = await processMessage({ body: m2.bytes }, h.deps({}, { processors: { get: (t) => failingProcessor(t, "data_quality") } }));
    expect(o2).toMatchObject({ kind: "quarantined", reason: { errorType: "data_quality" } });
    expect((await h.record(m2.key))?.status).toBe("quarantined");
    expect((await h.keysUnder(`quarantine/SleepSessionRecord/`)).filter((k) => k.includes(m2.key))).toHaveLength(2);
  });

  test("a failed output write is a failed message (retry), never a completed one", async () => {
    const m = await message("ActiveCaloriesBurnedRecord");
    const broken = { write: async () => Promise.reject(new NetworkError("output store unreachable")) };
    const outcome = await processMessage({ body: m.bytes }, h.deps({}, { writer: broken }));
    expect(outcome).toMatchObject({ kind: "retry", reason: { errorType: "network_error" } });
    expect((await h.record(m.key))?.status).toBe("failed");
    expect((await h.outputs()).filter((k) => k.includes(m.key))).toEqual([]);
  });

  test("a live lease elsewhere defers (capped to the first tier); an outage of the store requeues", async () => {
    const m = await message("HeartRateVariabilityRmssdRecord");
    const parsed = JSON.parse(m.bytes.toString()) as Record<string, unknown>;
    const stub = { idempotencyKey: m.key, recordType: "HeartRateVariabilityRmssdRecord", userId: "u", key: parsed["key"], messageId: undefined, correlationId: "c" } as unknown as HealthDataMessage;
    expect(await h.dedup.tryClaim(stub, m.key, "someone-else", 60_000)).toMatchObject({ status: "claimed" });
    const deferred = await processMessage({ body: m.bytes }, h.deps({ maxDeferMs: 150 }));
    expect(deferred).toEqual({ kind: "deferred", delayMs: 150 });

    const down = new RedisDeduplicationStore({ url: `redis://127.0.0.1:${await closedPort()}`, connectTimeoutMs: 200 });
    try {
      const outcome = await processMessage({ body: m.bytes }, h.deps({ requeueDelayMs: 10 }, { dedup: down }));
      expect(outcome).toMatchObject({ kind: "requeue", delayMs: 10 });
    } finally {
      await down.close();
    }
  });

  test("a worker whose lease was taken over writes nothing and answers duplicate; the new owner completes", async () => {
    const m = await message("BloodGlucoseRecord", "health-api", 1);
    const parsed = JSON.parse(m.bytes.toString()) as Record<string, unknown>;
    const { parseHealthDataMessage } = await import("@narrative-engine/contracts");
    const pm = parseHealthDataMessage(JSON.stringify(parsed));
    if (!pm.success) throw pm.error;
    const key = pm.message.idempotencyKey;
    let stall = true;
    // Renewals fail while the worker stalls in "process" (the store is unreachable for it), so its lease runs out.
    const real = h.dedup;
    const flaky = new Proxy(real, {
      get(target, prop) {
        if (prop === "renewLease") {
          return (k: string, o: string, ms: number) => (stall ? Promise.reject(new NetworkError("renewal lost")) : real.renewLease(k, o, ms));
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const slow: PipelineObserver = {
      messageStarted: () => ({
        stage: async (name, fn) => {
          if (name === "process") {
            await sleep(400);
            // Meanwhile the lease expired and another worker took the key over and finished it.
            expect(await processMessage({ body: m.bytes }, h.deps())).toEqual({ kind: "completed" });
            stall = false;
          }
          return fn();
        },
        recordsParsed: () => undefined,
        qualityScore: () => undefined,
        finished: () => undefined,
        injectHeaders: () => undefined,
      }),
    };
    const outputsBefore = (await h.outputs()).filter((k) => k.includes(key));
    const outcome = await processMessage({ body: m.bytes }, h.deps({ leaseMs: 150 }, { dedup: flaky, observer: slow }));
    expect(outcome).toEqual({ kind: "duplicate" });
    const record = await h.record(key);
    expect(record?.status).toBe("completed");
    expect(record?.attempts).toBe(2);
    expect(outputsBefore).toEqual([]);
    expect((await h.outputs()).filter((k) => k.includes(key))).toHaveLength(1);
  });

  test("the store is asked about the lease before the output only when it was not confirmed within half the lease", async () => {
    const counting = (real: typeof h.dedup): { store: typeof h.dedup; renewals: () => number; failRenewals: (on: boolean) => void } => {
      let renewals = 0;
      let failing = false;
      const store = new Proxy(real, {
        get(target, prop) {
          if (prop === "renewLease") {
            return (k: string, o: string, ms: number) => {
              if (failing) return Promise.reject(new NetworkError("renewal lost"));
              renewals += 1;
              return real.renewLease(k, o, ms);
            };
          }
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      return { store, renewals: () => renewals, failRenewals: (on) => (failing = on) };
    };
    // A quick message under a long lease: nobody can have taken the key over, no extra round trip.
    const quick = counting(h.dedup);
    // Keys of their own: other tests in this file process the same samples.
    const fresh = async (sample: number): Promise<{ bytes: Buffer }> => {
      const m = await message("BloodGlucoseRecord", "health-api", sample);
      return { bytes: Buffer.from(JSON.stringify({ ...(JSON.parse(m.bytes.toString()) as object), idempotency_key: `lease-check-${randomUUID()}` })) };
    };
    const m1 = await fresh(1);
    expect(await processMessage({ body: m1.bytes }, h.deps({ leaseMs: 60_000 }, { dedup: quick.store }))).toEqual({ kind: "completed" });
    expect(quick.renewals()).toBe(0);
    // 700 ms in "process" under a 1 s lease while every periodic renewal fails: the lease was last
    // confirmed at the claim, over half a lease ago, so ownership is asked of the store before the output.
    const slow = counting(h.dedup);
    const stall: PipelineObserver = {
      messageStarted: () => ({
        stage: async (name, fn) => {
          if (name === "process") {
            slow.failRenewals(true);
            await sleep(700);
            slow.failRenewals(false);
          }
          return fn();
        },
        recordsParsed: () => undefined,
        qualityScore: () => undefined,
        finished: () => undefined,
        injectHeaders: () => undefined,
      }),
    };
    const m2 = await fresh(2);
    expect(await processMessage({ body: m2.bytes }, h.deps({ leaseMs: 1_000 }, { dedup: slow.store, observer: stall }))).toEqual({ kind: "completed" });
    expect(slow.renewals()).toBeGreaterThanOrEqual(1);
  });

  test("an aborted attempt (worker shutdown) releases its claim and asks for a requeue", async () => {
    const m = await message("StepsRecord", "module-spec", 4);
    const controller = new AbortController();
    const hang = { decode: () => new Promise<never>(() => undefined) };
    const running = processMessage({ body: m.bytes }, h.deps({}, { decoder: hang }), { signal: controller.signal });
    await h.waitFor(async () => (await h.record(m.key))?.status === "processing", 5_000, "claim");
    controller.abort();
    expect(await running).toMatchObject({ kind: "requeue", delayMs: 0 });
    expect((await h.record(m.key))?.status).toBe("failed");
    expect(await processMessage({ body: m.bytes }, h.deps())).toEqual({ kind: "completed" });
  });
});
