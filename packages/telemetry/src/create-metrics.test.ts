import { RECORD_TYPES } from "@narrative-engine/contracts";
import { Registry, register as globalRegistry } from "prom-client";
import { describe, expect, test } from "vitest";
import { metricFamilies, parsePrometheusText, sampleValue } from "../test/parse-prometheus-text.ts";
import { createMetrics, MESSAGE_STATUSES } from "./create-metrics.ts";
import { errorTypeLabel, recordTypeLabel, retryNumberLabel } from "./labels.ts";

const identity = { service: "narrative-engine-worker", version: "1.2.3", environment: "test" };

const ETL_FAMILIES = [
  "etl_messages_processed_total",
  "etl_processing_duration_seconds",
  "etl_stage_duration_seconds",
  "etl_duplicate_messages_total",
  "etl_processing_errors_total",
  "etl_retry_attempts_total",
  "etl_dead_letter_messages_total",
  "etl_records_quarantined_total",
  "etl_avro_records_parsed_total",
  "etl_validation_quality_score",
  "etl_training_data_generated_total",
  "etl_messages_in_progress",
  "etl_rabbitmq_connected",
  "etl_service_info",
  "etl_queue_depth",
  "etl_message_lag_seconds",
];

describe("createMetrics", () => {
  test("registers every etl_ metric and the default process metrics on its own registry", async () => {
    const before = (await globalRegistry.metrics()).length;
    const metrics = createMetrics(identity);
    const families = metricFamilies(await metrics.scrape());
    for (const name of ETL_FAMILIES) expect(families, name).toContain(name);
    expect(families).toContain("process_cpu_user_seconds_total");
    expect(families).toContain("nodejs_eventloop_lag_seconds");
    expect((await globalRegistry.metrics()).length).toBe(before);
  });

  test("two instances live side by side on separate registries", async () => {
    const a = createMetrics({ ...identity, defaultMetrics: false });
    const b = createMetrics({ ...identity, registry: new Registry(), defaultMetrics: false });
    a.duplicateMessages.inc();
    expect(sampleValue(parsePrometheusText(await a.scrape()), "etl_duplicate_messages_total")).toBe(1);
    expect(sampleValue(parsePrometheusText(await b.scrape()), "etl_duplicate_messages_total")).toBe(0);
  });

  test("etl_service_info carries service, version and environment with value 1", async () => {
    const samples = parsePrometheusText(await createMetrics({ ...identity, defaultMetrics: false }).scrape());
    expect(sampleValue(samples, "etl_service_info", identity)).toBe(1);
  });

  test("outcome counters start at zero for every record type and status", async () => {
    const samples = parsePrometheusText(await createMetrics({ ...identity, defaultMetrics: false }).scrape());
    for (const recordType of [...RECORD_TYPES, "unknown"]) {
      for (const status of MESSAGE_STATUSES) {
        const found = samples.find(
          (s) => s.name === "etl_messages_processed_total" && s.labels["record_type"] === recordType && s.labels["status"] === status,
        );
        expect(found?.value, `${recordType}/${status}`).toBe(0);
      }
    }
  });

  test("queue depths come from the source at scrape time; a failing source drops the series", async () => {
    const metrics = createMetrics({ ...identity, defaultMetrics: false, queueDepthTimeoutMs: 50 });
    expect(parsePrometheusText(await metrics.scrape()).filter((s) => s.name === "etl_queue_depth")).toEqual([]);

    let depth = 3;
    metrics.setQueueDepthSource(() => Promise.resolve({ "health-data": depth, "health-data.dlq": 1 }));
    let samples = parsePrometheusText(await metrics.scrape());
    expect(sampleValue(samples, "etl_queue_depth", { queue: "health-data" })).toBe(3);
    expect(sampleValue(samples, "etl_queue_depth", { queue: "health-data.dlq" })).toBe(1);

    depth = 7;
    samples = parsePrometheusText(await metrics.scrape());
    expect(sampleValue(samples, "etl_queue_depth", { queue: "health-data" })).toBe(7);

    metrics.setQueueDepthSource(() => Promise.reject(new Error("channel closed")));
    samples = parsePrometheusText(await metrics.scrape());
    expect(samples.filter((s) => s.name === "etl_queue_depth")).toEqual([]);

    metrics.setQueueDepthSource(() => new Promise(() => undefined));
    samples = parsePrometheusText(await metrics.scrape());
    expect(samples.filter((s) => s.name === "etl_queue_depth")).toEqual([]);
    expect(sampleValue(samples, "etl_service_info")).toBe(1);
  });

  test("setBrokerConnected flips etl_rabbitmq_connected", async () => {
    const metrics = createMetrics({ ...identity, defaultMetrics: false });
    expect(sampleValue(parsePrometheusText(await metrics.scrape()), "etl_rabbitmq_connected")).toBe(0);
    metrics.setBrokerConnected(true);
    expect(sampleValue(parsePrometheusText(await metrics.scrape()), "etl_rabbitmq_connected")).toBe(1);
    metrics.setBrokerConnected(false);
    expect(sampleValue(parsePrometheusText(await metrics.scrape()), "etl_rabbitmq_connected")).toBe(0);
  });
});

describe("bounded labels", () => {
  test.each([
    ["BloodGlucoseRecord", "BloodGlucoseRecord"],
    ["AvroHeartRateRecord", "HeartRateRecord"],
    ["io.github.hitoshura25.healthsyncapp.data.avro.AvroStepsRecord", "StepsRecord"],
    ["user-123/BloodGlucoseRecord", "unknown"],
    ["", "unknown"],
    [undefined, "unknown"],
    [42, "unknown"],
  ])("recordTypeLabel(%j) = %s", (input, expected) => {
    expect(recordTypeLabel(input)).toBe(expected);
  });

  test.each([
    ["network_error", "network_error"],
    ["data_quality", "data_quality"],
    ["ECONNREFUSED to amqp://guest:guest@host", "unknown"],
    [undefined, "unknown"],
  ])("errorTypeLabel(%j) = %s", (input, expected) => {
    expect(errorTypeLabel(input)).toBe(expected);
  });

  test.each([
    [1, "1"],
    [3, "3"],
    [9, "9"],
    [10, "10+"],
    [5000, "10+"],
    [0, "0"],
    [Number.NaN, "0"],
  ])("retryNumberLabel(%d) = %s", (input, expected) => {
    expect(retryNumberLabel(input)).toBe(expected);
  });
});
