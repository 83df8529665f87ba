import { RECORD_TYPES, REQUIRED_FIELDS, type RecordType, type ValidationResult } from "@narrative-engine/contracts";
import { describe, expect, test } from "vitest";
import {
  BUILDERS,
  HOUR,
  MINUTE,
  NOW,
  activeCalories,
  cleanFile,
  glucose,
  heartRate,
  hrv,
  sleep,
  steps,
} from "./__fixtures__/records.ts";
import { DEFAULT_FUTURE_SKEW_MS, DataQualityValidator, INTERVAL_END_ALLOWANCE_MS, REQUIRED_FIELD_SPECS } from "./index.ts";

type Rec = Record<string, unknown>;

const validator = new DataQualityValidator({ now: () => NOW });

function components(result: ValidationResult): Record<string, unknown> {
  const m = result.metadata;
  return { schema: m["schema_score"], completeness: m.completeness_score, physiological: m.physiological_score, temporal: m.temporal_score };
}

function without(record: Rec, path: string): Rec {
  const copy = structuredClone(record);
  const [head, tail] = path.split(".") as [string, string | undefined];
  if (tail === undefined) delete copy[head];
  else delete (copy[head] as Rec)[tail];
  return copy;
}

describe("options", () => {
  test.each([
    ["defaults", undefined],
    ["sum 0.995 (inside tolerance)", { schema: 0.3, completeness: 0.295, physiological: 0.2, temporal: 0.2 }],
    ["sum 1.01 (at tolerance)", { schema: 0.31, completeness: 0.3, physiological: 0.2, temporal: 0.2 }],
    ["one weight 1", { schema: 1, completeness: 0, physiological: 0, temporal: 0 }],
  ])("accepts weights: %s", (_name, weights) => {
    expect(() => new DataQualityValidator(weights ? { weights } : {})).not.toThrow();
  });

  test.each([
    ["sum 1.02", { schema: 0.32, completeness: 0.3, physiological: 0.2, temporal: 0.2 }, /sum to 1 ± 0.01, got 1.02/],
    ["sum 0.98", { schema: 0.28, completeness: 0.3, physiological: 0.2, temporal: 0.2 }, /sum to 1 ± 0.01, got 0.98/],
    ["negative weight", { schema: -0.1, completeness: 0.5, physiological: 0.3, temporal: 0.3 }, /"schema" must be a number between 0 and 1/],
    ["weight above 1", { schema: 1.2, completeness: -0.2, physiological: 0, temporal: 0 }, /"schema" must be a number between 0 and 1/],
    ["NaN weight", { schema: Number.NaN, completeness: 0.3, physiological: 0.2, temporal: 0.2 }, /"schema"/],
    ["missing weight", { schema: 0.5, completeness: 0.3, physiological: 0.2 }, /"temporal" must be a number/],
  ])("rejects weights: %s", (_name, weights, message) => {
    expect(() => new DataQualityValidator({ weights: weights as never })).toThrow(message);
  });

  test.each([
    [{ threshold: 1.5 }, /threshold/],
    [{ threshold: -0.1 }, /threshold/],
    [{ maxRecordsPerFile: 0 }, /maxRecordsPerFile/],
    [{ maxRecordsPerFile: 1.5 }, /maxRecordsPerFile/],
    [{ maxFileBytes: -1 }, /maxFileBytes/],
    [{ futureSkewMs: -1 }, /futureSkewMs/],
  ])("rejects %j", (options, message) => {
    expect(() => new DataQualityValidator(options)).toThrow(message);
  });

  test("unknown record type is a caller error", () => {
    expect(() => validator.validate("WeightRecord" as RecordType, [])).toThrow(/unknown record type/);
  });

  test("Avro-prefixed record type is normalised", () => {
    expect(validator.validate("AvroStepsRecord" as RecordType, cleanFile("StepsRecord")).metadata.record_type).toBe("StepsRecord");
  });
});

