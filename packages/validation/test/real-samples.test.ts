import { decodeHealthConnect } from "@narrative-engine/avro";
import { normalizeRecordType, type RecordType, type ValidationResult } from "@narrative-engine/contracts";
import { describeWithSamples, readSample, sampleFiles } from "@narrative-engine/test-kit";
import { describe, expect, test } from "vitest";
import { DataQualityValidator } from "../src/index.ts";

type Rec = Record<string, unknown>;

const DAY = 24 * 60 * 60 * 1000;
const validator = new DataQualityValidator();

/** The file's records as plain, mutable objects. */
function load(name: string): { type: RecordType; records: Rec[] } {
  const type = normalizeRecordType(name.split("_")[0]);
  const decoded = decodeHealthConnect(readSample(name), { expectedType: type });
  return { type, records: structuredClone(decoded.records as unknown as Rec[]) };
}

function components(result: ValidationResult): Record<string, number> {
  const m = result.metadata;
  return {
    schema: m["schema_score"] as number,
    completeness: m.completeness_score,
    physiological: m.physiological_score,
    temporal: m.temporal_score,
  };
}

/** Indexes of every tenth record, starting at `offset`. */
function everyTenth(length: number, offset = 3): number[] {
  return Array.from({ length }, (_, i) => i).filter((i) => i % 10 === offset % 10);
}

/** Asserts that `changed` lowered exactly `lowered` against `baseline` and left the rest equal. */
function expectOnlyLowered(baseline: ValidationResult, changed: ValidationResult, lowered: readonly string[]): void {
  const before = components(baseline);
  const after = components(changed);
  for (const name of Object.keys(before)) {
    if (lowered.includes(name)) expect(after[name], name).toBeLessThan(before[name]!);
    else expect(after[name], name).toBe(before[name]);
  }
  expect(changed.qualityScore).toBeLessThan(baseline.qualityScore);
}

