import { afterEach, describe, expect, test, vi } from "vitest";
import { BloodGlucoseProcessor, analyzeBloodGlucose } from "./blood-glucose-processor.ts";
import { DAY0, DEXCOM, glucose, glucoseEvery, glucoseSeries, message, validation } from "./__fixtures__/glucose-hrv-records.ts";
import { missingNarrativeNumbers } from "./toolkit/index.ts";

const MIN = 60_000;
const processor = new BloodGlucoseProcessor();
const run = (records: Parameters<BloodGlucoseProcessor["processWithClinicalInsights"]>[0], metadata?: Record<string, unknown>) =>
  processor.processWithClinicalInsights(records, message("BloodGlucoseRecord", metadata), validation("BloodGlucoseRecord"));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- nested insight values are read loosely in assertions
type Loose = Record<string, any>;
const insightsOf = (records: Parameters<typeof analyzeBloodGlucose>[0], metadata?: Record<string, unknown>): Loose =>
  analyzeBloodGlucose(records, metadata).insights;

describe("BloodGlucoseProcessor on hand-built series", () => {
  test("empty input → success false with a plain message", async () => {
    const result = await run([]);
    expect(result.success).toBe(false);
    expect(result.errorMessage).toMatch(/no blood glucose records/);
    expect(result.recordsProcessed).toBe(0);
    expect(result.qualityScore).toBe(0.95);
  });

  test("only implausible readings → success false", async () => {
    const result = await run([glucose("a", DAY0, 1000), glucose("b", DAY0 + 5 * MIN, 5)]);
    expect(result.success).toBe(false);
    expect(result.errorMessage).toMatch(/no usable/);
    expect(result.clinicalInsights["implausible_values_excluded"]).toBe(2);
  });

  test("one reading: no SD, no capture, plain statements", async () => {
    const result = await run([glucose("a", DAY0, 98)]);
    expect(result.success).toBe(true);
    expect(result.recordsProcessed).toBe(1);
    expect(result.clinicalInsights["sd_mg_dl"]).toBeNull();
    expect(result.clinicalInsights["capture_rate_pct"]).toBeNull();
    expect(result.narrative).toMatch(/variability needs at least two readings/);
    expect(result.narrative).toMatch(/capture cannot be assessed/);
    expect(missingNarrativeNumbers(result.narrative ?? "", result.clinicalInsights)).toEqual([]);
  });

  test("identical timestamps count once", async () => {
    const records = [glucose("a", DAY0, 100), glucose("b", DAY0, 120), glucose("c", DAY0 + 5 * MIN, 110)];
    const result = await run(records);
    expect(result.recordsProcessed).toBe(2);
    expect(result.clinicalInsights["duplicate_timestamps_removed"]).toBe(1);
    expect(result.clinicalInsights["mean_mg_dl"]).toBe(105);
  });

  test("duplicate ids count once", async () => {
    const series = glucoseSeries([100, 110, 120]);
    const result = await run([...series, ...series]);
    expect(result.recordsProcessed).toBe(3);
    expect(result.clinicalInsights["duplicate_ids_removed"]).toBe(3);
  });

  test("overlapping sources are not mixed: the denser CGM wins over a meter", async () => {
    const cgm = glucoseSeries([100, 100, 100, 100, 100, 100]);
    const meter = glucose("m", DAY0 + 12 * MIN, 180, { source: "com.example.meter", specimenSource: "CAPILLARY_BLOOD" });
    const insights = insightsOf([...cgm, meter]);
    expect(insights["reading_count"]).toBe(6);
    expect(insights["overlapping_source_readings_dropped"]).toBe(1);
    expect(insights["sources"]).toEqual([DEXCOM]);
  });

  test.each([
    // value, the range key that counts it
    [53.9, "below_54"],
    [54.0, "from_54_to_69"],
    [69.9, "from_54_to_69"],
    [69.99999999999999, "from_70_to_180"],
    [70.0, "from_70_to_180"],
    [180.0, "from_70_to_180"],
    [180.1, "from_181_to_250"],
    [250.0, "from_181_to_250"],
    [250.1, "above_250"],
  ])("a reading of %s mg/dL counts in %s", (value, key) => {
    const insights = insightsOf([glucose("x", DAY0, value)]);
    expect(insights["readings_in_ranges"][key]).toBe(1);
    expect(insights["time_in_ranges_pct"][key]).toBe(100);
  });

  test("targets missed → clinician suggestion, episodes counted, GRI zone", async () => {
    // 1 h at 60, then 1 h at 120, then 1 h at 260 (5-min readings)
    const values = [...Array(12).fill(60), ...Array(12).fill(120), ...Array(12).fill(260)];
    const result = await run(glucoseSeries(values));
    const i: Loose = result.clinicalInsights;
    expect(i["time_in_ranges_pct"]).toMatchObject({ below_70: 33.33, from_54_to_69: 33.33, above_250: 33.33, from_70_to_180: 33.33 });
    expect(i["episodes"]["below_70"]).toMatchObject({ count: 1, longest_minutes: 60 });
    expect(i["episodes"]["below_54"]["count"]).toBe(0);
    expect(i["episodes"]["above_250"]["count"]).toBe(1);
    // GRI = 2.4 × 33.33… + 1.6 × 33.33… = 133.3 → capped at 100
    expect(i["gri"]).toBe(100);
    expect(i["gri_zone"]).toBe("E");
    expect(i["targets_met"]).toMatchObject({ time_in_range: false, below_70: false, above_250: false, below_54: true });
    expect(result.narrative).toMatch(/worth discussing with a clinician/);
    expect(missingNarrativeNumbers(result.narrative ?? "", i)).toEqual([]);
  });

  test("two 14-minute runs are not episodes; a 15-minute run is", () => {
    const shortRun = insightsOf(glucoseSeries([100, 65, 65, 100, 65, 65, 100]));
    expect(shortRun["episodes"]["below_70"]["count"]).toBe(0);
    const run15 = insightsOf(glucoseSeries([100, 65, 65, 65, 100]));
    expect(run15["episodes"]["below_70"]["count"]).toBe(1);
    expect(run15["episodes"]["below_70"]["longest_minutes"]).toBe(15);
  });

  test("meal context only from relationToMeal, never from the clock", async () => {
    const records = [
      glucose("f", DAY0 + 7 * 60 * MIN, 92, { relationToMeal: "FASTING" }),
      glucose("a", DAY0 + 9 * 60 * MIN, 150, { relationToMeal: "AFTER_MEAL" }),
      glucose("u", DAY0 + 12 * 60 * MIN, 140, { relationToMeal: "GENERAL" }),
    ];
    const result = await run(records);
    expect(result.clinicalInsights["meal_context"]).toEqual({
      fasting: { readings: 1, mean_mg_dl: 92 },
      before_meal: null,
      after_meal: { readings: 1, mean_mg_dl: 150 },
      tagged_readings: 2,
    });
    expect(result.narrative).toMatch(/1 tagged fasting averaged 92\.00 mg\/dL/);
    const untagged = await run(glucoseSeries([100, 110]));
    expect(untagged.narrative).toMatch(/No reading was tagged/);
    expect(untagged.narrative).not.toMatch(/breakfast|lunch|dinner/i);
  });

  test("trend only across at least two complete local days", () => {
    const oneDay = insightsOf(glucoseSeries(Array(288).fill(100)));
    expect(oneDay["trend"]).toMatchObject({ available: false, complete_days: 1 });
    const twoDays = insightsOf(glucoseSeries([...Array(288).fill(100), ...Array(288).fill(120)]));
    expect(twoDays["trend"]).toMatchObject({ available: true, complete_days: 2 });
    expect(twoDays["trend"]["daily_means_mg_dl"]).toEqual([
      { date: "2025-09-20", mean_mg_dl: 100 },
      { date: "2025-09-21", mean_mg_dl: 120 },
    ]);
  });

  test("a long period summarises its days and backs every count (regression: the day count was unbacked)", () => {
    const result = analyzeBloodGlucose(glucoseEvery(60, Array(37 * 24).fill(123)), undefined);
    expect(result.kind).toBe("narrative");
    expect(result.insights["local_day_count"]).toBe(37);
    expect(result.kind === "narrative" ? result.narrative : "").toMatch(/fall on 37 local days, from 2025-09-20 to 2025-10-26/);
  });

  test("data sufficiency needs 14 days at ≥ 70 % capture", () => {
    const fifteen = analyzeBloodGlucose(glucoseEvery(60, Array(15 * 24).fill(110)), undefined);
    const fifteenDays: Loose = fifteen.insights;
    expect(fifteenDays["data_sufficiency"]).toMatchObject({ met: true, required_days: 14 });
    expect(fifteen.kind === "narrative" ? fifteen.narrative : "").toMatch(/meet the consensus minimum of 14 days/);
    expect(fifteen.kind === "narrative" ? fifteen.narrative : "").toMatch(/daily mean glucose ranged from/);
    const short = insightsOf(glucoseSeries(Array(100).fill(110)));
    expect(short["data_sufficiency"]["met"]).toBe(false);
  });

  test("a user offset in health metadata overrides Z; dates and hours follow it", () => {
    // 03:00Z on 2025-09-20 is 22:00 on 2025-09-19 at -05:00
    const records = glucoseSeries([100, 101, 102], DAY0 + 3 * 60 * MIN);
    const utc = insightsOf(records);
    expect(utc["first_reading_local"]).toBe("2025-09-20 03:00");
    expect(utc["utc_offsets_used"]).toEqual(["+00:00"]);
    const local = insightsOf(records, { user_timezone_offset: "-05:00" });
    expect(local["first_reading_local"]).toBe("2025-09-19 22:00");
    expect(local["utc_offsets_used"]).toEqual(["-05:00"]);
    expect(local["utc_offset_sources"]).toEqual(["health_metadata"]);
    expect(local["readings_per_local_day"][0]["date"]).toBe("2025-09-19");
  });

  describe("host time zone", () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });
    test.each([["Pacific/Chatham"], ["Pacific/Kiritimati"], ["America/Los_Angeles"]])("TZ=%s changes nothing", async (tz) => {
      const records = glucoseSeries([100, 120, 140, 90], DAY0 + 23 * 60 * MIN);
      const before = JSON.stringify(await run(records).then((r) => [r.narrative, r.clinicalInsights]));
      vi.stubEnv("TZ", tz);
      const after = JSON.stringify(await run(records).then((r) => [r.narrative, r.clinicalInsights]));
      expect(after).toBe(before);
    });
  });

  test("the narrative never names a user id, record id or client id", async () => {
    const result = await run(glucoseSeries([100, 110, 120]));
    expect(result.narrative).not.toMatch(/user-secret-42|g-0|client-/);
    expect(result.narrative).not.toMatch(/prediabet|diabetes/i);
  });
});