describe("clean files", () => {
  test.each(RECORD_TYPES.map((t) => [t]))("%s scores 1 with no errors or warnings", (type) => {
    const result = validator.validate(type, cleanFile(type));
    expect(result).toMatchObject({ isValid: true, qualityScore: 1, errors: [], warnings: [] });
    expect(result.metadata).toMatchObject({
      schema_valid: true,
      completeness_score: 1,
      physiological_score: 1,
      temporal_score: 1,
      record_count: 10,
      record_type: type,
      dropped: { schema: 0, physiological: 0, temporal_order: 0, end_before_start: 0, outside_interval: 0, future: 0, missing_timestamp: 0 },
    });
  });

  test("a single record is enough", () => {
    expect(validator.validate("StepsRecord", [steps(0)]).qualityScore).toBe(1);
  });
});

describe("limits", () => {
  test("an empty file is invalid with score 0", () => {
    const result = validator.validate("BloodGlucoseRecord", []);
    expect(result).toMatchObject({ isValid: false, qualityScore: 0, errors: ["file holds no records"] });
    expect(result.metadata).toMatchObject({ record_count: 0, schema_valid: false, completeness_score: 0 });
  });

  test("a non-array is treated as an empty file", () => {
    expect(validator.validate("BloodGlucoseRecord", null as never).isValid).toBe(false);
  });

  test.each([
    [10, true],
    [11, false],
  ])("max_records_per_file 10 with %i records → valid %s", (count, valid) => {
    const small = new DataQualityValidator({ now: () => NOW, maxRecordsPerFile: 10 });
    const result = small.validate("BloodGlucoseRecord", cleanFile("BloodGlucoseRecord", count));
    expect(result.isValid).toBe(valid);
    if (!valid) {
      expect(result.qualityScore).toBe(0);
      expect(result.errors).toEqual(["file holds 11 records, over the limit of 10 (max_records_per_file)"]);
      expect(result.warnings).toEqual([]);
      expect(result.metadata["limit_exceeded"]).toBe("max_records_per_file");
      expect(result.metadata.record_count).toBe(11);
    }
  });

  test("the default limit is 100,000 records", () => {
    expect(validator.maxRecordsPerFile).toBe(100_000);
    const records = Array.from({ length: 100_001 }, () => ({}));
    expect(validator.validate("StepsRecord", records).errors[0]).toMatch(/over the limit of 100000/);
  });

  test.each([
    [1000, true],
    [1001, false],
  ])("max_file_bytes 1000 with a %i-byte file → valid %s", (size, valid) => {
    const capped = new DataQualityValidator({ now: () => NOW, maxFileBytes: 1000 });
    const result = capped.validate("StepsRecord", cleanFile("StepsRecord"), { fileSizeBytes: size });
    expect(result.isValid).toBe(valid);
    if (!valid) expect(result.errors[0]).toMatch(/over the limit of 1000 \(max_file_bytes\)/);
  });
});

