import type { StepsRecord } from "@narrative-engine/contracts";
import { decodeHealthConnect, encodeHealthConnect } from "@narrative-engine/avro";
import { describeWithSamples, readSample, sampleFiles } from "@narrative-engine/test-kit";
import { describe, expect, test } from "vitest";
import { OURA, SAMSUNG, message, steps, uid, validation, wholeDay } from "./__fixtures__/activity-sleep-records.ts";
import { fourteenDaysOfSteps } from "./__fixtures__/multi-day-records.ts";
import { expectSoundNarrative, type LooseInsights } from "./__fixtures__/narrative-checks.ts";
import { StepsProcessor, tudorLockeCategory } from "./steps-processor.ts";

const processor = new StepsProcessor();
const msg = message("StepsRecord");

async function run(records: readonly StepsRecord[], healthMetadata?: Record<string, unknown>) {
  const m = message("StepsRecord", healthMetadata);
  const result = await processor.processWithClinicalInsights(records, m, validation("StepsRecord", records.length));
  const insights: LooseInsights = result.clinicalInsights;
  return { result, insights, narrative: result.narrative ?? "", m };
}

/** A complete Samsung day (modified after midnight). */
function day(date: string, count: number, source = SAMSUNG): StepsRecord {
  const { start, end } = wholeDay(date);
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return steps({ id: uid(`${source}-${date}`), source, start, end, count, modified: `${next}T00:30:00.000-05:00` });
}

describe("Tudor-Locke categories", () => {
  test.each([
    [0, "sedentary"],
    [4999, "sedentary"],
    [4999.4, "sedentary"],
    [4999.5, "low active"],
    [5000, "low active"],
    [7499, "low active"],
    [7500, "somewhat active"],
    [9999, "somewhat active"],
    [10000, "active"],
    [12499, "active"],
    [12500, "highly active"],
    [30000, "highly active"],
  ])("%d steps → %s", (count, category) => {
    expect(tudorLockeCategory(count)).toBe(category);
  });
});

describe("daily totals", () => {
  test("two sources for one day: the larger is used, never the sum", async () => {
    const records = [day("2025-09-15", 8200), day("2025-09-15", 6100, OURA)];
    const { insights, narrative, result, m } = await run(records);
    expectSoundNarrative(result, records, m);
    expect(insights["days"][0]).toMatchObject({ date: "2025-09-15", steps: 8200, source: "Samsung Health", partial: false, category: "somewhat active" });
    expect(insights["days"][0].sources).toEqual([
      { source: "Samsung Health", steps: 8200 },
      { source: "Oura", steps: 6100 },
    ]);
    expect(narrative).not.toContain("14,300");
    expect(narrative).toContain("only the larger (Samsung Health) is used, never the sum");
    expect(narrative).toContain('That is in the Tudor-Locke "somewhat active" range.');
  });

  test("a day last modified before it ended is partial and not categorised", async () => {
    const { start, end } = wholeDay("2025-09-20");
    const records = [steps({ id: uid("p"), start, end, count: 3933, modified: "2025-09-20T17:10:56.000-05:00" })];
    const { insights, narrative } = await run(records);
    expect(insights["days"][0]).toMatchObject({ partial: true, category: null, last_modified_local: "2025-09-20 17:10" });
    expect(insights["complete_day_count"]).toBe(0);
    expect(narrative).toContain("so this total is partial and is not placed in an activity category");
    expect(narrative).toContain("There is no complete day in this file");
  });

  test("an interval across local midnight is split between the two days by time", async () => {
    const records = [
      steps({ id: uid("x"), start: "2025-09-20T23:00:00.000-05:00", end: "2025-09-21T01:00:00.000-05:00", count: 1000, modified: "2025-09-23T00:00:00.000-05:00" }),
    ];
    const { insights } = await run(records);
    expect((insights["days"] as LooseInsights[]).map((d) => [d["date"], d["steps"]])).toEqual([
      ["2025-09-20", 500],
      ["2025-09-21", 500],
    ]);
  });

  test("local days follow the record's offset, or the user offset for Z records", async () => {
    // 02:00 UTC on the 21st is still the 20th at -05:00.
    const z = steps({ id: uid("z"), zone: "Z", start: "2025-09-21T02:00:00Z", end: "2025-09-21T03:00:00Z", count: 800, modified: "2025-09-22T12:00:00Z" });
    const asUtc = await run([z]);
    expect(asUtc.insights["days"][0].date).toBe("2025-09-21");
    const asUser = await run([z], { user_timezone_offset: "-05:00" });
    expect(asUser.insights["days"][0].date).toBe("2025-09-20");
    expect(asUser.insights["utc_offset_sources"]).toEqual(["health_metadata"]);
  });

  test("empty input is not successful; a repeated record counts once", async () => {
    const empty = await run([]);
    expect(empty.result.success).toBe(false);
    expect(empty.result.recordsProcessed).toBe(0);
    const one = day("2025-09-15", 5000);
    const { insights, result, narrative } = await run([one, one]);
    expect(result.recordsProcessed).toBe(1);
    expect(insights["duplicate_records_removed"]).toBe(1);
    expect(insights["days"][0].steps).toBe(5000);
    expect(narrative).toContain("1 repeated record was counted once.");
  });

  test("the narrative makes no WHO 10,000-steps claim", async () => {
    const { narrative } = await run([day("2025-09-15", 10400)]);
    expect(narrative).not.toMatch(/WHO|World Health/);
    expect(narrative).toContain('"active" range');
  });
});

