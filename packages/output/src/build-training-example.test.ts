import { HEALTH_DOMAIN_BY_RECORD_TYPE, ProcessingError, RECORD_TYPES, trainingExampleSchema } from "@narrative-engine/contracts";
import { describe, expect, test } from "vitest";
import { buildInput, message, result, validation } from "./__fixtures__/examples.ts";
import { MAX_INPUT_METRICS, TRAINING_INSTRUCTIONS, buildTrainingExample, checkTrainingExample, renderTrainingInput } from "./index.ts";

describe("buildTrainingExample", () => {
  test("fills instruction, input, output and every metadata field", () => {
    const example = buildTrainingExample(buildInput());
    expect(example.instruction).toBe("Summarise this person's continuous glucose monitoring data and describe glucose control.");
    expect(example.output).toBe(result().narrative);
    expect(example.metadata).toEqual({
      record_type: "BloodGlucoseRecord",
      health_domain: "metabolic_diabetes",
      user_id: "user-7",
      correlation_id: "corr-1",
      idempotency_key: "a1b2c3d4e5f60718",
      source_bucket: "health-data",
      source_key: "raw/user-7/BloodGlucoseRecord_1758407139312.avro",
      quality_score: 0.98,
      record_count: 253,
      processing_time_seconds: 0.012,
      processor_version: "1.0.0",
      data_start: "2025-09-20T05:00:00.000Z",
      data_end: "2025-09-21T02:00:00.000Z",
      clinical_insights: result().clinicalInsights,
      upload_timestamp_utc: "2025-09-20T22:25:39Z",
      file_record_count: 253,
    });
    expect(trainingExampleSchema.safeParse(example).success).toBe(true);
  });

  test.each(RECORD_TYPES.map((t) => [t]))("%s gets its own instruction and domain", (type) => {
    const example = buildTrainingExample({ ...buildInput(type), validation: validation(type) });
    expect(example.instruction).toBe(TRAINING_INSTRUCTIONS[type]);
    expect(example.metadata.health_domain).toBe(HEALTH_DOMAIN_BY_RECORD_TYPE[type]);
    expect(example.input).toContain(`Record type: ${type}`);
  });

  test("instructions are distinct and end with a full stop", () => {
    const all = Object.values(TRAINING_INSTRUCTIONS);
    expect(new Set(all).size).toBe(RECORD_TYPES.length);
    for (const text of all) expect(text).toMatch(/^Summarise this person's .+\.$/);
  });

  test("is deterministic: the same input gives byte-identical JSON", () => {
    expect(JSON.stringify(buildTrainingExample(buildInput()))).toBe(JSON.stringify(buildTrainingExample(buildInput())));
  });

  test("data times accept Date, epoch ms and ISO strings, and are null when unknown", () => {
    const base = buildInput();
    const a = buildTrainingExample({ ...base, dataStart: new Date("2025-09-20T05:00:00Z"), dataEnd: null });
    expect(a.metadata.data_start).toBe("2025-09-20T05:00:00.000Z");
    expect(a.metadata.data_end).toBeNull();
    const b = buildTrainingExample({ ...base, dataStart: undefined, dataEnd: "not a date" });
    expect(b.metadata.data_start).toBeNull();
    expect(b.metadata.data_end).toBeNull();
    expect(b.input).not.toContain("Period");
  });

  test.each([
    ["a failed result", result({ success: false, narrative: undefined, errorMessage: "x" })],
    ["a result without narrative", result({ narrative: undefined })],
    ["a blank narrative", result({ narrative: "  \n" })],
  ])("rejects %s with a ProcessingError", (_name, bad) => {
    expect(() => buildTrainingExample({ ...buildInput(), result: bad })).toThrow(ProcessingError);
  });

  test.each([
    ["a negative processing time", result({ processingTimeSeconds: -1 }), /processing_time_seconds/],
    ["a fractional record count", result({ recordsProcessed: 2.5 }), /record_count/],
    ["a non-finite insight", result({ clinicalInsights: { mean: Number.POSITIVE_INFINITY } }), /clinical_insights/],
  ])("rejects %s naming the field", (_name, bad, field) => {
    expect(() => buildTrainingExample({ ...buildInput(), result: bad })).toThrow(field);
  });

  test("checkTrainingExample names the field, never the value", () => {
    const example = buildTrainingExample(buildInput());
    const bad = { ...example, metadata: { ...example.metadata, user_id: 12345678 } };
    expect(() => checkTrainingExample(bad)).toThrow(/training example is invalid: metadata\.user_id/);
    expect(() => checkTrainingExample(bad)).not.toThrow(/12345678/);
  });
});

describe("renderTrainingInput", () => {
  test("renders period, counts and key metrics compactly", () => {
    expect(renderTrainingInput(buildInput())).toBe(
      [
        "Record type: BloodGlucoseRecord (metabolic_diabetes)",
        "Period (UTC): 2025-09-20T05:00:00.000Z to 2025-09-21T02:00:00.000Z",
        "Records: 253 used of 253 in the file",
        "Data quality score: 0.98",
        "Key measurements:",
        "- mean_glucose_mg_dl: 111.5",
        "- time_in_range_pct: 100",
        "- cv_pct: 13.5",
        "- meets_cv_target: yes",
        "- zone_offset_used: Z",
        "- time_below.below_54_pct: 0",
        "- time_below.between_54_69_pct: 0",
      ].join("\n"),
    );
  });

  test("never carries ids, the user id, the bucket or the key", () => {
    const input = buildInput("HeartRateRecord");
    const text = renderTrainingInput({
      ...input,
      result: result({ clinicalInsights: { source: "user-7", record_ids: ["r1"], deviceSerial: "x", device_serial: "S1", mean_bpm: 71.2, sources: ["com.ouraring.oura", "com.sec.android.app.shealth"] } }),
    });
    expect(text).not.toMatch(/user-7|r1|S1|health-data|raw\/|corr-1|a1b2c3d4/);
    expect(text).toContain("- mean_bpm: 71.2");
    expect(text).toContain("- sources: com.ouraring.oura, com.sec.android.app.shealth");
  });

  test(`keeps at most ${MAX_INPUT_METRICS} metric lines`, () => {
    const insights = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`metric_${i}`, i]));
    const text = renderTrainingInput({ ...buildInput(), result: result({ clinicalInsights: insights }) });
    expect(text.split("\n").filter((l) => l.startsWith("- "))).toHaveLength(MAX_INPUT_METRICS);
  });

  test("uses the message's record type", () => {
    expect(renderTrainingInput({ ...buildInput(), message: message("StepsRecord") })).toMatch(/^Record type: StepsRecord \(physical_activity\)/);
  });
});