describe("schema and completeness", () => {
  const cases = RECORD_TYPES.flatMap((type) => REQUIRED_FIELD_SPECS[type].map((f) => [type, f.path] as const));

  test("required fields are the contracts' plus metadata.id and metadata.dataOriginPackageName", () => {
    for (const type of RECORD_TYPES) {
      expect(REQUIRED_FIELD_SPECS[type].map((f) => f.path)).toEqual([...REQUIRED_FIELDS[type], "metadata.id", "metadata.dataOriginPackageName"]);
    }
  });

  test.each(cases)("%s without %s fails the schema for that record", (type, path) => {
    const records = cleanFile(type);
    records[3] = without(records[3]!, path);
    const result = validator.validate(type, records);
    const fields = REQUIRED_FIELD_SPECS[type].length;
    // Removing "metadata" also removes the two metadata fields under it.
    const missing = path === "metadata" ? 3 : 1;
    expect(result.metadata.schema_valid).toBe(false);
    expect(result.metadata["schema_score"]).toBe(0.9);
    expect(result.metadata.completeness_score).toBeCloseTo(1 - missing / fields / 10, 4);
    expect(result.metadata.dropped["schema"]).toBe(1);
    expect(result.warnings).toContain("1 of 10 records miss required fields or hold values of the wrong type");
    expect(result.isValid).toBe(true);
  });

  test.each([
    ["BloodGlucoseRecord", (r: Rec) => ({ ...r, levelInMilligramsPerDeciliter: "110" })],
    ["BloodGlucoseRecord", (r: Rec) => ({ ...r, levelInMilligramsPerDeciliter: Number.NaN })],
    ["BloodGlucoseRecord", (r: Rec) => ({ ...r, specimenSource: "BLOOD" })],
    ["BloodGlucoseRecord", (r: Rec) => ({ ...r, mealType: 3 })],
    ["BloodGlucoseRecord", (r: Rec) => ({ ...r, metadata: { ...(r["metadata"] as Rec), id: "" } })],
    ["HeartRateRecord", (r: Rec) => ({ ...r, samples: [{ timeEpochMillis: r["startTimeEpochMillis"], beatsPerMinute: "70" }] })],
    ["HeartRateRecord", (r: Rec) => ({ ...r, samples: "none" })],
    ["HeartRateRecord", (r: Rec) => ({ ...r, samples: [null] })],
    ["SleepSessionRecord", (r: Rec) => ({ ...r, stages: [{ startTimeEpochMillis: r["startTimeEpochMillis"], endTimeEpochMillis: r["startTimeEpochMillis"], stage: "DOZING" }] })],
    ["StepsRecord", (r: Rec) => ({ ...r, count: 12n })],
    ["StepsRecord", (r: Rec) => ({ ...r, startTimeEpochMillis: "2025-09-20" })],
    ["StepsRecord", (r: Rec) => ({ ...r, metadata: "m" })],
  ] as const)("%s with a wrong-typed field fails the schema (case %#)", (type, mutate) => {
    const records = cleanFile(type);
    records[0] = mutate(records[0]!);
    const result = validator.validate(type, records);
    expect(result.metadata.schema_valid).toBe(false);
    expect(result.metadata.dropped["schema"]).toBe(1);
  });

  test.each([
    [0, 1, []],
    [1, 8 / 9, []],
    [2, 7 / 9, ["warning"]],
    [4, 5 / 9, ["warning"]],
    [5, 4 / 9, ["error"]],
  ])("glucose records missing %i of 9 fields → completeness %d", (missingCount, expected, findings) => {
    const optional = ["levelInMilligramsPerDeciliter", "specimenSource", "mealType", "relationToMeal", "appRecordFetchTimeEpochMillis"];
    const records = cleanFile("BloodGlucoseRecord").map((r) => optional.slice(0, missingCount).reduce((acc, f) => without(acc, f), r));
    const result = validator.validate("BloodGlucoseRecord", records);
    expect(result.metadata.completeness_score).toBeCloseTo(expected, 4);
    const warned = result.warnings.some((w) => w.startsWith("completeness"));
    const errored = result.errors.some((e) => e.startsWith("completeness"));
    expect(warned).toBe(findings.includes("warning"));
    expect(errored).toBe(findings.includes("error"));
  });

  test("null counts as missing for completeness", () => {
    const records = cleanFile("StepsRecord");
    records[0] = { ...records[0], count: null };
    const result = validator.validate("StepsRecord", records);
    expect(result.metadata.completeness_score).toBeCloseTo(1 - 1 / 7 / 10, 4);
  });

  test.each([[null], [1], ["record"], [[]], [{}], [Object.create(null)], [{ metadata: 5 }], [true]])("never throws on %j", (bad) => {
    for (const type of RECORD_TYPES) {
      const result = validator.validate(type, [...cleanFile(type, 3), bad]);
      expect(result.metadata.schema_valid).toBe(false);
      expect(result.metadata.dropped["schema"]).toBe(1);
      expect(result.metadata.temporal_score).toBeCloseTo(0.75, 4);
    }
  });

  test("a file of garbage scores 0 and is invalid", () => {
    const result = validator.validate("HeartRateRecord", [null, 1, "x", {}]);
    expect(result.qualityScore).toBe(0);
    expect(result.isValid).toBe(false);
    expect(result.errors).toEqual(
      expect.arrayContaining([expect.stringMatching(/schema-valid/), expect.stringMatching(/completeness/), expect.stringMatching(/no heart-rate sample values/)]),
    );
  });
});

