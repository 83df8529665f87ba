import type { SleepSessionRecord } from "@narrative-engine/contracts";
import { decodeHealthConnect, encodeHealthConnect } from "@narrative-engine/avro";
import { describeWithSamples, readSample, sampleFiles } from "@narrative-engine/test-kit";
import { describe, expect, test } from "vitest";
import { OURA, SAMSUNG, message, sleepSession, stageRun, uid, validation } from "./__fixtures__/activity-sleep-records.ts";
import { fourteenNights } from "./__fixtures__/multi-day-records.ts";
import { expectSoundNarrative, type LooseInsights } from "./__fixtures__/narrative-checks.ts";
import { SleepProcessor, isNap, nsfRange, positionInRange } from "./sleep-processor.ts";

const processor = new SleepProcessor();
const msg = message("SleepSessionRecord");

async function run(records: readonly SleepSessionRecord[], healthMetadata?: Record<string, unknown>) {
  const m = message("SleepSessionRecord", healthMetadata);
  const result = await processor.processWithClinicalInsights(records, m, validation("SleepSessionRecord", records.length));
  const insights: LooseInsights = result.clinicalInsights;
  return { result, insights, narrative: result.narrative ?? "", m };
}

/** One Samsung night from `start` with the given `[minutes, stage]` parts. */
function night(id: string, start: string, parts: Parameters<typeof stageRun>[1], source = SAMSUNG): SleepSessionRecord {
  const stages = stageRun(start, parts);
  return sleepSession({ id: uid(id), source, start, end: stages[stages.length - 1]?.[1] ?? start, stages });
}

describe("classification and reference tables (rounded to 0.1 first)", () => {
  test.each([
    [179.9, 15, true],
    [179.96, 15, false],
    [180, 15, false],
    [100, 8, false],
    [100, 9, true],
    [100, 20, true],
    [100, 21, false],
    [100, 2, false],
  ])("%d min starting at hour %i → nap %s", (minutes, hour, nap) => {
    expect(isNap(minutes, hour)).toBe(nap);
  });

  test.each([
    [12.9, 13, 23, "below"],
    [12.95, 13, 23, "within"],
    [13, 13, 23, "within"],
    [23, 13, 23, "within"],
    [23.04, 13, 23, "within"],
    [23.05, 13, 23, "above"],
    [19.9, 20, 25, "below"],
    [25, 20, 25, "within"],
    [25.3, 20, 25, "above"],
  ])("%d against %i–%i is %s", (value, low, high, position) => {
    expect(positionInRange(value, low, high)).toBe(position);
  });

  test.each([
    [undefined, 7, 9],
    [30, 7, 9],
    [64, 7, 9],
    [65, 7, 8],
  ])("NSF range at age %s is %i–%i h", (age, low, high) => {
    expect(nsfRange(age)).toMatchObject({ low, high });
  });

  test("NSF adult ranges do not apply under 18", () => {
    expect(nsfRange(16)).toBeUndefined();
  });
});

describe("per-night figures", () => {
  test("efficiency and the 7 h guideline use values rounded to 0.1 first", async () => {
    // 400 min in bed, 339.8 min asleep → 84.95 % → 85.0 % → good.
    const records = [night("eff", "2025-09-20T23:00:00-05:00", [[30.1, "AWAKE"], [339.8, "LIGHT"], [30.1, "AWAKE"]])];
    const { insights, narrative } = await run(records);
    expect(insights["nights"][0]).toMatchObject({ time_in_bed_minutes: 400, total_sleep_minutes: 339.8, sleep_efficiency_percent: 85, efficiency_good: true });
    expect(narrative).toContain("a sleep efficiency of 85.0%");
    expect(narrative).toContain("so this is good");

    // 419.96 min asleep rounds to 420.0: meets the AASM/SRS 7 h.
    const seven = await run([night("seven", "2025-09-20T23:00:00-05:00", [[419.96, "SLEEPING"]])]);
    expect(seven.insights["nights"][0].meets_aasm_7h).toBe(true);
    expect(seven.narrative).toContain("met the AASM and Sleep Research Society recommendation");
  });

  test("latency, WASO and stage percentages from the stages", async () => {
    const records = [
      night("stages", "2025-09-20T23:00:00-05:00", [
        [15, "AWAKE"],
        [200, "LIGHT"],
        [60, "DEEP"],
        [25, "AWAKE"],
        [100, "REM"],
        [10, "AWAKE"],
      ]),
    ];
    const { insights, result, m } = await run(records);
    expectSoundNarrative(result, records, m);
    expect(insights["nights"][0]).toMatchObject({
      time_in_bed_minutes: 410,
      total_sleep_minutes: 360,
      sleep_efficiency_percent: 87.8,
      sleep_latency_minutes: 15,
      waso_minutes: 25,
      awake_minutes: 50,
      deep_percent_of_sleep: 16.7,
      rem_percent_of_sleep: 27.8,
      deep_vs_reference: "within",
      rem_vs_reference: "above",
      bedtime_local: "23:00",
      wake_time_local: "05:50",
      night_ending: "2025-09-21",
      weekday_of_wake: "Sunday",
    });
  });

  test("no stages → no efficiency and no stage figures, stated so", async () => {
    const records = [sleepSession({ id: uid("bare"), start: "2025-09-20T23:30:00-05:00", end: "2025-09-21T07:00:00-05:00" })];
    const { insights, narrative, result, m } = await run(records);
    expectSoundNarrative(result, records, m);
    expect(insights["nights"][0]).toMatchObject({ has_sleep_stages: false, total_sleep_minutes: null, sleep_efficiency_percent: null, stage_minutes: null });
    expect(narrative).toContain("This session has no sleep stages, so total sleep time, efficiency, latency and stage figures cannot be given");
    expect(narrative).toContain("Time in bed (sleep time is unknown without stages)");
  });

  test("stages that only say SLEEPING give sleep time but no stage breakdown", async () => {
    const { insights, narrative } = await run([night("plain", "2025-09-20T23:00:00-05:00", [[10, "AWAKE"], [450, "SLEEPING"]])]);
    expect(insights["nights"][0]).toMatchObject({ total_sleep_minutes: 450, deep_percent_of_sleep: null });
    expect(narrative).toContain("The stages do not separate light, deep and REM sleep");
  });
});

