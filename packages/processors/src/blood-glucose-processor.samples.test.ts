import { decodeHealthConnect } from "@narrative-engine/avro";
import type { BloodGlucoseRecord } from "@narrative-engine/contracts";
import { describeWithSamples, readSample, sampleFiles } from "@narrative-engine/test-kit";
import { afterEach, expect, test, vi } from "vitest";
import { BloodGlucoseProcessor } from "./blood-glucose-processor.ts";
import { message, validation } from "./__fixtures__/glucose-hrv-records.ts";
import { missingNarrativeNumbers } from "./toolkit/index.ts";

const CALIBRATION_FILE = "BloodGlucoseRecord_1758407139312.avro";
const decode = (name: string): BloodGlucoseRecord[] => decodeHealthConnect(readSample(name), { expectedType: "BloodGlucoseRecord" }).records;
const processor = new BloodGlucoseProcessor();
const run = (records: readonly BloodGlucoseRecord[], metadata?: Record<string, unknown>) =>
  processor.processWithClinicalInsights(records, message("BloodGlucoseRecord", metadata), validation("BloodGlucoseRecord"));

describeWithSamples("BloodGlucoseProcessor on the real exports", () => {
  test("calibration: BloodGlucoseRecord_1758407139312 reproduces the reference figures", async () => {
    const result = await run(decode(CALIBRATION_FILE));
    expect(result.success).toBe(true);
    expect(result.recordsProcessed).toBe(253);
    expect(result.clinicalInsights).toMatchObject({
      reading_count: 253,
      mean_mg_dl: 111.48,
      sd_mg_dl: 15,
      cv_pct: 13.45,
      gmi_pct: 5.98,
      min_mg_dl: 83,
      max_mg_dl: 159,
      sensor_interval_minutes: 5,
      capture_rate_pct: 100,
      gri: 0,
      gri_zone: "A",
      utc_offsets_used: ["+00:00"],
    });
    expect(result.clinicalInsights["time_in_ranges_pct"]).toMatchObject({ from_70_to_180: 100, tight_70_to_140: 96.05, below_70: 0, above_180: 0 });
    expect(result.clinicalInsights["data_sufficiency"]).toMatchObject({ met: false });
    expect(result.clinicalInsights["trend"]).toMatchObject({ available: false });
  });

  test.each(sampleFiles("BloodGlucoseRecord").map((f) => [f.name]))("%s: every narrative number is in the insights; no ids", async (name) => {
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
    expect(narrative).not.toMatch(/prediabet|diabetes|diagnos/i);
  });

  test("duplicate ids across two concatenated exports are counted once", async () => {
    const a = decode("BloodGlucoseRecord_1758407139312.avro");
    const b = decode("BloodGlucoseRecord_1758407245091.avro");
    const union = new Set([...a, ...b].map((r) => r.metadata.id)).size;
    const result = await run([...a, ...b]);
    expect(result.recordsProcessed).toBe(union);
    expect(result.clinicalInsights["duplicate_ids_removed"]).toBe(a.length + b.length - union);
    const twice = await run([...a, ...a]);
    expect(twice.recordsProcessed).toBe(253);
    expect(twice.narrative).toBe((await run(a)).narrative);
  });

  test("deterministic: the same input twice gives byte-identical narrative and insights", async () => {
    const first = await run(decode(CALIBRATION_FILE));
    const second = await run(decode(CALIBRATION_FILE));
    expect(JSON.stringify([second.narrative, second.clinicalInsights])).toBe(JSON.stringify([first.narrative, first.clinicalInsights]));
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test("host time zone does not change dates (TZ=Pacific/Chatham)", async () => {
    const records = decode(CALIBRATION_FILE);
    const before = await run(records, { user_timezone_offset: "-05:00" });
    vi.stubEnv("TZ", "Pacific/Chatham");
    // The stub really moves the host zone (Chatham is UTC+12:45 in September)…
    expect(new Date(Date.UTC(2025, 8, 20)).getTimezoneOffset()).toBe(-765);
    // …and nothing the processor reports moves with it.
    const after = await run(records, { user_timezone_offset: "-05:00" });
    expect(after.clinicalInsights).toEqual(before.clinicalInsights);
    expect(after.narrative).toBe(before.narrative);
    expect(before.clinicalInsights["first_reading_local"]).toBe("2025-09-19 17:25");
    expect(before.clinicalInsights["utc_offset_sources"]).toEqual(["health_metadata"]);
  });

  test("print the calibration narrative", async () => {
    const result = await run(decode(CALIBRATION_FILE));
    if (process.env["PRINT_NARRATIVES"] === "1") {
      console.log(result.narrative);
      console.log(JSON.stringify(result.clinicalInsights, null, 2));
    }
    expect(result.narrative?.length).toBeGreaterThan(0);
  });
});