describe("14 days through the Avro encoder", () => {
  test("one source per day, partial last day, mean and categories over complete days", async () => {
    const { records } = decodeHealthConnect(encodeHealthConnect("StepsRecord", fourteenDaysOfSteps()), { expectedType: "StepsRecord" });
    const { insights, narrative, result, m } = await run(records);
    expectSoundNarrative(result, records, m);
    expect(result.recordsProcessed).toBe(16);
    expect(insights["day_count"]).toBe(14);
    expect(insights["complete_day_count"]).toBe(13);
    expect(insights["days"][2]).toMatchObject({ steps: 9000, source: "Oura" });
    expect(insights["days"][9]).toMatchObject({ steps: 13000, source: "Samsung Health" });
    expect(insights["days"][13]).toMatchObject({ partial: true, category: null });
    // (4,000 + 5,000 + 9,000 + 7,000 + … + 6,000) / 13 = 103,000 / 13 = 7,923.1 → 7,923.
    expect(insights["mean_daily_steps_complete_days"]).toBe(7923);
    expect(insights["mean_category"]).toBe("somewhat active");
    expect(insights["complete_days_by_category"]).toEqual({ sedentary: 2, "low active": 4, "somewhat active": 3, active: 3, "highly active": 1 });
    expect(narrative).toContain("Across 13 complete days the mean was 7,923 steps a day");
  });

  test("deterministic whatever the record order", async () => {
    const records = fourteenDaysOfSteps();
    const a = await run(records);
    const b = await run([...records].reverse());
    expect(b.narrative).toBe(a.narrative);
    expect(JSON.stringify(b.insights)).toBe(JSON.stringify(a.insights));
  });
});

describeWithSamples("real steps exports", () => {
  test.each(sampleFiles("StepsRecord").map((f) => [f.name]))("%s: every printed number is in the insights, no identifiers, deterministic", async (name) => {
    const { records } = decodeHealthConnect(readSample(name), { expectedType: "StepsRecord" });
    const first = await processor.processWithClinicalInsights(records, msg, validation("StepsRecord", records.length));
    const second = await processor.processWithClinicalInsights(records, msg, validation("StepsRecord", records.length));
    expectSoundNarrative(first, records, msg);
    expect(second.narrative).toBe(first.narrative);
    expect(JSON.stringify(second.clinicalInsights)).toBe(JSON.stringify(first.clinicalInsights));
  });

  test("StepsRecord_1758407139312: Samsung 3,933 and Oura 2,517 for one partial day → 3,933, never 6,450", async () => {
    const { records } = decodeHealthConnect(readSample("StepsRecord_1758407139312.avro"), { expectedType: "StepsRecord" });
    const { insights, narrative } = await run(records);
    expect(insights["days"]).toHaveLength(1);
    expect(insights["days"][0]).toMatchObject({ date: "2025-09-20", weekday: "Saturday", steps: 3933, source: "Samsung Health", partial: true, category: null });
    expect(narrative).not.toContain("6,450");
    expect(narrative).toContain("3,933");
    expect(narrative).toContain("2,517");
  });
});