describe("overlapping sources, naps, empty input", () => {
  test("Samsung and Oura for one night are one night, never added; the staged one is used even when shorter", async () => {
    const samsungUnstaged = sleepSession({ id: uid("s"), source: SAMSUNG, start: "2025-09-20T23:00:00-05:00", end: "2025-09-21T07:30:00-05:00" });
    const ouraStaged = night("o", "2025-09-20T23:20:00-05:00", [[200, "LIGHT"], [80, "DEEP"], [90, "REM"]], OURA);
    const { insights, narrative, result, m } = await run([samsungUnstaged, ouraStaged]);
    expectSoundNarrative(result, [samsungUnstaged, ouraStaged], m);
    expect(insights["night_count"]).toBe(1);
    expect(insights["nights"][0]).toMatchObject({ source: "Oura", sources: ["Oura", "Samsung Health"], total_sleep_minutes: 370 });
    expect(narrative).toContain("the two are one night, not added together");
    expect(result.recordsProcessed).toBe(2);
  });

  test("a daytime session under 3 h is a nap and stays out of the nightly figures", async () => {
    const records = [
      night("n", "2025-09-20T23:00:00-05:00", [[450, "LIGHT"]]),
      night("nap", "2025-09-21T15:39:00-05:00", [[104, "LIGHT"]]),
    ];
    const { insights, narrative } = await run(records);
    expect(insights["night_count"]).toBe(1);
    expect(insights["nap_count"]).toBe(1);
    expect(insights["nights"][0].total_sleep_minutes).toBe(450);
    expect(insights["naps"][0]).toMatchObject({ date: "2025-09-21", start_local: "15:39", end_local: "17:23", duration_hours: 1.7 });
    expect(narrative).toContain("A daytime nap of 1.7 h on 2025-09-21 from 15:39 to 17:23 (Samsung Health) is kept out of the nightly figures.");
  });

  test("a night-time session under 3 h is a short night, not a nap", async () => {
    const { insights } = await run([night("short", "2025-09-21T02:00:00-05:00", [[150, "LIGHT"]])]);
    expect(insights["night_count"]).toBe(1);
    expect(insights["nap_count"]).toBe(0);
  });

  test("no sessions → not successful, nothing processed", async () => {
    const { result } = await run([]);
    expect(result.success).toBe(false);
    expect(result.errorMessage).toMatch(/no sleep sessions/);
    expect(result.recordsProcessed).toBe(0);
  });

  test("a repeated session counts once; a Z session takes the user offset from health_metadata", async () => {
    const z = sleepSession({
      id: uid("z"),
      zone: "Z",
      start: "2025-09-21T04:00:00Z",
      end: "2025-09-21T12:00:00Z",
      stages: stageRun("2025-09-21T04:00:00Z", [[480, "LIGHT"]]),
    });
    const { insights, narrative, result } = await run([z, z], { user_timezone_offset: "-05:00" });
    expect(insights["duplicate_records_removed"]).toBe(1);
    expect(result.recordsProcessed).toBe(1);
    expect(insights["utc_offset_sources"]).toEqual(["health_metadata"]);
    expect(insights["nights"][0]).toMatchObject({ bedtime_local: "23:00", wake_time_local: "07:00", night_ending: "2025-09-21" });
    expect(narrative).toContain("in bed from 23:00 to 07:00");
  });

  test("fewer than 7 nights: no variability, stated plainly", async () => {
    const six = fourteenNights().filter((r) => r.metadata.dataOriginPackageName === SAMSUNG).slice(0, 6);
    const { insights, narrative } = await run(six);
    expect(insights["variability"]).toBeNull();
    expect(narrative).toContain("Bedtime and duration variability need at least 7 nights; this file has 6");
  });
});

