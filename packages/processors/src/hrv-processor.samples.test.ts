import { decodeHealthConnect } from "@narrative-engine/avro";
import type { HeartRateVariabilityRmssdRecord } from "@narrative-engine/contracts";
import { describeWithSamples, readSample, sampleFiles } from "@narrative-engine/test-kit";
import { afterEach, expect, test, vi } from "vitest";
import { HrvProcessor } from "./hrv-processor.ts";
import { message, validation } from "./__fixtures__/glucose-hrv-records.ts";
import { missingNarrativeNumbers } from "./toolkit/index.ts";

const FILE = "HeartRateVariabilityRmssdRecord_1758407139312.avro";
const decode = (name: string): HeartRateVariabilityRmssdRecord[] =>
  decodeHealthConnect(readSample(name), { expectedType: "HeartRateVariabilityRmssdRecord" }).records;
const processor = new HrvProcessor();
const run = (records: readonly HeartRateVariabilityRmssdRecord[], metadata?: Record<string, unknown>) =>
  processor.processWithClinicalInsights(records, message("HeartRateVariabilityRmssdRecord", metadata), validation("HeartRateVariabilityRmssdRecord"));
const CHANGE_WORDS = /increas|decreas|improv|worsen|\brose\b|\bfell\b|dropped|declin|upward|downward|trending/i;

describeWithSamples("HrvProcessor on the real exports", () => {
  test("HeartRateVariabilityRmssdRecord_1758407139312: one night, figures from the readings", async () => {
    const result = await run(decode(FILE));
    expect(result.success).toBe(true);
    expect(result.recordsProcessed).toBe(74);
    expect(result.clinicalInsights).toMatchObject({
      reading_count: 74,
      min_rmssd_ms: 8,
      max_rmssd_ms: 69,
      utc_offsets_used: ["-05:00"],
      utc_offset_sources: ["record"],
      first_reading_local: "2025-09-20 02:39",
      last_reading_local: "2025-09-20 08:44",
      reading_interval_minutes: 5,
      daytime_readings_excluded_from_nights: 0,
      trend: { available: false, nights: 1, min_nights: 7 },
    });
    const nights = result.clinicalInsights["nights"] as { night_ending: string; readings: number }[];
    expect(nights).toHaveLength(1);
    expect(nights[0]).toMatchObject({ night_ending: "2025-09-20", readings: 74 });
    // The same figures computed independently from the decoded values.
    const values = decode(FILE).map((r) => r.heartRateVariabilityRmssd);
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    expect(result.clinicalInsights["mean_rmssd_ms"]).toBe(Math.round(m * 10) / 10);
    expect(result.clinicalInsights["nightly_rmssd_ms"]).toBe(result.clinicalInsights["mean_rmssd_ms"]);
  });

  test.each(sampleFiles("HeartRateVariabilityRmssdRecord").map((f) => [f.name]))(
    "%s: every narrative number is in the insights; no ids; no change over time claimed",
    async (name) => {
      const records = decode(name);
      const result = await run(records);
      expect(result.success).toBe(true);
      const narrative = result.narrative ?? "";
      expect(missingNarrativeNumbers(narrative, result.clinicalInsights)).toEqual([]);
      for (const r of records) {
        expect(narrative).not.toContain(r.metadata.id);
        if (r.metadata.clientRecordId !== null) expect(narrative).not.toContain(r.metadata.clientRecordId);
      }
      expect(narrative).not.toContain("user-secret-42");
      expect(narrative).not.toMatch(CHANGE_WORDS);
      expect(narrative).toMatch(/no change over time is described/);
      expect(narrative).toMatch(/wearable-derived/);
    },
  );

  test("duplicate ids across concatenated exports count once; narrative unchanged", async () => {
    const a = decode(FILE);
    const b = decode("HeartRateVariabilityRmssdRecord_1758407245091.avro");
    const union = new Set([...a, ...b].map((r) => r.metadata.id)).size;
    const both = await run([...a, ...b]);
    expect(both.recordsProcessed).toBe(union);
    const twice = await run([...a, ...a]);
    expect(twice.recordsProcessed).toBe(74);
    expect(twice.clinicalInsights["duplicate_ids_removed"]).toBe(74);
    expect(twice.narrative).toBe((await run(a)).narrative);
  });

  test("deterministic: byte-identical narrative and insights", async () => {
    const first = await run(decode(FILE));
    const second = await run(decode(FILE));
    expect(JSON.stringify([second.narrative, second.clinicalInsights])).toBe(JSON.stringify([first.narrative, first.clinicalInsights]));
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test("host time zone does not matter (TZ=Pacific/Chatham)", async () => {
    const before = await run(decode(FILE));
    vi.stubEnv("TZ", "Pacific/Chatham");
    const after = await run(decode(FILE));
    expect(after.narrative).toBe(before.narrative);
    expect(after.clinicalInsights).toEqual(before.clinicalInsights);
  });

  test("print the narrative", async () => {
    const result = await run(decode(FILE));
    if (process.env["PRINT_NARRATIVES"] === "1") {
      console.log(result.narrative);
      console.log(JSON.stringify(result.clinicalInsights, null, 2));
    }
    expect(result.success).toBe(true);
  });
});
