import { SpanStatusCode, trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parsePrometheusText, sampleValue, type Sample } from "../test/parse-prometheus-text.ts";
import { createLogger } from "./create-logger.ts";
import { createMetrics, type EtlMetrics } from "./create-metrics.ts";
import { createTelemetryObserver } from "./create-telemetry-observer.ts";
import { createTracing, extractTraceContext, type Tracing } from "./create-tracing.ts";
import type { PipelineObserver, PipelineOutcome } from "./pipeline-observer.ts";
import { startTelemetryServer, type TelemetryServer } from "./start-telemetry-server.ts";

const USER_ID = "user-5521-sensitive";
const OBJECT_KEY = `raw/${USER_ID}/HeartRateRecord/file-77.avro`;
const MESSAGE_ID = "msg-0f0e-unique-1234";
const PRODUCER_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
const PRODUCER_TRACEPARENT = `00-${PRODUCER_TRACE_ID}-b7ad6b7169203331-01`;

interface Harness {
  readonly metrics: EtlMetrics;
  readonly observer: PipelineObserver;
  readonly server: TelemetryServer;
  readonly tracing: Tracing;
  readonly exporter: InMemorySpanExporter;
  readonly lines: Record<string, unknown>[];
  scrape(): Promise<Sample[]>;
}

async function harness(): Promise<Harness> {
  const metrics = createMetrics({ service: "worker", version: "0.0.0-test", environment: "test", defaultMetrics: false });
  const exporter = new InMemorySpanExporter();
  const tracing = createTracing({ enabled: true, serviceName: "observer-test", exporter });
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  const observer = createTelemetryObserver({ metrics, logger, tracing });
  const server = await startTelemetryServer({ port: 0, host: "127.0.0.1", metrics });
  return {
    metrics,
    observer,
    server,
    tracing,
    exporter,
    lines,
    async scrape() {
      const res = await fetch(`${server.url}/metrics`);
      return parsePrometheusText(await res.text());
    },
  };
}

const reason = (errorType: string) => ({ errorType, message: `failed reading s3://bucket/${OBJECT_KEY} via amqp://etl:pw-991@broker` });

