import { RECORD_TYPES } from "@narrative-engine/contracts";
import { describe, expect, test } from "vitest";
import { generateGlucoseSeries, generateSyntheticExport } from "./synthetic-health-data.ts";

const options = { seed: "test-seed", userIndex: 0, days: 3, startDate: "2025-09-15" };

describe("generateSyntheticExport", () => {
  test("is deterministic for a seed and differs between seeds and users", () => {
    const a = generateSyntheticExport(options);
    expect(JSON.stringify(generateSyntheticExport(options))).toBe(JSON.stringify(a));
    expect(JSON.stringify(generateSyntheticExport({ ...options, seed: "other" }))).not.toBe(JSON.stringify(a));
    const b = generateSyntheticExport({ ...options, userIndex: 1 });
    expect(b.userId).toBe("synthetic-user-002");
    expect(b.exportTimestamp).not.toBe(a.exportTimestamp);
  });

  test("produces every record type with the real sources", () => {
    const data = generateSyntheticExport(options);
    for (const type of RECORD_TYPES) expect(data.records[type].length, type).toBeGreaterThan(0);
    const sources = (type: (typeof RECORD_TYPES)[number]) => new Set(data.records[type].map((r) => r.metadata.dataOriginPackageName));
    expect(sources("BloodGlucoseRecord")).toEqual(new Set(["com.dexcom.stelo"]));
    expect(sources("HeartRateRecord")).toEqual(new Set(["com.sec.android.app.shealth", "com.ouraring.oura"]));
    expect(sources("StepsRecord")).toEqual(new Set(["com.sec.android.app.shealth", "com.ouraring.oura"]));
    expect(sources("ActiveCaloriesBurnedRecord")).toEqual(new Set(["com.sec.android.app.shealth", "com.ouraring.oura"]));
    expect(sources("HeartRateVariabilityRmssdRecord")).toEqual(new Set(["com.ouraring.oura"]));
    for (const type of RECORD_TYPES) {
      for (const record of data.records[type]) expect(record.appRecordFetchTimeEpochMillis).toBe(data.exportTimestamp);
    }
  });

  test("CGM every 5 minutes in Z with meal rises and plausible values", () => {
    const { records } = generateSyntheticExport(options);
    const glucose = records.BloodGlucoseRecord;
    expect(glucose.length).toBeGreaterThan(3 * 280);
    for (let i = 1; i < glucose.length; i++) {
      const gap = glucose[i]!.timeEpochMillis - glucose[i - 1]!.timeEpochMillis;
      expect(gap).toBeGreaterThan(290_000);
      expect(gap).toBeLessThan(310_000);
    }
    const values = glucose.map((g) => g.levelInMilligramsPerDeciliter);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...values)).toBeLessThanOrEqual(400);
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(30);
    expect(new Set(glucose.map((g) => g.zoneOffsetId))).toEqual(new Set(["Z"]));
    expect(new Set(glucose.map((g) => g.metadata.id)).size).toBe(glucose.length);
  });

  test("sleep sessions have contiguous stages inside the session, and Oura overlaps Samsung", () => {
    const { records } = generateSyntheticExport({ ...options, days: 7 });
    for (const session of records.SleepSessionRecord) {
      expect(session.endTimeEpochMillis).toBeGreaterThan(session.startTimeEpochMillis);
      expect(session.stages[0]!.startTimeEpochMillis).toBe(session.startTimeEpochMillis);
      expect(session.stages.at(-1)!.endTimeEpochMillis).toBe(session.endTimeEpochMillis);
      for (let i = 1; i < session.stages.length; i++) {
        expect(session.stages[i]!.startTimeEpochMillis).toBe(session.stages[i - 1]!.endTimeEpochMillis);
      }
    }
    const oura = records.SleepSessionRecord.filter((s) => s.title === "Oura");
    expect(oura.length).toBe(7);
    const ouraHr = records.HeartRateRecord.filter((r) => r.metadata.dataOriginPackageName === "com.ouraring.oura");
    expect(ouraHr.length).toBe(7);
    expect(ouraHr[0]!.samples[1]!.timeEpochMillis - ouraHr[0]!.samples[0]!.timeEpochMillis).toBe(300_000);
    const samsungNight = records.HeartRateRecord.filter((r) => r.samples.length > 1 && r.metadata.dataOriginPackageName !== "com.ouraring.oura");
    expect(samsungNight.length).toBeGreaterThan(0);
    expect(samsungNight[0]!.samples[1]!.timeEpochMillis - samsungNight[0]!.samples[0]!.timeEpochMillis).toBe(60_000);
    for (const r of records.HeartRateRecord) for (const s of r.samples) expect(s.beatsPerMinute).toBeGreaterThanOrEqual(30);
    for (const h of records.HeartRateVariabilityRmssdRecord) expect(h.heartRateVariabilityRmssd).toBeGreaterThanOrEqual(1);
  });

  test("one daily total per source per day for steps and calories", () => {
    const { records } = generateSyntheticExport(options);
    expect(records.StepsRecord).toHaveLength(6);
    expect(records.ActiveCaloriesBurnedRecord).toHaveLength(6);
  });

  test("rejects bad options", () => {
    expect(() => generateSyntheticExport({ ...options, days: 0 })).toThrow(/days/);
    expect(() => generateSyntheticExport({ ...options, startDate: "15/09/2025" })).toThrow(/YYYY-MM-DD/);
  });
});

describe("generateGlucoseSeries", () => {
  test("gives exactly the requested number of readings", () => {
    expect(generateGlucoseSeries({ ...options, count: 1000 }).records).toHaveLength(1000);
  });
});