describeWithSamples("real Health Connect samples", () => {
  const files = sampleFiles();

  test("all 26 files are there", () => {
    expect(files).toHaveLength(26);
  });

  test.each(files.map((f) => [f.name]))("%s is valid with a score ≥ 0.9", (name) => {
    const { type, records } = load(name);
    const result = validator.validate(type, records);
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
    expect(result.qualityScore).toBeGreaterThanOrEqual(0.9);
    expect(result.metadata.record_count).toBe(records.length);
  });

  test("scores of the 26 files (printed for the record)", () => {
    const scores = files.map((f) => {
      const { type, records } = load(f.name);
      return validator.validate(type, records).qualityScore;
    });
    console.info(`real-sample quality scores: min ${Math.min(...scores)}, max ${Math.max(...scores)}`);
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0.9);
  });

  test.each(files.map((f) => [f.name]))("%s is also valid judged at its own export time (daily totals end after it)", (name) => {
    const exportedAt = Number(name.replace(/\.avro$/, "").split("_")[1]);
    const { type, records } = load(name);
    const atExport = new DataQualityValidator({ now: () => exportedAt });
    const result = atExport.validate(type, records);
    expect(result.metadata.dropped["future"]).toBe(0);
    expect(result.qualityScore).toBeGreaterThanOrEqual(0.9);
  });

  describe("injected faults lower the matching component only", () => {
    const glucoseFile = "BloodGlucoseRecord_1758407139312.avro";
    const heartFile = "HeartRateRecord_1758407139312.avro";

    test("glucose 1000 mg/dL → physiological", () => {
      const { type, records } = load(glucoseFile);
      const baseline = validator.validate(type, records);
      for (const i of everyTenth(records.length)) records[i]!["levelInMilligramsPerDeciliter"] = 1000;
      const result = validator.validate(type, records);
      expectOnlyLowered(baseline, result, ["physiological"]);
      expect(result.metadata.dropped["physiological"]).toBe(everyTenth(records.length).length);
    });

    test("250 bpm → physiological", () => {
      const { type, records } = load(heartFile);
      const baseline = validator.validate(type, records);
      let injected = 0;
      for (const i of everyTenth(records.length)) {
        for (const sample of records[i]!["samples"] as Rec[]) {
          sample["beatsPerMinute"] = 250;
          injected += 1;
        }
      }
      const result = validator.validate(type, records);
      expectOnlyLowered(baseline, result, ["physiological"]);
      expect(result.metadata.dropped["physiological"]).toBe(injected);
    });

    test("shuffled glucose timestamps → temporal (unsorted, 0.7)", () => {
      const { type, records } = load(glucoseFile);
      const baseline = validator.validate(type, records);
      const times = records.map((r) => r["timeEpochMillis"]);
      // A deterministic shuffle: reverse each block of seven readings.
      for (let i = 0; i + 7 <= times.length; i += 7) times.splice(i, 7, ...times.slice(i, i + 7).reverse());
      records.forEach((r, i) => (r["timeEpochMillis"] = times[i]));
      const result = validator.validate(type, records);
      expectOnlyLowered(baseline, result, ["temporal"]);
      expect(result.metadata.temporal_score).toBe(0.7);
      expect(result.warnings.some((w) => w.startsWith("records are not in time order"))).toBe(true);
    });

    test("shuffled heart-rate records → temporal", () => {
      const { type, records } = load(heartFile);
      const baseline = validator.validate(type, records);
      records.reverse();
      const result = validator.validate(type, records);
      expectOnlyLowered(baseline, result, ["temporal"]);
    });

    test("missing fields → schema and completeness", () => {
      const { type, records } = load(glucoseFile);
      const baseline = validator.validate(type, records);
      for (const i of everyTenth(records.length)) {
        delete records[i]!["mealType"];
        delete records[i]!["relationToMeal"];
      }
      const result = validator.validate(type, records);
      expectOnlyLowered(baseline, result, ["schema", "completeness"]);
      expect(result.metadata.schema_valid).toBe(false);
    });

    test("missing metadata.id → schema and completeness", () => {
      const { type, records } = load(heartFile);
      const baseline = validator.validate(type, records);
      for (const i of everyTenth(records.length)) delete (records[i]!["metadata"] as Rec)["id"];
      expectOnlyLowered(baseline, validator.validate(type, records), ["schema", "completeness"]);
    });

    test("end before start → temporal", () => {
      const { type, records } = load(heartFile);
      const baseline = validator.validate(type, records);
      for (const i of everyTenth(records.length)) records[i]!["endTimeEpochMillis"] = (records[i]!["startTimeEpochMillis"] as number) - 60_000;
      const result = validator.validate(type, records);
      expectOnlyLowered(baseline, result, ["temporal"]);
      expect(result.metadata.dropped["end_before_start"]).toBe(everyTenth(records.length).length);
    });

    test("sleep session ending before it starts → temporal", () => {
      const { type, records } = load("SleepSessionRecord_1758554834823.avro");
      const baseline = validator.validate(type, records);
      records[0]!["endTimeEpochMillis"] = (records[0]!["startTimeEpochMillis"] as number) - 1;
      expectOnlyLowered(baseline, validator.validate(type, records), ["temporal"]);
    });

    test("timestamps a year in the future → temporal", () => {
      const { type, records } = load(glucoseFile);
      const baseline = validator.validate(type, records);
      const shifted = Math.ceil(records.length / 10);
      // Shift the last tenth so the file stays in time order and only the future check fires.
      for (const r of records.slice(-shifted)) r["timeEpochMillis"] = (r["timeEpochMillis"] as number) + Date.now() - Date.UTC(2025, 0, 1) + 365 * DAY;
      const result = validator.validate(type, records);
      expectOnlyLowered(baseline, result, ["temporal"]);
      expect(result.metadata.dropped["future"]).toBe(shifted);
      expect(result.metadata.dropped["temporal_order"]).toBe(0);
    });
  });

  describe("files made mostly of faults are quarantined", () => {
    test("glucose: 1000 mg/dL, missing fields and future times on 80 % of readings", () => {
      const { type, records } = load("BloodGlucoseRecord_1758494067274.avro");
      const start = Math.floor(records.length * 0.2);
      for (const r of records.slice(start)) {
        r["levelInMilligramsPerDeciliter"] = 1000;
        delete r["specimenSource"];
        delete r["relationToMeal"];
        r["timeEpochMillis"] = (r["timeEpochMillis"] as number) + Date.now() - Date.UTC(2025, 0, 1) + 365 * DAY;
      }
      const result = validator.validate(type, records);
      expect(result.isValid).toBe(false);
      expect(result.qualityScore).toBeLessThan(0.7);
      expect(result.errors.some((e) => e.startsWith("quality score"))).toBe(true);
    });

    test("heart rate: 250 bpm and end before start on most records", () => {
      const { type, records } = load("HeartRateRecord_1758554834823.avro");
      records.forEach((r, i) => {
        if (i % 10 === 0) return;
        for (const sample of r["samples"] as Rec[]) sample["beatsPerMinute"] = 250;
        r["endTimeEpochMillis"] = (r["startTimeEpochMillis"] as number) - 1;
        delete r["appRecordFetchTimeEpochMillis"];
      });
      const result = validator.validate(type, records);
      expect(result.isValid).toBe(false);
    });

    test("HRV: every reading out of range and shuffled", () => {
      const { type, records } = load("HeartRateVariabilityRmssdRecord_1758407245091.avro");
      for (const r of records) {
        r["heartRateVariabilityRmssd"] = 500;
        delete (r["metadata"] as Rec)["dataOriginPackageName"];
        delete r["zoneOffsetId"];
      }
      records.reverse();
      for (const r of records.slice(0, Math.ceil(records.length * 0.7))) delete r["timeEpochMillis"];
      const result = validator.validate(type, records);
      expect(result.isValid).toBe(false);
    });
  });
});
