import type { HeartRateRecord } from "@narrative-engine/contracts";
import { decodeHealthConnect } from "@narrative-engine/avro";
import { describeWithSamples, readSample, sampleFiles } from "@narrative-engine/test-kit";
import { describe, expect, test } from "vitest";
import { OURA, SAMSUNG, heartRate, message, series, uid, validation } from "./__fixtures__/activity-sleep-records.ts";
import { expectSoundNarrative, type LooseInsights } from "./__fixtures__/narrative-checks.ts";
import { HeartRateProcessor, heartRateZone, restingHeartRateBand, tanakaMaxHeartRate } from "./heart-rate-processor.ts";

const processor = new HeartRateProcessor();
const msg = message("HeartRateRecord");

async function run(records: readonly HeartRateRecord[], healthMetadata?: Record<string, unknown>) {
  const m = message("HeartRateRecord", healthMetadata);
  const result = await processor.processWithClinicalInsights(records, m, validation("HeartRateRecord", records.length));
  const insights: LooseInsights = result.clinicalInsights;
  return { result, insights, narrative: result.narrative ?? "", m };
}

/** A night of Samsung 1-min samples at `bpm` plus optional extra records. */
function samsungNight(bpm: (i: number) => number, count = 120, start = "2025-09-20T02:00:00-05:00"): HeartRateRecord {
  return heartRate({ id: uid(`s-${start}`), source: SAMSUNG, samples: series(start, count, 60, bpm) });
}

describe("bands and thresholds (rounded to 0.1 first)", () => {
  test.each([
    [49.9, "below_50"],
    [49.94, "below_50"],
    [49.95, "50_to_59"],
    [50, "50_to_59"],
    [59.9, "50_to_59"],
    [59.95, "60_to_100"],
    [60, "60_to_100"],
    [100, "60_to_100"],
    [100.04, "60_to_100"],
    [100.05, "above_100"],
    [120, "above_100"],
  ])("resting %d bpm → %s", (bpm, band) => {
    expect(restingHeartRateBand(bpm)).toBe(band);
  });

  test.each([
    [20, 194],
    [45, 176.5],
    [70, 159],
  ])("Tanaka maximum at age %i is %d bpm", (age, max) => {
    expect(tanakaMaxHeartRate(age)).toBe(max);
  });

  test.each([
    [99, "below_50_percent"],
    [100, "50_to_59_percent"],
    [119.8, "50_to_59_percent"],
    [119.9, "60_to_69_percent"],
    [140, "70_to_79_percent"],
    [160, "80_to_89_percent"],
    [179.8, "80_to_89_percent"],
    [180, "90_percent_and_above"],
    [230, "90_percent_and_above"],
  ])("%d bpm of a 200 bpm maximum is zone %s", (bpm, zone) => {
    expect(heartRateZone(bpm, 200)).toBe(zone);
  });
});

describe("empty and single-record input", () => {
  test("no records → not successful, stated plainly, nothing processed", async () => {
    const { result } = await run([]);
    expect(result.success).toBe(false);
    expect(result.errorMessage).toMatch(/no plausible heart-rate samples/);
    expect(result.recordsProcessed).toBe(0);
  });

  test("a single sample gives a narrative without SD, resting rate or zones", async () => {
    const records = [heartRate({ id: uid("one"), samples: [["2025-09-20T14:00:29-05:00", 72]] })];
    const { result, insights, narrative, m } = await run(records);
    expectSoundNarrative(result, records, m);
    expect(result.recordsProcessed).toBe(1);
    expect(insights["sd_bpm"]).toBeNull();
    expect(insights["resting_hr_bpm"]).toBeNull();
    expect(narrative).toContain("The single sample read 72.0 bpm.");
    expect(narrative).toContain("Resting heart rate could not be estimated");
    expect(narrative).toContain("Heart-rate zones are not computed because no age was supplied.");
  });
});