describe("physiological ranges (values rounded to 0.1 first)", () => {
  const sleepMinutes = (m: number) => (i: number) => sleep(i, m);
  test.each([
    ["BloodGlucoseRecord", 19.9, false, (v: number) => (i: number) => glucose(i, v)],
    ["BloodGlucoseRecord", 19.94, false, (v: number) => (i: number) => glucose(i, v)],
    ["BloodGlucoseRecord", 19.96, true, (v: number) => (i: number) => glucose(i, v)],
    ["BloodGlucoseRecord", 20, true, (v: number) => (i: number) => glucose(i, v)],
    ["BloodGlucoseRecord", 600, true, (v: number) => (i: number) => glucose(i, v)],
    ["BloodGlucoseRecord", 600.04, true, (v: number) => (i: number) => glucose(i, v)],
    ["BloodGlucoseRecord", 600.06, false, (v: number) => (i: number) => glucose(i, v)],
    ["BloodGlucoseRecord", 1000, false, (v: number) => (i: number) => glucose(i, v)],
    ["HeartRateRecord", 29, false, (v: number) => (i: number) => heartRate(i, v)],
    ["HeartRateRecord", 30, true, (v: number) => (i: number) => heartRate(i, v)],
    ["HeartRateRecord", 220, true, (v: number) => (i: number) => heartRate(i, v)],
    ["HeartRateRecord", 221, false, (v: number) => (i: number) => heartRate(i, v)],
    ["HeartRateRecord", 250, false, (v: number) => (i: number) => heartRate(i, v)],
    ["SleepSessionRecord", 26, false, sleepMinutes],
    ["SleepSessionRecord", 28, true, sleepMinutes],
    ["SleepSessionRecord", 30, true, sleepMinutes],
    ["SleepSessionRecord", 16 * 60, true, sleepMinutes],
    ["SleepSessionRecord", 16 * 60 + 2, true, sleepMinutes],
    ["SleepSessionRecord", 16 * 60 + 6, false, sleepMinutes],
    ["StepsRecord", -1, false, (v: number) => (i: number) => steps(i, v)],
    ["StepsRecord", 0, true, (v: number) => (i: number) => steps(i, v)],
    ["StepsRecord", 100_000, true, (v: number) => (i: number) => steps(i, v)],
    ["StepsRecord", 100_001, false, (v: number) => (i: number) => steps(i, v)],
    ["ActiveCaloriesBurnedRecord", -0.5, false, (v: number) => (i: number) => activeCalories(i, v)],
    ["ActiveCaloriesBurnedRecord", -0.04, true, (v: number) => (i: number) => activeCalories(i, v)],
    ["ActiveCaloriesBurnedRecord", 10_000, true, (v: number) => (i: number) => activeCalories(i, v)],
    ["ActiveCaloriesBurnedRecord", 10_000.1, false, (v: number) => (i: number) => activeCalories(i, v)],
    ["HeartRateVariabilityRmssdRecord", 0.9, false, (v: number) => (i: number) => hrv(i, v)],
    ["HeartRateVariabilityRmssdRecord", 0.96, true, (v: number) => (i: number) => hrv(i, v)],
    ["HeartRateVariabilityRmssdRecord", 200, true, (v: number) => (i: number) => hrv(i, v)],
    ["HeartRateVariabilityRmssdRecord", 200.1, false, (v: number) => (i: number) => hrv(i, v)],
  ] as const)("%s value %d in range: %s", (type, value, inRange, build) => {
    const records = cleanFile(type);
    records[0] = build(value)(0);
    const result = validator.validate(type, records);
    const checked = result.metadata["values_checked"] as number;
    const outside = type === "HeartRateRecord" ? 11 : 1;
    expect(result.metadata.dropped["physiological"]).toBe(inRange ? 0 : outside);
    expect(result.metadata.physiological_score).toBeCloseTo(inRange ? 1 : 1 - outside / checked, 4);
    expect(components(result)).toMatchObject({ schema: 1, completeness: 1, temporal: 1 });
  });

  test.each([
    [1, false],
    [2, false],
    [3, true],
  ])("%i of 10 glucose values out of range → warning %s", (bad, warned) => {
    const records = cleanFile("BloodGlucoseRecord").map((r, i) => (i < bad ? glucose(i, 1000) : r));
    const result = validator.validate("BloodGlucoseRecord", records);
    expect(result.metadata.physiological_score).toBeCloseTo(1 - bad / 10, 4);
    expect(result.warnings.some((w) => w.includes("outside 20–600 mg/dL"))).toBe(warned);
  });

  test("heart rate is checked per sample", () => {
    const records = cleanFile("HeartRateRecord", 2);
    (records[0]!["samples"] as Rec[])[5] = { ...(records[0]!["samples"] as Rec[])[5], beatsPerMinute: 250 };
    const result = validator.validate("HeartRateRecord", records);
    expect(result.metadata["values_checked"]).toBe(22);
    expect(result.metadata.dropped["physiological"]).toBe(1);
    expect(result.metadata.physiological_score).toBeCloseTo(21 / 22, 4);
  });

  test("missing values are not range-checked (completeness reports them)", () => {
    const records = cleanFile("HeartRateVariabilityRmssdRecord");
    records[0] = without(records[0]!, "heartRateVariabilityRmssd");
    const result = validator.validate("HeartRateVariabilityRmssdRecord", records);
    expect(result.metadata["values_checked"]).toBe(9);
    expect(result.metadata.physiological_score).toBe(1);
  });
});