describe("checkTrainingExample's insight check agrees with the contracts schema", () => {
  const nonJson: [string, unknown][] = [
    ["undefined", undefined],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["a function", () => 1],
    ["a symbol", Symbol("s")],
    ["a bigint", 10n],
  ];
  const json: [string, unknown][] = [
    ["a string", "x"],
    ["zero", 0],
    ["a negative fraction", -1.5],
    ["false", false],
    ["null", null],
    ["an empty array", []],
    ["an empty object", {}],
    ["nested arrays and objects", { a: [1, { b: [null, "c", { d: true }] }] }],
  ];
  const withInsight = (value: unknown): unknown => {
    const example = buildTrainingExample(buildInput());
    return { ...example, metadata: { ...example.metadata, clinical_insights: { ...example.metadata.clinical_insights, deep: { list: [1, value] } } } };
  };

  test.each(nonJson)("%s deep in the insights is rejected with its path, as the schema rejects it", (_name, value) => {
    const example = withInsight(value);
    expect(trainingExampleSchema.safeParse(example).success).toBe(false);
    expect(() => checkTrainingExample(example)).toThrow(/training example is invalid: metadata\.clinical_insights\.deep\.list\.1 /);
  });

  test.each(json)("%s deep in the insights is accepted, as the schema accepts it", (_name, value) => {
    const example = withInsight(value);
    expect(trainingExampleSchema.safeParse(example).success).toBe(true);
    expect(() => checkTrainingExample(example)).not.toThrow();
  });

  test("insights that are not an object, and bad fields beside good insights, still fail through the schema", () => {
    const example = buildTrainingExample(buildInput());
    expect(() => checkTrainingExample({ ...example, metadata: { ...example.metadata, clinical_insights: [1, 2] } })).toThrow(/metadata\.clinical_insights/);
    expect(() => checkTrainingExample({ ...example, output: "" })).toThrow(/training example is invalid: output/);
    expect(() => checkTrainingExample(null)).toThrow(/training example is invalid/);
  });

  test("a very deep insight tree is checked without overflowing the stack", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const example = buildTrainingExample(buildInput());
    expect(() => checkTrainingExample({ ...example, metadata: { ...example.metadata, clinical_insights: { deep } } })).not.toThrow();
  });
});