describe("createTelemetryObserver: outcomes move the metrics (scraped over HTTP)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.server.close();
    await h.tracing.shutdown();
  });

  const R = "HeartRateRecord";
  const processed = (samples: Sample[], status: string) => sampleValue(samples, "etl_messages_processed_total", { record_type: R, status });

  test.each<[string, PipelineOutcome, string, Array<[string, Record<string, string>]>]>([
    ["completed", { kind: "completed" }, "completed", [["etl_training_data_generated_total", { record_type: R }]]],
    ["duplicate", { kind: "duplicate" }, "duplicate", [["etl_duplicate_messages_total", {}]]],
    ["deferred", { kind: "deferred", delayMs: 5000 }, "deferred", []],
    [
      "retry",
      { kind: "retry", delayMs: 30_000, retryNumber: 2, reason: reason("network_error") },
      "retried",
      [
        ["etl_retry_attempts_total", { record_type: R, retry_number: "2" }],
        ["etl_processing_errors_total", { record_type: R, error_type: "network_error" }],
      ],
    ],
    [
      "dead_letter",
      { kind: "dead_letter", reason: reason("schema_error") },
      "dead_lettered",
      [
        ["etl_dead_letter_messages_total", { record_type: R, reason: "schema_error" }],
        ["etl_processing_errors_total", { record_type: R, error_type: "schema_error" }],
      ],
    ],
    [
      "quarantined",
      { kind: "quarantined", reason: reason("data_quality") },
      "quarantined",
      [
        ["etl_records_quarantined_total", { record_type: R, reason: "data_quality" }],
        ["etl_processing_errors_total", { record_type: R, error_type: "data_quality" }],
      ],
    ],
    [
      "requeue",
      { kind: "requeue", delayMs: 1000, reason: reason("resource_error") },
      "failed",
      [["etl_processing_errors_total", { record_type: R, error_type: "resource_error" }]],
    ],
  ])("%s counts under its status and moves its own counters", async (_kind, outcome, status, extra) => {
    const before = await h.scrape();
    const observation = h.observer.messageStarted({ recordType: `Avro${R}`, headers: {}, attempt: 1 });
    expect(sampleValue(await h.scrape(), "etl_messages_in_progress")).toBe(sampleValue(before, "etl_messages_in_progress") + 1);
    observation.finished(outcome);
    const after = await h.scrape();
    expect(processed(after, status) - processed(before, status)).toBe(1);
    for (const [name, labels] of extra) {
      expect(sampleValue(after, name, labels) - sampleValue(before, name, labels), name).toBe(1);
    }
    expect(sampleValue(after, "etl_messages_in_progress")).toBe(sampleValue(before, "etl_messages_in_progress"));
    const durationCount = (s: Sample[]) => sampleValue(s, "etl_processing_duration_seconds_count", { record_type: R });
    const ranPipeline = outcome.kind !== "duplicate" && outcome.kind !== "deferred";
    expect(durationCount(after) - durationCount(before)).toBe(ranPipeline ? 1 : 0);
  });

  test("a retry without retryNumber is labelled by the next attempt; large numbers share 10+", async () => {
    const before = await h.scrape();
    h.observer.messageStarted({ recordType: R, headers: {}, attempt: 0 }).finished({ kind: "retry" });
    h.observer.messageStarted({ recordType: R, headers: {}, attempt: 40 }).finished({ kind: "retry", retryNumber: 41 });
    const after = await h.scrape();
    const delta = (labels: Record<string, string>) =>
      sampleValue(after, "etl_retry_attempts_total", labels) - sampleValue(before, "etl_retry_attempts_total", labels);
    expect(delta({ record_type: R, retry_number: "1" })).toBe(1);
    expect(delta({ record_type: R, retry_number: "10+" })).toBe(1);
  });

  test("stages, parsed records, quality score and lag are recorded", async () => {
    const before = await h.scrape();
    const observation = h.observer.messageStarted({ recordType: R, headers: {}, attempt: 0, publishedAt: Date.now() - 5000 });
    const bytes = await observation.stage("download", () => Promise.resolve(new Uint8Array(3)));
    expect(bytes.byteLength).toBe(3);
    await observation.stage("decode", () => "sync values are fine too");
    observation.recordsParsed(120);
    observation.qualityScore(0.92);
    await expect(
      observation.stage("process", () => Promise.reject(Object.assign(new Error("boom"), { errorType: "processing_error" }))),
    ).rejects.toThrow("boom");
    observation.finished({ kind: "dead_letter", reason: reason("processing_error") });
    const after = await h.scrape();
    const delta = (name: string, labels: Record<string, string> = {}) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta("etl_stage_duration_seconds_count", { stage: "download" })).toBe(1);
    expect(delta("etl_stage_duration_seconds_count", { stage: "decode" })).toBe(1);
    expect(delta("etl_stage_duration_seconds_count", { stage: "process" })).toBe(1);
    expect(delta("etl_avro_records_parsed_total", { record_type: R })).toBe(120);
    expect(delta("etl_validation_quality_score_count")).toBe(1);
    expect(delta("etl_validation_quality_score_bucket", { le: "0.95" })).toBe(1);
    expect(delta("etl_validation_quality_score_bucket", { le: "0.9" })).toBe(0);
    expect(delta("etl_message_lag_seconds_count")).toBe(1);
    expect(delta("etl_message_lag_seconds_sum")).toBeGreaterThanOrEqual(5);
  });

  test("the upload timestamp measures lag on the first delivery only", async () => {
    const before = sampleValue(await h.scrape(), "etl_message_lag_seconds_count");
    const uploadTimestampUtc = new Date(Date.now() - 60_000).toISOString();
    h.observer.messageStarted({ recordType: R, headers: {}, attempt: 0, uploadTimestampUtc }).finished({ kind: "completed" });
    h.observer.messageStarted({ recordType: R, headers: {}, attempt: 2, uploadTimestampUtc }).finished({ kind: "completed" });
    expect(sampleValue(await h.scrape(), "etl_message_lag_seconds_count") - before).toBe(1);
  });

  test("a second finished() is ignored", async () => {
    const before = await h.scrape();
    const observation = h.observer.messageStarted({ recordType: R, headers: {}, attempt: 0 });
    observation.finished({ kind: "completed" });
    observation.finished({ kind: "dead_letter", reason: reason("schema_error") });
    const after = await h.scrape();
    expect(processed(after, "completed") - processed(before, "completed")).toBe(1);
    expect(processed(after, "dead_lettered") - processed(before, "dead_lettered")).toBe(0);
    expect(sampleValue(after, "etl_messages_in_progress")).toBe(0);
  });

  test("an outcome kind this package does not know counts as failed instead of throwing", async () => {
    const before = await h.scrape();
    const observation = h.observer.messageStarted({ recordType: R, headers: {}, attempt: 0 });
    expect(() => observation.finished({ kind: "abandoned" } as unknown as PipelineOutcome)).not.toThrow();
    const after = await h.scrape();
    expect(processed(after, "failed") - processed(before, "failed")).toBe(1);
    expect(h.lines.at(-1)).toMatchObject({ level: "warn", status: "failed" });
  });

  test("an unparseable message and unknown error types land on bounded labels", async () => {
    const before = await h.scrape();
    h.observer.messageStarted({ headers: {}, attempt: 0 }).finished({ kind: "dead_letter", reason: reason("validation_error") });
    h.observer.messageStarted({ recordType: "NotARecord", headers: {}, attempt: 0 }).finished({ kind: "quarantined", reason: reason("weird thing") });
    const after = await h.scrape();
    const delta = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta("etl_dead_letter_messages_total", { record_type: "unknown", reason: "validation_error" })).toBe(1);
    expect(delta("etl_records_quarantined_total", { record_type: "unknown", reason: "unknown" })).toBe(1);
  });

  test("identify() moves later metrics to the record type learnt after the start", async () => {
    const before = await h.scrape();
    const observation = h.observer.messageStarted({ headers: {}, attempt: 0 });
    observation.identify({ recordType: "StepsRecord", correlationId: "corr-late", idempotencyKey: "idem-late" });
    observation.finished({ kind: "completed" });
    const after = await h.scrape();
    const labels = { record_type: "StepsRecord", status: "completed" };
    expect(sampleValue(after, "etl_messages_processed_total", labels) - sampleValue(before, "etl_messages_processed_total", labels)).toBe(1);
    expect(h.lines.at(-1)).toMatchObject({ correlation_id: "corr-late", idempotency_key: "idem-late", record_type: "StepsRecord" });
  });

  test("no label anywhere carries a user id, object key or message id", async () => {
    const observation = h.observer.messageStarted({
      recordType: R,
      headers: { "x-user-id": USER_ID, "message-id": MESSAGE_ID },
      attempt: 0,
      correlationId: MESSAGE_ID,
      idempotencyKey: "idem-abc",
    });
    await observation.stage("download", () => Promise.resolve(OBJECT_KEY));
    observation.finished({ kind: "quarantined", reason: { errorType: USER_ID, message: `${OBJECT_KEY} ${MESSAGE_ID}` } });
    const allowed = new Set(["record_type", "status", "stage", "error_type", "reason", "retry_number", "queue", "le", "service", "version", "environment"]);
    const samples = await h.scrape();
    for (const sample of samples) {
      for (const [name, value] of Object.entries(sample.labels)) {
        expect(allowed, `${sample.name} label ${name}`).toContain(name);
        expect(value).not.toContain(USER_ID);
        expect(value).not.toContain(OBJECT_KEY);
        expect(value).not.toContain(MESSAGE_ID);
        expect(value).not.toContain("idem-abc");
      }
    }
  });

  test("outcomes are logged at their level with delivery context and scrubbed messages", () => {
    h.lines.length = 0;
    const start = { recordType: R, headers: {}, attempt: 1, correlationId: "corr-7", idempotencyKey: "idem-7" };
    const outcomes: PipelineOutcome[] = [
      { kind: "completed" },
      { kind: "retry", retryNumber: 2, delayMs: 300_000, reason: reason("timeout_error") },
      { kind: "dead_letter", reason: reason("schema_error") },
      { kind: "quarantined", reason: reason("data_quality") },
      { kind: "requeue", reason: reason("network_error") },
    ];
    for (const outcome of outcomes) h.observer.messageStarted(start).finished(outcome);
    expect(h.lines.map((l) => [l["outcome"], l["level"]])).toEqual([
      ["completed", "info"],
      ["retry", "warn"],
      ["dead_letter", "error"],
      ["quarantined", "error"],
      ["requeue", "warn"],
    ]);
    for (const line of h.lines) {
      expect(line).toMatchObject({ correlation_id: "corr-7", idempotency_key: "idem-7", record_type: R, attempt: 1 });
    }
    expect(h.lines[2]).toMatchObject({ error_type: "schema_error", status: "dead_lettered" });
    const text = JSON.stringify(h.lines);
    expect(text).not.toContain("pw-991");
    expect(text).not.toContain(USER_ID);
  });
});