describe("temporal", () => {
  const skew = DEFAULT_FUTURE_SKEW_MS;

  test.each([
    ["BloodGlucoseRecord", (r: Rec) => ({ ...r, timeEpochMillis: NOW + skew }), true],
    ["BloodGlucoseRecord", (r: Rec) => ({ ...r, timeEpochMillis: NOW + skew + 1 }), false],
    ["HeartRateVariabilityRmssdRecord", (r: Rec) => ({ ...r, timeEpochMillis: NOW + 365 * 24 * HOUR }), false],
    ["StepsRecord", (r: Rec) => ({ ...r, startTimeEpochMillis: NOW + skew + 1, endTimeEpochMillis: NOW + 2 * HOUR }), false],
    // A daily total ends at the close of the local day, hours after the upload.
    ["StepsRecord", (r: Rec) => ({ ...r, startTimeEpochMillis: NOW - HOUR, endTimeEpochMillis: NOW + 12 * HOUR }), true],
    ["StepsRecord", (r: Rec) => ({ ...r, endTimeEpochMillis: NOW + skew + INTERVAL_END_ALLOWANCE_MS + 1 }), false],
    [
      "HeartRateRecord",
      (r: Rec) => ({ ...r, startTimeEpochMillis: NOW - HOUR, endTimeEpochMillis: NOW + HOUR, samples: [{ timeEpochMillis: NOW + skew + 1, beatsPerMinute: 70 }] }),
      false,
    ],
  ] as const)("%s future check (case %#) passes: %s", (type, mutate, ok) => {
    const records = cleanFile(type);
    records[9] = mutate(records[9]!);
    const result = validator.validate(type, records);
    expect(result.metadata.dropped["future"]).toBe(ok ? 0 : 1);
    expect(result.metadata.temporal_score).toBe(ok ? 1 : 0.9);
    expect(components(result)).toMatchObject({ schema: 1, completeness: 1 });
  });

  test.each(["HeartRateRecord", "SleepSessionRecord", "StepsRecord", "ActiveCaloriesBurnedRecord"] as const)(
    "%s ending before it starts lowers only the temporal score",
    (type) => {
      const records = cleanFile(type);
      const r = records[4]!;
      records[4] = { ...r, endTimeEpochMillis: (r["startTimeEpochMillis"] as number) - 1 };
      const result = validator.validate(type, records);
      expect(result.metadata.dropped["end_before_start"]).toBe(1);
      expect(result.metadata.dropped["outside_interval"]).toBe(0);
      expect(components(result)).toEqual({ schema: 1, completeness: 1, physiological: 1, temporal: 0.9 });
      expect(result.warnings).toContain("1 intervals end before they start");
    },
  );

  test("an interval of zero length is fine", () => {
    const records = cleanFile("StepsRecord");
    records[0] = { ...records[0], endTimeEpochMillis: records[0]!["startTimeEpochMillis"] };
    expect(validator.validate("StepsRecord", records).metadata.temporal_score).toBe(1);
  });

  test.each([
    ["on the start", 0, true],
    ["on the end", 10 * MINUTE, true],
    ["1 ms before the start", -1, false],
    ["1 ms after the end", 10 * MINUTE + 1, false],
  ])("heart-rate sample %s (offset %i ms) → inside %s", (_name, offset, inside) => {
    const records = cleanFile("HeartRateRecord", 3);
    const r = records[1]!;
    const samples = r["samples"] as Rec[];
    const time = (r["startTimeEpochMillis"] as number) + offset;
    // Keep the samples sorted so only the interval check can fire.
    const replaced = offset <= 0 ? [{ timeEpochMillis: time, beatsPerMinute: 70 }, ...samples.slice(1)] : [...samples.slice(0, -1), { timeEpochMillis: time, beatsPerMinute: 70 }];
    records[1] = { ...r, samples: replaced };
    const result = validator.validate("HeartRateRecord", records);
    expect(result.metadata.dropped["outside_interval"]).toBe(inside ? 0 : 1);
    expect(result.metadata.temporal_score).toBeCloseTo(inside ? 1 : 2 / 3, 4);
  });

  test.each([
    ["stage before the session", -MINUTE, 0, "outside_interval"],
    ["stage after the session", 0, MINUTE, "outside_interval"],
    ["stage ending before it starts", 0, -40 * MINUTE, "end_before_start"],
  ])("sleep %s → %s", (_name, startShift, endShift, check) => {
    const records = cleanFile("SleepSessionRecord", 2);
    const r = records[0]!;
    const stages = structuredClone(r["stages"]) as Rec[];
    const first = stages[0]!;
    const last = stages.at(-1)!;
    if (startShift !== 0) first["startTimeEpochMillis"] = (first["startTimeEpochMillis"] as number) + startShift;
    if (endShift > 0) last["endTimeEpochMillis"] = (last["endTimeEpochMillis"] as number) + endShift;
    if (endShift < 0) first["endTimeEpochMillis"] = (first["startTimeEpochMillis"] as number) + endShift;
    records[0] = { ...r, stages };
    const result = validator.validate("SleepSessionRecord", records);
    expect(result.metadata.dropped[check]).toBe(1);
    expect(components(result)).toEqual({ schema: 1, completeness: 1, physiological: 1, temporal: 0.5 });
  });

  test.each(RECORD_TYPES.map((t) => [t]))("%s records out of order score 0.7 with a warning", (type) => {
    const records = cleanFile(type);
    [records[2], records[7]] = [records[7]!, records[2]!];
    const result = validator.validate(type, records);
    expect(components(result)).toEqual({ schema: 1, completeness: 1, physiological: 1, temporal: 0.7 });
    expect(result.metadata.dropped["temporal_order"]).toBe(2);
    expect(result.warnings).toContain("records are not in time order (2 inversions)");
    expect(result.qualityScore).toBeCloseTo(0.94, 4);
  });

  test("samples out of order inside a heart-rate record count as unsorted", () => {
    const records = cleanFile("HeartRateRecord", 2);
    (records[0]!["samples"] as Rec[]).reverse();
    const result = validator.validate("HeartRateRecord", records);
    expect(result.metadata.temporal_score).toBe(0.7);
    expect(result.metadata.dropped["temporal_order"]).toBe(10);
  });

  test("equal timestamps are in order", () => {
    const records = [glucose(0), glucose(1), { ...glucose(2), timeEpochMillis: glucose(1)["timeEpochMillis"] }];
    expect(validator.validate("BloodGlucoseRecord", records).metadata.temporal_score).toBe(1);
  });

  test("sub-checks combine as (share of valid records) × ordering factor", () => {
    const records = cleanFile("BloodGlucoseRecord");
    [records[0], records[1]] = [records[1]!, records[0]!];
    records[9] = { ...records[9], timeEpochMillis: NOW + 400 * 24 * HOUR };
    const result = validator.validate("BloodGlucoseRecord", records);
    expect(result.metadata.temporal_score).toBeCloseTo(0.9 * 0.7, 4);
  });

  test.each([
    ["BloodGlucoseRecord", "timeEpochMillis"],
    ["StepsRecord", "startTimeEpochMillis"],
    ["StepsRecord", "endTimeEpochMillis"],
  ] as const)("%s without %s counts a missing timestamp", (type, field) => {
    const records = cleanFile(type);
    records[5] = without(records[5]!, field);
    const result = validator.validate(type, records);
    expect(result.metadata.dropped["missing_timestamp"]).toBe(1);
    expect(result.metadata.temporal_score).toBe(0.9);
  });

  test("the clock defaults to Date.now", () => {
    const live = new DataQualityValidator();
    expect(live.validate("BloodGlucoseRecord", [glucose(0)]).metadata.temporal_score).toBe(1);
    expect(live.validate("BloodGlucoseRecord", [{ ...glucose(0), timeEpochMillis: Date.now() + HOUR }]).metadata.dropped["future"]).toBe(1);
  });
});

