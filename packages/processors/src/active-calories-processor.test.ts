import type { ActiveCaloriesBurnedRecord } from "@narrative-engine/contracts";
import { decodeHealthConnect, encodeHealthConnect } from "@narrative-engine/avro";
import { describeWithSamples, readSample, sampleFiles } from "@narrative-engine/test-kit";
import { describe, expect, test } from "vitest";
import { OURA, SAMSUNG, activeCalories, message, uid, validation, wholeDay } from "./__fixtures__/activity-sleep-records.ts";
import { fourteenDaysOfActiveCalories } from "./__fixtures__/multi-day-records.ts";
import { expectSoundNarrative, type LooseInsights } from "./__fixtures__/narrative-checks.ts";
import { ActiveCaloriesProcessor, isLegacyCalories } from "./active-calories-processor.ts";

const processor = new ActiveCaloriesProcessor();
const msg = message("ActiveCaloriesBurnedRecord");
const HOUR = 3_600_000;

async function run(records: readonly ActiveCaloriesBurnedRecord[], healthMetadata?: Record<string, unknown>) {
  const m = message("ActiveCaloriesBurnedRecord", healthMetadata);
  const result = await processor.processWithClinicalInsights(records, m, validation("ActiveCaloriesBurnedRecord", records.length));
  const insights: LooseInsights = result.clinicalInsights;
  return { result, insights, narrative: result.narrative ?? "", m };
}

function day(date: string, kcal: number, source = OURA): ActiveCaloriesBurnedRecord {
  const { start, end } = wholeDay(date);
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return activeCalories({ id: uid(`${source}-${date}`), source, start, end, kcal, modified: `${next}T00:30:00.000-05:00` });
}

describe("legacy small-calorie records (documented rule, values rounded to 0.1 first)", () => {
  test.each([
    [124, 24 * HOUR, false],
    [10_000, 24 * HOUR, false],
    [10_000.04, 24 * HOUR, false],
    [10_000.1, 24 * HOUR, true],
    [124_000, 20 * HOUR, true],
    [2_000, HOUR, false],
    [2_000.04, HOUR, false],
    [2_000.05, HOUR, true],
    [30, 60_000, false], // 1,800 kcal/h: hard exercise, still kilocalories
    [34, 60_000, true], // 2,040 kcal/h
    [5, 0, false], // an instant: only the 10,000 rule applies
    [20_000, 0, true],
    [0.5, 30_000, false], // under a minute: the rate rule does not apply
  ])("%d kcal over %i ms → legacy %s", (energy, durationMs, legacy) => {
    expect(isLegacyCalories(energy, durationMs)).toBe(legacy);
  });
});

describe("daily totals", () => {
  test("two sources for one day: one is used, never the sum; values are worded as estimates", async () => {
    const records = [day("2025-09-15", 310.4, SAMSUNG), day("2025-09-15", 280.2)];
    const { insights, narrative, result, m } = await run(records);
    expectSoundNarrative(result, records, m);
    expect(insights["days"][0]).toMatchObject({ kcal: 310.4, source: "Samsung Health", partial: false });
    expect(narrative).not.toContain("590.6");
    expect(narrative).toContain("an estimated 310.4 kcal of active energy");
    expect(narrative).toContain("These are device estimates");
  });

  test("a legacy record in calories is divided by 1,000", async () => {
    const records = [day("2025-09-15", 124_000)];
    const { insights, narrative } = await run(records);
    expect(insights["legacy_calorie_records_converted"]).toBe(1);
    expect(insights["days"][0].kcal).toBe(124);
    expect(narrative).toContain("1 record was written in calories rather than kilocalories and was divided by 1,000.");
  });

  test("partial day flagged; fewer than 7 days → no weekly total, stated", async () => {
    const { start, end } = wholeDay("2025-09-20");
    const records = [activeCalories({ id: uid("p"), source: OURA, start, end, kcal: 124, modified: "2025-09-20T17:03:59.000-05:00" })];
    const { insights, narrative } = await run(records);
    expect(insights["days"][0]).toMatchObject({ partial: true, last_modified_local: "2025-09-20 17:03" });
    expect(insights["weekly_totals"]).toEqual([]);
    expect(narrative).toContain("A weekly total needs at least 7 days; this file has 1.");
  });

  test("empty input is not successful", async () => {
    const { result } = await run([]);
    expect(result.success).toBe(false);
    expect(result.recordsProcessed).toBe(0);
  });
});

describe("14 days through the Avro encoder", () => {
  test("weekly total of the complete first week; the week with the partial day is not totalled", async () => {
    const { records } = decodeHealthConnect(encodeHealthConnect("ActiveCaloriesBurnedRecord", fourteenDaysOfActiveCalories()), {
      expectedType: "ActiveCaloriesBurnedRecord",
    });
    const { insights, narrative, result, m } = await run(records);
    expectSoundNarrative(result, records, m);
    expect(insights["legacy_calorie_records_converted"]).toBe(1);
    expect(insights["days"][4].kcal).toBe(140);
    // 100 + 110 + … + 160 = 910; days 0–12 average (1,300 + 780) / 13 = 160.
    expect(insights["weekly_totals"]).toEqual([
      { week_start: "2025-09-01", week_end: "2025-09-07", days_with_data: 7, complete: true, total_kcal: 910 },
      { week_start: "2025-09-08", week_end: "2025-09-14", days_with_data: 7, complete: false, total_kcal: null },
    ]);
    expect(insights["mean_daily_kcal_complete_days"]).toBe(160);
    expect(narrative).toContain("Weekly totals (complete 7-day blocks only): 910.0 kcal for 2025-09-01 to 2025-09-07.");
    expect(narrative).toContain("1 later block is incomplete and not totalled.");
  });

  test("deterministic whatever the record order", async () => {
    const records = fourteenDaysOfActiveCalories();
    const a = await run(records);
    const b = await run([...records].reverse());
    expect(b.narrative).toBe(a.narrative);
    expect(JSON.stringify(b.insights)).toBe(JSON.stringify(a.insights));
  });
});

describeWithSamples("real active-calories exports", () => {
  test.each(sampleFiles("ActiveCaloriesBurnedRecord").map((f) => [f.name]))(
    "%s: every printed number is in the insights, no identifiers, deterministic",
    async (name) => {
      const { records } = decodeHealthConnect(readSample(name), { expectedType: "ActiveCaloriesBurnedRecord" });
      const first = await processor.processWithClinicalInsights(records, msg, validation("ActiveCaloriesBurnedRecord", records.length));
      const second = await processor.processWithClinicalInsights(records, msg, validation("ActiveCaloriesBurnedRecord", records.length));
      expectSoundNarrative(first, records, msg);
      expect(second.narrative).toBe(first.narrative);
      expect(JSON.stringify(second.clinicalInsights)).toBe(JSON.stringify(first.clinicalInsights));
    },
  );

  test("ActiveCaloriesBurnedRecord_1758407139312: 124.0 kcal from Oura on a partial Saturday", async () => {
    const { records } = decodeHealthConnect(readSample("ActiveCaloriesBurnedRecord_1758407139312.avro"), { expectedType: "ActiveCaloriesBurnedRecord" });
    const { insights } = await run(records);
    expect(insights["days"]).toEqual([
      {
        date: "2025-09-20",
        weekday: "Saturday",
        kcal: 124,
        source: "Oura",
        sources: [{ source: "Oura", kcal: 124 }],
        partial: true,
        last_modified_local: "2025-09-20 17:03",
      },
    ]);
    expect(insights["legacy_calorie_records_converted"]).toBe(0);
  });
});