describe("de-duplication and overlapping sources", () => {
  test("Samsung 1-min and Oura 5-min overnight: one source per overlap, never both", async () => {
    const samsung = samsungNight(() => 70, 180);
    const oura = heartRate({
      id: uid("oura-night"),
      source: OURA,
      samples: series("2025-09-20T02:30:30-05:00", 40, 300, () => 50),
    });
    const { result, insights, narrative, m } = await run([samsung, oura]);
    expectSoundNarrative(result, [samsung, oura], m);
    expect(insights["sample_count"]).toBe(180);
    expect(insights["mean_bpm"]).toBe(70);
    expect(insights["min_bpm"]).toBe(70);
    expect(insights["records_superseded_by_other_source"]).toBe(1);
    expect(insights["source_conflicts"]).toEqual([
      expect.objectContaining({ sources: ["Oura", "Samsung Health"], chosen: "Samsung Health", records_dropped: 1 }),
    ]);
    expect(result.recordsProcessed).toBe(2);
    expect(insights["records_used"]).toBe(1);
    expect(narrative).toContain("only Samsung Health, the denser recording, was used there, so no time is counted twice");
    // The Oura overnight recording still marks the main sleep period.
    expect(insights["main_sleep_period_basis"]).toBe("overnight_recording");
  });

  test("more than three overlaps are summarised in one sentence, each listed in the insights", async () => {
    const records: HeartRateRecord[] = [];
    for (let d = 1; d <= 4; d++) {
      const start = `2025-09-0${d}T01:00:00-05:00`;
      records.push(heartRate({ id: uid(`s${d}`), source: SAMSUNG, samples: series(start, 60, 60, () => 64) }));
      records.push(heartRate({ id: uid(`o${d}`), source: OURA, samples: series(start, 12, 300, () => 60) }));
    }
    const { insights, narrative, result, m } = await run(records);
    expectSoundNarrative(result, records, m);
    expect(insights["source_conflicts"]).toHaveLength(4);
    expect(narrative).toContain("Oura and Samsung Health overlapped in 4 periods; in each, only the denser recording was used");
    expect(insights["mean_bpm"]).toBe(64);
  });

  test("the number of overlaps the narrative states is in the insights (source_conflict_count), whatever else is", async () => {
    // Before source_conflict_count, a count that no other insight happened to hold failed the narrative check.
    const records: HeartRateRecord[] = [];
    for (let d = 1; d <= 7; d++) {
      const start = `2025-09-0${d}T01:00:00-05:00`;
      records.push(heartRate({ id: uid(`s7-${d}`), source: SAMSUNG, samples: series(start, 60, 60, () => 64) }));
      records.push(heartRate({ id: uid(`o7-${d}`), source: OURA, samples: series(start, 12, 300, () => 60) }));
    }
    const { insights, narrative, result, m } = await run(records);
    expectSoundNarrative(result, records, m);
    expect(insights["source_conflict_count"]).toBe(7);
    expect(narrative).toContain("overlapped in 7 periods");
  });

  test("a file of 150,000 samples is processed (no argument-spread limit on min and max)", async () => {
    const records: HeartRateRecord[] = [];
    for (let r = 0; r < 150; r++) {
      const start = new Date(Date.parse("2025-09-01T00:00:00Z") + r * 1000 * 60_000).toISOString();
      records.push(heartRate({ id: uid(`big-${r}`), source: SAMSUNG, samples: series(start, 1000, 60, (i) => 55 + ((i * 7 + r) % 40)) }));
    }
    const { insights, result } = await run(records);
    expect(result.success, result.errorMessage).toBe(true);
    expect(insights["sample_count"]).toBe(150_000);
    expect(insights["min_bpm"]).toBe(55);
    expect(insights["max_bpm"]).toBe(94);
  });

  test("a record repeated by a re-export counts once; a repeated timestamp counts once", async () => {
    const a = samsungNight((i) => 60 + (i % 10), 60);
    const twin = heartRate({ id: uid("twin"), source: SAMSUNG, samples: [["2025-09-20T02:00:00-05:00", 99]] });
    const once = await run([a, twin]);
    const twice = await run([a, a, twin]);
    expect(twice.insights["duplicate_records_removed"]).toBe(1);
    expect(twice.insights["duplicate_samples_removed"]).toBe(1);
    expect(twice.insights["sample_count"]).toBe(60);
    expect(twice.insights["mean_bpm"]).toBe(once.insights["mean_bpm"]);
    expect(twice.narrative).toContain("1 repeated record was counted once.");
  });
});