describe("quality score", () => {
  test("is the weighted sum of the components", () => {
    const records = cleanFile("BloodGlucoseRecord");
    records[0] = glucose(0, 1000);
    records[1] = without(records[1]!, "mealType");
    [records[3], records[4]] = [records[4]!, records[3]!];
    const weights = { schema: 0.1, completeness: 0.2, physiological: 0.3, temporal: 0.4 };
    const result = new DataQualityValidator({ now: () => NOW, weights }).validate("BloodGlucoseRecord", records);
    const m = result.metadata;
    const expected = 0.1 * (m["schema_score"] as number) + 0.2 * m.completeness_score + 0.3 * m.physiological_score + 0.4 * m.temporal_score;
    expect(m["schema_score"]).toBe(0.9);
    expect(m.physiological_score).toBe(0.9);
    expect(m.temporal_score).toBe(0.7);
    expect(result.qualityScore).toBeCloseTo(expected, 4);
  });

  test.each([
    [0.94, true],
    [0.9401, false],
  ])("a score of 0.94 against threshold %d → valid %s", (threshold, valid) => {
    const records = cleanFile("StepsRecord");
    [records[0], records[1]] = [records[1]!, records[0]!];
    const result = new DataQualityValidator({ now: () => NOW, threshold }).validate("StepsRecord", records);
    expect(result.qualityScore).toBe(0.94);
    expect(result.isValid).toBe(valid);
    if (!valid) expect(result.errors).toContain(`quality score 0.94 is below the threshold ${threshold}`);
  });

  test("findings carry counts, never record values", () => {
    const records = cleanFile("BloodGlucoseRecord").map((r, i) => (i < 5 ? glucose(i, 987.6) : r));
    const result = validator.validate("BloodGlucoseRecord", records);
    expect([...result.errors, ...result.warnings].join(" ")).not.toMatch(/987/);
  });
});

test("every builder is used", () => {
  expect(Object.keys(BUILDERS)).toEqual([...RECORD_TYPES]);
});
