// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- test-kit's ambient s3rver module types are not reachable through its package entry (see __fixtures__/glucose-hrv-records.ts)
/// <reference path="../../../../tooling/test-kit/src/s3rver.d.ts" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeHealthConnect } from "@narrative-engine/avro";
import { DataQualityError, ProcessingError, type ClinicalProcessor, type HeartRateVariabilityRmssdRecord, type ProcessingResult } from "@narrative-engine/contracts";
import { describeWithSamples, samplesDir, sampleFiles } from "@narrative-engine/test-kit";
import { describe, expect, test } from "vitest";
import { DEFAULT_PROCESSOR_FACTORIES } from "../create-default-registry.ts";
import { HrvProcessor } from "../hrv-processor.ts";
import {
  ProcessorCheckError,
  SAMPLE_QUALITY_SCORE,
  SAMPLE_USER_ID,
  assertProcessorSound,
  checkProcessor,
  sampleMessage,
  sampleValidation,
} from "./index.ts";

describeWithSamples("checkProcessor on the six real processors and the real exports", () => {
  test.each(DEFAULT_PROCESSOR_FACTORIES.map((create) => [create().recordType, create] as const))(
    "%s passes on every sample of its type",
    async (type, create) => {
      const files = sampleFiles(type).map((f) => f.path);
      expect(files.length).toBeGreaterThan(0);
      const report = await checkProcessor(create(), { files });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.files.map((f) => f.name)).toEqual([...sampleFiles(type).map((f) => f.name), "(no records)"]);
      expect(report.files.filter((f) => f.name !== "(no records)").every((f) => f.success === true)).toBe(true);
      expect(report.files.at(-1)).toMatchObject({ name: "(no records)", success: false, problems: [] });
    },
  );

  test("a directory expands to the files of the processor's type only", async () => {
    const report = await assertProcessorSound(new HrvProcessor(), { files: [samplesDir], includeEmpty: false });
    expect(report.files.map((f) => f.name)).toEqual(sampleFiles("HeartRateVariabilityRmssdRecord").map((f) => f.name));
  });

  test("the user's offset from health_metadata changes nothing the rules care about", async () => {
    const report = await checkProcessor(new HrvProcessor(), {
      files: sampleFiles("HeartRateVariabilityRmssdRecord").map((f) => f.path),
      message: { healthMetadata: { user_timezone_offset: "+09:30", age: 41 } },
    });
    expect(report.problems).toEqual([]);
  });
});

// A tiny processor the broken variants below are made from.
type Hrv = HeartRateVariabilityRmssdRecord;
const MINUTE = 60_000;
function reading(i: number, ms: number): Hrv {
  const time = Date.UTC(2025, 8, 20, 3) + i * 5 * MINUTE;
  return {
    metadata: {
      id: `2d9a4c1e-7b3f-4e8a-9c0d-${String(i).padStart(12, "0")}`,
      dataOriginPackageName: "com.ouraring.oura",
      lastModifiedTimeEpochMillis: time + MINUTE,
      clientRecordId: `oura-client-${String(i)}`,
      clientRecordVersion: 1,
      device: { manufacturer: "Oura", model: "Oura Ring Gen3", type: "RING" },
    },
    timeEpochMillis: time,
    zoneOffsetId: "-05:00",
    heartRateVariabilityRmssd: ms,
    appRecordFetchTimeEpochMillis: time + 2 * MINUTE,
  };
}
const READINGS = [reading(0, 41), reading(1, 47), reading(2, 52), reading(3, 38)];

type Narrate = (records: readonly Hrv[], mean: number) => { narrative: string; insights?: Record<string, number> };
function meanProcessor(narrate: Narrate, overrides: Partial<ProcessingResult> = {}): ClinicalProcessor<"HeartRateVariabilityRmssdRecord"> {
  return {
    recordType: "HeartRateVariabilityRmssdRecord",
    version: "0.0.1",
    async initialize() {},
    async processWithClinicalInsights(records, _message, validation) {
      await Promise.resolve();
      if (records.length === 0) {
        return { success: false, errorMessage: "no readings", processingTimeSeconds: 0, recordsProcessed: 0, qualityScore: validation.qualityScore, clinicalInsights: {} };
      }
      const mean = Math.round((records.reduce((a, r) => a + r.heartRateVariabilityRmssd, 0) / records.length) * 10) / 10;
      const { narrative, insights = {} } = narrate(records, mean);
      return {
        success: true,
        narrative,
        processingTimeSeconds: 0,
        recordsProcessed: records.length,
        qualityScore: validation.qualityScore,
        clinicalInsights: { reading_count: records.length, mean_rmssd_ms: mean, ...insights },
        ...overrides,
      };
    },
    async cleanup() {},
  };
}
const sound: Narrate = (records, mean) => ({ narrative: `${String(records.length)} readings averaged ${String(mean)} ms.` });