describe("resting heart rate", () => {
  test("lowest sustained 30-min window inside the overnight recording; sleep-time lows are not flagged", async () => {
    // 03:00–03:59 at 48 bpm inside an Oura overnight record; daytime samples are higher.
    const night = samsungNight((i) => (i >= 60 ? 48 : 58), 120, "2025-09-20T02:00:00-05:00");
    const ring = heartRate({ id: uid("ring"), source: OURA, start: "2025-09-20T01:30:00-05:00", end: "2025-09-20T08:00:00-05:00", samples: [["2025-09-20T01:30:00-05:00", 60]] });
    const { insights, narrative, result, m } = await run([night, ring]);
    expectSoundNarrative(result, [night, ring], m);
    expect(insights["resting_hr_bpm"]).toBe(48);
    expect(insights["resting_hr_basis"]).toBe("overnight_recording");
    expect(insights["resting_hr_band"]).toBe("below_50");
    expect(insights["bradycardia_range_flagged"]).toBe(false);
    expect(narrative).toContain("lower rates are common during sleep, so this is not flagged");
  });

  test("without an overnight recording the local 00:00–06:00 window is used", async () => {
    const night = samsungNight(() => 62, 60, "2025-09-20T01:00:00-05:00");
    const { insights, narrative } = await run([night]);
    expect(insights["main_sleep_period_basis"]).toBe("overnight_window");
    expect(insights["resting_hr_basis"]).toBe("overnight_window");
    expect(insights["resting_hr_bpm"]).toBe(62);
    expect(narrative).toContain("during the overnight window (00:00 to 06:00 local time");
  });

  test("with no night-time samples the lowest daytime window is used, and < 50 bpm awake is named", async () => {
    const day = samsungNight(() => 46, 60, "2025-09-20T13:00:00-05:00");
    const { insights, narrative } = await run([day]);
    expect(insights["resting_hr_basis"]).toBe("daytime");
    expect(insights["bradycardia_range_flagged"]).toBe(true);
    expect(narrative).toContain("the 2018 ACC/AHA/HRS guideline defines as sinus bradycardia");
  });

  test("a resting window above 100 bpm is described against the AHA range", async () => {
    const day = samsungNight(() => 104, 40, "2025-09-20T13:00:00-05:00");
    const { insights, narrative } = await run([day]);
    expect(insights["resting_hr_band"]).toBe("above_100");
    expect(insights["tachycardia_range_at_rest_flagged"]).toBe(true);
    expect(narrative).toContain("a resting rate over 100 bpm is what the AHA calls tachycardia");
  });

  test("spot readings 10 minutes apart never make a sustained window", async () => {
    const spots = Array.from({ length: 12 }, (_, i) =>
      heartRate({ id: uid(`spot-${i}`), samples: series(`2025-09-20T${String(10 + Math.floor(i / 6)).padStart(2, "0")}:${String((i % 6) * 10).padStart(2, "0")}:29-05:00`, 1, 60, () => 70) }),
    );
    const { insights } = await run(spots);
    expect(insights["resting_hr_bpm"]).toBeNull();
  });
});