describe("14 nights through the Avro encoder", () => {
  test("variability, averages and the nap across two weeks", async () => {
    const bytes = encodeHealthConnect("SleepSessionRecord", fourteenNights());
    const { records } = decodeHealthConnect(bytes, { expectedType: "SleepSessionRecord" });
    const { insights, narrative, result, m } = await run(records);
    expectSoundNarrative(result, records, m);
    expect(result.recordsProcessed).toBe(18);
    expect(insights["night_count"]).toBe(14);
    expect(insights["nap_count"]).toBe(1);
    expect(insights["summary"]).toEqual({
      nights: 14,
      staged_nights: 14,
      mean_total_sleep_minutes: 450,
      mean_time_in_bed_minutes: 480,
      mean_efficiency_percent: 93.7,
      mean_deep_percent: 20.1,
      mean_rem_percent: 22.3,
      nights_meeting_7h: 14,
    });
    expect(insights["variability"]).toEqual({
      nights: 14,
      duration_basis: "total_sleep_time",
      duration_mean_minutes: 450,
      duration_sd_minutes: 31.1,
      duration_range_minutes: [420, 480],
      bedtime_mean_local: "00:00",
      bedtime_sd_minutes: 62.3,
    });
    // Oura's shorter recordings of three nights never replace or add to Samsung's.
    for (const n of insights["nights"] as LooseInsights[]) expect(n["source"]).toBe("Samsung Health");
    expect(narrative).toContain("Across 14 nights, mean total sleep time was 450.0 min");
    expect(narrative).toContain("sleep duration varied with a standard deviation of 31.1 min, and bedtime (mean 00:00) with a standard deviation of 62.3 min");
  });
});

describe("determinism", () => {
  test("byte-identical narrative and insights, whatever the record order", async () => {
    const records = fourteenNights();
    const a = await run(records);
    const b = await run([...records].reverse());
    expect(b.narrative).toBe(a.narrative);
    expect(JSON.stringify(b.insights)).toBe(JSON.stringify(a.insights));
  });
});

describeWithSamples("real sleep exports", () => {
  test.each(sampleFiles("SleepSessionRecord").map((f) => [f.name]))("%s: every printed number is in the insights, no identifiers, deterministic", async (name) => {
    const { records } = decodeHealthConnect(readSample(name), { expectedType: "SleepSessionRecord" });
    const first = await processor.processWithClinicalInsights(records, msg, validation("SleepSessionRecord", records.length));
    const second = await processor.processWithClinicalInsights(records, msg, validation("SleepSessionRecord", records.length));
    expectSoundNarrative(first, records, msg);
    expect(second.narrative).toBe(first.narrative);
    expect(JSON.stringify(second.clinicalInsights)).toBe(JSON.stringify(first.clinicalInsights));
  });

  test("calibration: SleepSessionRecord_1758407139312 Samsung night 01:56–09:19 is 443.0 min in bed, 370.0 asleep, 83.5 %", async () => {
    const { records } = decodeHealthConnect(readSample("SleepSessionRecord_1758407139312.avro"), { expectedType: "SleepSessionRecord" });
    const { insights, narrative } = await run(records);
    expect(insights["night_count"]).toBe(1);
    expect(insights["nights"][0]).toMatchObject({
      source: "Samsung Health",
      sources: ["Oura", "Samsung Health"],
      bedtime_local: "01:56",
      wake_time_local: "09:19",
      utc_offset: "-05:00",
      time_in_bed_minutes: 443,
      total_sleep_minutes: 370,
      sleep_efficiency_percent: 83.5,
      efficiency_good: false,
      meets_aasm_7h: false,
    });
    expect(narrative).toContain("443.0 min");
    expect(narrative).toContain("370.0 min");
    expect(narrative).toContain("83.5%");
  });

  test("SleepSessionRecord_1758554834823: the 1.7-hour afternoon nap is kept out of the 9-hour night", async () => {
    const { records } = decodeHealthConnect(readSample("SleepSessionRecord_1758554834823.avro"), { expectedType: "SleepSessionRecord" });
    const { insights } = await run(records);
    expect(insights["night_count"]).toBe(1);
    expect(insights["nap_count"]).toBe(1);
    expect(insights["naps"][0]).toMatchObject({ start_local: "15:39", end_local: "17:23", duration_hours: 1.7 });
    expect(insights["nights"][0]).toMatchObject({ bedtime_local: "00:11", wake_time_local: "09:12", time_in_bed_minutes: 541 });
  });
});