describe("checkProcessor on processors that break a rule", () => {
  test("a sound processor passes, over record sets and encoded bytes", async () => {
    const bytes = encodeHealthConnect("HeartRateVariabilityRmssdRecord", READINGS);
    const report = await assertProcessorSound(meanProcessor(sound), { records: [READINGS, READINGS.slice(0, 1)], files: [{ name: "built.avro", bytes }, bytes] });
    expect(report.files.map((f) => [f.name, f.success, f.problems])).toEqual([
      ["built.avro", true, []],
      ["bytes[1]", true, []],
      ["records[0]", true, []],
      ["records[1]", true, []],
      ["(no records)", false, []],
    ]);
  });

  test("Math.random in the narrative: not deterministic", async () => {
    const report = await checkProcessor(meanProcessor((r, mean) => {
      const noise = Math.round(Math.random() * 1e6);
      return { narrative: `${String(r.length)} readings averaged ${String(mean)} ms (run ${String(noise)}).`, insights: { run: noise } };
    }), { records: [READINGS] });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(["records[0]: not deterministic: two runs over the same records gave different narrative or clinicalInsights JSON"]);
  });

  test("a narrative number missing from the insights is named", async () => {
    const report = await checkProcessor(meanProcessor((r, mean) => ({ narrative: `${String(r.length)} readings averaged ${String(mean)} ms, 12 of them overnight.` })), { records: [READINGS] });
    expect(report.problems).toEqual(["records[0]: narrative numbers not in clinicalInsights: 12"]);
  });

  test("a record id, client record id, device model or user id in the narrative is caught without quoting it", async () => {
    const cases: [Narrate, string][] = [
      [(r, mean) => ({ narrative: `Mean ${String(mean)} ms from record ${r[0]?.metadata.id ?? ""}.` }), "a record id (metadata.id of record 1)"],
      [(r, mean) => ({ narrative: `Mean ${String(mean)} ms (${r[2]?.metadata.clientRecordId ?? ""}).` }), "a client record id (metadata.clientRecordId of record 3)"],
      [(r, mean) => ({ narrative: `Mean ${String(mean)} ms from an ${r[0]?.metadata.device?.model ?? ""}.` }), "a device model string (metadata.device.model of record 1)"],
      [(_r, mean) => ({ narrative: `Mean ${String(mean)} ms for ${SAMPLE_USER_ID}.` }), "the user id"],
    ];
    for (const [narrate, what] of cases) {
      const report = await checkProcessor(meanProcessor(narrate), { records: [READINGS], includeEmpty: false });
      // The ids themselves hold digits the insights lack; only the identifier problem is asserted here.
      expect(report.problems).toContain(`records[0]: narrative contains ${what}`);
      expect(report.problems.join("\n")).not.toContain(READINGS[0]?.metadata.id ?? "?");
    }
  });

  test("a processor that throws a plain Error fails; DataQualityError and ProcessingError do not", async () => {
    const throwing = (error: Error): ClinicalProcessor<"HeartRateVariabilityRmssdRecord"> => ({
      ...meanProcessor(sound),
      processWithClinicalInsights: () => Promise.reject(error),
    });
    const plain = await checkProcessor(throwing(new Error("bad value 41")), { records: [READINGS] });
    expect(plain.problems).toEqual([
      "records[0]: threw Error instead of returning success: false (only DataQualityError may be thrown)",
      "(no records): threw Error instead of returning success: false (only DataQualityError may be thrown)",
    ]);
    expect(plain.problems.join("\n")).not.toContain("bad value");
    const quarantine = await checkProcessor(throwing(new DataQualityError("too sparse")), { records: [READINGS] });
    expect(quarantine.ok).toBe(true);
    expect(quarantine.files[0]?.success).toBe("quarantined");
    expect((await checkProcessor(throwing(new ProcessingError("x")), { records: [READINGS] })).ok).toBe(true);
    const strict = await checkProcessor(throwing(new ProcessingError("x")), { records: [READINGS], allowProcessingError: false, includeEmpty: false });
    expect(strict.problems).toEqual(["records[0]: threw ProcessingError instead of returning success: false (only DataQualityError may be thrown)"]);
  });

  test("recordsProcessed above the records given, and a quality score not passed through", async () => {
    const report = await checkProcessor(meanProcessor(sound, { recordsProcessed: 5, qualityScore: 1 }), { records: [READINGS], includeEmpty: false });
    expect(report.problems).toEqual([
      "records[0]: recordsProcessed is 5, expected a whole number from 0 to the 4 records given",
      `records[0]: qualityScore is 1, not the validation's ${String(SAMPLE_QUALITY_SCORE)} (pass it through unchanged)`,
    ]);
  });

  test("denied wording", async () => {
    const report = await checkProcessor(meanProcessor((_r, mean) => ({ narrative: `A mean of ${String(mean)} ms is consistent with prediabetes; you should see a doctor.` })), { records: [READINGS], includeEmpty: false });
    expect(report.problems).toEqual([
      'records[0]: narrative uses denied wording "prediabet" (/prediabet/i)',
      'records[0]: narrative uses denied wording "you should" (/\\byou should\\b/i)',
    ]);
  });

  test("a directory is searched recursively, as `narrative-engine generate` writes one folder per user", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ne-check-processor-"));
    try {
      mkdirSync(join(dir, "user-1"));
      writeFileSync(join(dir, "user-1", "HeartRateVariabilityRmssdRecord_1.avro"), encodeHealthConnect("HeartRateVariabilityRmssdRecord", READINGS));
      writeFileSync(join(dir, "user-1", "StepsRecord_1.avro"), encodeHealthConnect("StepsRecord", []));
      writeFileSync(join(dir, "HeartRateVariabilityRmssdRecord_0.avro"), encodeHealthConnect("HeartRateVariabilityRmssdRecord", READINGS.slice(1)));
      const report = await assertProcessorSound(meanProcessor(sound), { files: [dir], includeEmpty: false });
      expect(report.files.map((f) => [f.name, f.records])).toEqual([
        ["HeartRateVariabilityRmssdRecord_0.avro", 3],
        ["user-1/HeartRateVariabilityRmssdRecord_1.avro", 4],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a file of another type and a corrupt file are reported, not thrown", async () => {
    const steps = encodeHealthConnect("StepsRecord", []);
    const report = await checkProcessor(meanProcessor(sound), { files: [{ name: "steps.avro", bytes: steps }, { name: "junk.avro", bytes: new Uint8Array([1, 2, 3]) }], includeEmpty: false });
    expect(report.problems[0]).toBe("steps.avro: file holds StepsRecord, not HeartRateVariabilityRmssdRecord");
    expect(report.problems[1]).toMatch(/^junk\.avro: could not be decoded: not an Avro container file/);
  });

  test("a failing initialize is reported under (lifecycle); assertProcessorSound lists every problem", async () => {
    const failing = { ...meanProcessor(sound), initialize: () => Promise.reject(new TypeError("no")) };
    const report = await checkProcessor(failing, { records: [READINGS] });
    expect(report.problems).toEqual(["(lifecycle): initialize() threw TypeError"]);
    const broken = meanProcessor((r, mean) => ({ narrative: `${String(r.length)} readings averaged ${String(mean)} ms, 12 overnight.` }));
    const error = await assertProcessorSound(broken, { records: [READINGS, READINGS] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessorCheckError);
    expect((error as Error).message).toBe(
      "HeartRateVariabilityRmssdRecord processor 0.0.1 broke 2 rule(s) over 3 input(s):\n" +
        "  - records[0]: narrative numbers not in clinicalInsights: 12\n" +
        "  - records[1]: narrative numbers not in clinicalInsights: 12",
    );
  });
});

describe("sampleMessage and sampleValidation", () => {
  test("defaults and overrides", () => {
    const m = sampleMessage("StepsRecord", { healthMetadata: { user_timezone_offset: "-05:00" } });
    expect(m).toMatchObject({ recordType: "StepsRecord", userId: SAMPLE_USER_ID, retryCount: 0, healthMetadata: { user_timezone_offset: "-05:00" } });
    const v = sampleValidation("StepsRecord", { recordCount: 12, qualityScore: 0.5, metadata: { temporal_score: 0.8 } });
    expect(v).toMatchObject({ isValid: true, qualityScore: 0.5, metadata: { record_count: 12, record_type: "StepsRecord", temporal_score: 0.8, completeness_score: 1 } });
  });
});
