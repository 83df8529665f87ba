import { describe, expect, test } from "vitest";
import { HrvProcessor, analyzeHrv, nightOf } from "./hrv-processor.ts";
import { message, rmssd, validation } from "./__fixtures__/glucose-hrv-records.ts";
import { missingNarrativeNumbers } from "./toolkit/index.ts";

const MIN = 60_000;
const DAY = 86_400_000;
/** 2025-09-20 00:00 at -05:00. */
const LOCAL_MIDNIGHT = Date.UTC(2025, 8, 20, 5);
const at = (hour: number, minute = 0, day = 0) => LOCAL_MIDNIGHT + day * DAY + hour * 60 * MIN + minute * MIN;
const processor = new HrvProcessor();
const run = (records: Parameters<typeof analyzeHrv>[0], metadata?: Record<string, unknown>) =>
  processor.processWithClinicalInsights(records, message("HeartRateVariabilityRmssdRecord", metadata), validation("HeartRateVariabilityRmssdRecord"));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- nested insight values are read loosely in assertions
type Loose = Record<string, any>;
const insightsOf = (records: Parameters<typeof analyzeHrv>[0], metadata?: Record<string, unknown>): Loose =>
  analyzeHrv(records, metadata).insights;

/** A night of 5-min readings from 01:00 to 06:00 local ending on `day`, all equal to `value`. */
const night = (day: number, value: number) => Array.from({ length: 60 }, (_, i) => rmssd(`n${String(day)}-${String(i)}`, at(1, i * 5, day), value));

describe("nightOf: the overnight window 18:00–12:00 local, labelled by its morning", () => {
  test.each([
    [at(17, 59), undefined],
    [at(18, 0), "2025-09-21"],
    [at(23, 59), "2025-09-21"],
    [at(0, 0), "2025-09-20"],
    [at(11, 59), "2025-09-20"],
    [at(12, 0), undefined],
  ])("%s → %s", (time, expected) => {
    expect(nightOf(time, -300)).toBe(expected);
  });
});

describe("HrvProcessor on hand-built readings", () => {
  test("empty input → success false with a plain message", async () => {
    const result = await run([]);
    expect(result.success).toBe(false);
    expect(result.errorMessage).toMatch(/no heart rate variability records/);
  });

  test("implausible values (outside 1–200 ms) are excluded", () => {
    const insights = insightsOf([rmssd("a", at(2), 0.5), rmssd("b", at(2, 5), 250), rmssd("c", at(2, 10), 40)]);
    expect(insights["implausible_values_excluded"]).toBe(2);
    expect(insights["reading_count"]).toBe(1);
  });

  test("one reading: no SD, no trend, numbers backed", async () => {
    const result = await run([rmssd("a", at(3), 42)]);
    expect(result.success).toBe(true);
    expect(result.clinicalInsights["sd_rmssd_ms"]).toBeNull();
    expect(result.narrative).toMatch(/spread needs at least two readings/);
    expect(missingNarrativeNumbers(result.narrative ?? "", result.clinicalInsights)).toEqual([]);
  });

  test("identical timestamps count once", () => {
    const insights = insightsOf([rmssd("a", at(3), 40), rmssd("b", at(3), 60), rmssd("c", at(3, 5), 50)]);
    expect(insights["reading_count"]).toBe(2);
    expect(insights["mean_rmssd_ms"]).toBe(45);
    expect(insights["duplicate_timestamps_removed"]).toBe(1);
  });

  test("daytime readings are kept in the summary but not in the nightly value", async () => {
    const result = await run([rmssd("a", at(2), 30), rmssd("b", at(2, 5), 40), rmssd("c", at(14), 80)]);
    expect(result.clinicalInsights["mean_rmssd_ms"]).toBe(50);
    expect(result.clinicalInsights["nightly_rmssd_ms"]).toBe(35);
    expect(result.clinicalInsights["daytime_readings_excluded_from_nights"]).toBe(1);
    expect(result.narrative).toMatch(/1 daytime readings were left out/);
  });

  test("mean ln RMSSD is the mean of the logs", () => {
    const insights = insightsOf([rmssd("a", at(2), 20), rmssd("b", at(2, 5), 40)]);
    expect(insights["mean_ln_rmssd"]).toBe(Math.round(((Math.log(20) + Math.log(40)) / 2) * 1000) / 1000);
  });

  test("a record saying Z takes the user offset from health metadata", () => {
    // 14:00Z: daytime in UTC, 09:00 at -05:00 (night ending 2025-09-20), 19:30 at +05:30 (night ending 2025-09-21).
    const records = [rmssd("a", Date.UTC(2025, 8, 20, 14), 30, "Z"), rmssd("b", Date.UTC(2025, 8, 20, 14, 5), 30, "Z")];
    expect(insightsOf(records)["daytime_readings_excluded_from_nights"]).toBe(2);
    const west = insightsOf(records, { utc_offset: "-05:00" });
    expect(west["nights"][0]["night_ending"]).toBe("2025-09-20");
    expect(west["first_reading_local"]).toBe("2025-09-20 09:00");
    const east = insightsOf(records, { user_timezone_offset: "+05:30" });
    expect(east["nights"][0]["night_ending"]).toBe("2025-09-21");
    expect(east["utc_offset_sources"]).toEqual(["health_metadata"]);
    expect(east["utc_offsets_used"]).toEqual(["+05:30"]);
  });

  test("fewer than 7 nights: no trend", () => {
    const records = [1, 2, 3, 4, 5, 6].flatMap((d) => night(d, 40));
    const insights = insightsOf(records);
    expect(insights["trend"]).toMatchObject({ available: false, nights: 6 });
  });

  test.each([
    ["steady nights stay within the baseline", [40, 42, 38, 40, 41, 39, 40], "within_baseline"],
    ["a low last week is below the baseline", [60, 62, 58, 60, 61, 59, 60, 30, 31, 29, 30, 32, 28, 30], "below_baseline"],
    ["a high last week is above the baseline", [30, 31, 29, 30, 32, 28, 30, 60, 62, 58, 60, 61, 59, 60], "above_baseline"],
  ])("%s", async (_label, nightly, status) => {
    const records = nightly.flatMap((v, d) => night(d + 1, v));
    const result = await run(records);
    const trend = result.clinicalInsights["trend"] as Record<string, unknown>;
    expect(trend).toMatchObject({ available: true, nights: nightly.length, status });
    expect(missingNarrativeNumbers(result.narrative ?? "", result.clinicalInsights)).toEqual([]);
    expect(result.narrative).toMatch(/7-night rolling mean of ln RMSSD/);
    if (nightly.length > 7) expect(result.narrative).toMatch(/across 14 nights, nightly values .* ranged from/);
    if (status !== "within_baseline") expect(result.narrative).toMatch(/not a diagnosis/);
  });
});