describe("exercise bouts and recovery", () => {
  test("two isolated samples ≥ 100 bpm 11 minutes apart are not a bout", async () => {
    const records = [
      heartRate({ id: uid("a"), samples: [["2025-09-20T19:00:29-05:00", 120]] }),
      heartRate({ id: uid("b"), samples: [["2025-09-20T19:11:29-05:00", 125]] }),
    ];
    const { insights, narrative } = await run(records);
    expect(insights["exercise_bout_count"]).toBe(0);
    expect(insights["samples_above_100_at_rest"]).toBe(2);
    expect(narrative).toContain("No exercise bouts were found");
  });

  test("10 minutes of 1-min samples ≥ 100 bpm is a bout, with recovery from the sample 60 s later", async () => {
    const samples = series("2025-09-20T17:00:00-05:00", 20, 60, (i) => (i < 5 ? 80 : i <= 15 ? 130 : i === 16 ? 104 : 90));
    // Samples 5..16 are ≥ 100 (11 min span); sample 17 (60 s after the last bout sample) reads 90.
    const records = [heartRate({ id: uid("run"), samples })];
    const { insights, narrative, result, m } = await run(records);
    expectSoundNarrative(result, records, m);
    expect(insights["exercise_bout_count"]).toBe(1);
    const [bout] = insights["exercise_bouts"];
    expect(bout).toMatchObject({ start_clock: "17:05", end_clock: "17:16", duration_minutes: 11, max_bpm: 130, end_bpm: 104, recovery_60s_bpm: 14 });
    expect(insights["samples_above_100_at_rest"]).toBe(0);
    expect(narrative).toContain("heart rate fell by 14 bpm in the 60 s after it");
  });

  test("a gap over 2 minutes splits a run, so neither half is a bout", async () => {
    const first = series("2025-09-20T17:00:00-05:00", 7, 60, () => 120);
    const second = series("2025-09-20T17:09:00-05:00", 7, 60, () => 120);
    const { insights } = await run([heartRate({ id: uid("gappy"), samples: [...first, ...second] })]);
    expect(insights["exercise_bout_count"]).toBe(0);
  });

  test("isolated readings above 100 bpm are called common; 10 min or more cites the AHA tachycardia definition", async () => {
    const few = await run([heartRate({ id: uid("few"), samples: series("2025-09-20T15:00:00-05:00", 6, 60, (i) => (i % 3 === 0 ? 104 : 90)) })]);
    expect(few.insights["time_above_100_at_rest_minutes"]).toBe(2);
    expect(few.narrative).toContain("Short, isolated readings above 100 bpm are common with movement, stress or caffeine.");
    // Alternating 105/95 bpm never makes a bout but spends 15 min above 100 bpm.
    const many = await run([heartRate({ id: uid("many"), samples: series("2025-09-20T15:00:00-05:00", 30, 60, (i) => (i % 2 === 0 ? 105 : 95)) })]);
    expect(many.insights["exercise_bout_count"]).toBe(0);
    expect(many.insights["time_above_100_at_rest_minutes"]).toBe(15);
    expect(many.narrative).toContain("The AHA calls a resting rate over 100 bpm tachycardia");
  });

  test("no sample 60 s after a bout → recovery is not given", async () => {
    const records = [heartRate({ id: uid("run"), samples: series("2025-09-20T17:00:00-05:00", 12, 60, () => 140) })];
    const { insights, narrative } = await run(records);
    expect(insights["exercise_bouts"][0].recovery_60s_bpm).toBeNull();
    expect(narrative).toContain("no sample 60 s after the bout to measure recovery");
  });
});

describe("zones and time zones", () => {
  test("zones only with an age in health_metadata (Tanaka)", async () => {
    const records = [samsungNight((i) => 90 + (i % 40), 120, "2025-09-20T12:00:00-05:00")];
    const { insights, narrative, result, m } = await run(records, { age: 40 });
    expectSoundNarrative(result, records, m);
    expect(insights["heart_rate_zones"]).toMatchObject({ computed: true, age_years: 40, max_hr_bpm: 180 });
    const shares = (insights["heart_rate_zones"].zones as { share_of_samples_percent: number }[]).map((z) => z.share_of_samples_percent);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
    expect(narrative).toContain("age-predicted maximum heart rate (Tanaka: 208 − 0.7 × age) is 180.0 bpm");
  });

  test("records in Z with a user offset in health_metadata are read in that offset", async () => {
    const records = [heartRate({ id: uid("z"), zone: "Z", samples: series("2025-09-20T07:00:00Z", 40, 60, () => 65) })];
    const { insights, narrative } = await run(records, { user_timezone_offset: "-05:00" });
    expect(insights["utc_offsets_used"]).toEqual(["-05:00"]);
    expect(insights["utc_offset_sources"]).toEqual(["health_metadata"]);
    expect(insights["first_sample_local"]).toBe("2025-09-20 02:00");
    expect(narrative).toContain("from 2025-09-20 02:00 to 2025-09-20 02:39 local time (UTC offset -05:00)");
  });
});