describe("createTelemetryObserver: tracing", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.server.close();
    await h.tracing.shutdown();
  });

  test("one span per delivery continues the producer's trace, with a child span per stage", async () => {
    h.exporter.reset();
    const observation = h.observer.messageStarted({ recordType: "BloodGlucoseRecord", headers: { traceparent: PRODUCER_TRACEPARENT }, attempt: 0 });
    await observation.stage("download", () => Promise.resolve(1));
    await observation.stage("decode", () => Promise.resolve(2));
    await expect(observation.stage("validate", () => Promise.reject(Object.assign(new Error("bad"), { errorType: "schema_error" })))).rejects.toThrow();
    const retryHeaders: Record<string, unknown> = {};
    observation.injectHeaders(retryHeaders);
    observation.finished({ kind: "retry", retryNumber: 1, delayMs: 30_000, reason: { errorType: "schema_error", message: "x" } });

    const spans = h.exporter.getFinishedSpans();
    const message = spans.find((s) => s.name === "narrative-engine.process_message");
    expect(message).toBeDefined();
    expect(message?.spanContext().traceId).toBe(PRODUCER_TRACE_ID);
    expect(message?.attributes).toMatchObject({ record_type: "BloodGlucoseRecord", attempt: 0, outcome: "retry", "error.type": "schema_error" });
    expect(message?.status.code).toBe(SpanStatusCode.ERROR);
    const stages = spans.filter((s) => s.parentSpanContext?.spanId === message?.spanContext().spanId);
    expect(stages.map((s) => s.name)).toEqual(["narrative-engine.download", "narrative-engine.decode", "narrative-engine.validate"]);
    expect(stages[2]?.status.code).toBe(SpanStatusCode.ERROR);
    for (const span of spans) expect(JSON.stringify(span.attributes)).not.toContain("user");

    // The retried copy's headers continue the trace from this delivery's span.
    const next = trace.getSpanContext(extractTraceContext(retryHeaders));
    expect(next?.traceId).toBe(PRODUCER_TRACE_ID);
    expect(next?.spanId).toBe(message?.spanContext().spanId);
  });

  test("a delivery without trace headers starts a new trace", () => {
    h.exporter.reset();
    h.observer.messageStarted({ recordType: "StepsRecord", headers: {}, attempt: 0 }).finished({ kind: "completed" });
    const [span] = h.exporter.getFinishedSpans();
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.spanContext().traceId).not.toBe(PRODUCER_TRACE_ID);
    expect(span?.attributes["outcome"]).toBe("completed");
  });

  test("with tracing disabled, no spans and injectHeaders leaves headers untouched", async () => {
    const metrics = createMetrics({ service: "w", version: "v", environment: "e", defaultMetrics: false });
    const logger = createLogger({ level: "silent" });
    const observer = createTelemetryObserver({ metrics, logger, tracing: createTracing({ enabled: false, serviceName: "x" }) });
    const observation = observer.messageStarted({ recordType: "StepsRecord", headers: { traceparent: PRODUCER_TRACEPARENT }, attempt: 0 });
    expect(await observation.stage("output", () => Promise.resolve("ok"))).toBe("ok");
    const headers: Record<string, unknown> = { traceparent: PRODUCER_TRACEPARENT };
    observation.injectHeaders(headers);
    observation.finished({ kind: "completed" });
    expect(headers).toEqual({ traceparent: PRODUCER_TRACEPARENT });
    const samples = parsePrometheusText(await metrics.scrape());
    expect(sampleValue(samples, "etl_messages_processed_total", { record_type: "StepsRecord", status: "completed" })).toBe(1);
  });
});