describe("determinism", () => {
  test("the same records give byte-identical narrative and insights", async () => {
    const records = [samsungNight((i) => 55 + ((i * 7) % 50), 240), heartRate({ id: uid("o"), source: OURA, samples: series("2025-09-20T02:10:00-05:00", 40, 300, () => 58) })];
    const a = await run(records);
    const b = await run([...records].reverse());
    const c = await run(records);
    expect(c.narrative).toBe(a.narrative);
    expect(JSON.stringify(c.insights)).toBe(JSON.stringify(a.insights));
    expect(b.narrative).toBe(a.narrative);
  });
});

describeWithSamples("real heart-rate exports", () => {
  const files = sampleFiles("HeartRateRecord");

  test.each(files.map((f) => [f.name]))("%s: every printed number is in the insights, no identifiers, deterministic", async (name) => {
    const { records } = decodeHealthConnect(readSample(name), { expectedType: "HeartRateRecord" });
    const first = await processor.processWithClinicalInsights(records, msg, validation("HeartRateRecord", records.length));
    const second = await processor.processWithClinicalInsights(records, msg, validation("HeartRateRecord", records.length));
    expectSoundNarrative(first, records, msg);
    expect(second.narrative).toBe(first.narrative);
    expect(JSON.stringify(second.clinicalInsights)).toBe(JSON.stringify(first.clinicalInsights));
  });

  test("HeartRateRecord_1758407139312: Samsung wins the overnight overlap with Oura; figures as computed by hand", async () => {
    const { records } = decodeHealthConnect(readSample("HeartRateRecord_1758407139312.avro"), { expectedType: "HeartRateRecord" });
    const result = await processor.processWithClinicalInsights(records, msg, validation("HeartRateRecord", records.length));
    const i: LooseInsights = result.clinicalInsights;
    const allSamples = records.reduce((n, r) => n + r.samples.length, 0);
    const ouraSamples = records.filter((r) => r.metadata.dataOriginPackageName === OURA).reduce((n, r) => n + r.samples.length, 0);
    expect(ouraSamples).toBe(74);
    expect(i["sample_count"]).toBe(allSamples - ouraSamples);
    expect(i["records_received"]).toBe(78);
    expect(result.recordsProcessed).toBe(78);
    expect(i["records_used"]).toBe(77);
    expect(i["sources_used"]).toEqual(["Samsung Health"]);
    expect(i["main_sleep_periods"]).toEqual([{ start_local: "2025-09-20 02:39", end_local: "2025-09-20 08:54", start_clock: "02:39", end_clock: "08:54" }]);
    expect(i["resting_hr_basis"]).toBe("overnight_recording");
    expect(i["resting_hr_band"]).toBe("60_to_100");
    expect(i["resting_hr_bpm"]).toBe(66.6);
    expect(i["resting_hr_window"]).toMatchObject({ start_clock: "07:46", end_clock: "08:15" });
    // Two isolated Samsung spot readings of 102 bpm (19:00 and 21:41) are not an exercise bout.
    expect(i["exercise_bout_count"]).toBe(0);
    expect(i["above_100_at_rest_clock_times"]).toEqual(["19:00", "21:41"]);
    expect(i["utc_offsets_used"]).toEqual(["-05:00"]);
  });
});
