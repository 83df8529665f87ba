// The example processor's tests: the processor kit over the real exports (when available) and
// over records built here. Only the published surface is imported.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { HeartRateRecord } from "@narrative-engine/contracts";
import { assertProcessorSound, sampleMessage, sampleValidation } from "@narrative-engine/processors/testing";
import { describe, expect, test } from "vitest";
import { MeanHeartRateProcessor } from "./mean-heart-rate-processor.ts";

// Real exports, or generated ones: `narrative-engine generate --out <dir>` and point
// HEALTH_CONNECT_SAMPLES at it. In this repo the real exports sit beside the checkout.
const samples = process.env["HEALTH_CONNECT_SAMPLES"] ?? resolve(import.meta.dirname, "../../../../../shared/samples/health-connect");

const MINUTE = 60_000;
function record(id: string, start: number, bpms: readonly number[], zone: string | null = "-05:00", source = "com.ouraring.oura"): HeartRateRecord {
  return {
    metadata: {
      id,
      dataOriginPackageName: source,
      lastModifiedTimeEpochMillis: start,
      clientRecordId: `client-${id}`,
      clientRecordVersion: 1,
      device: { manufacturer: "Oura", model: "Oura Ring Gen3", type: "RING" },
    },
    startTimeEpochMillis: start,
    endTimeEpochMillis: start + bpms.length * MINUTE,
    startZoneOffsetId: zone,
    endZoneOffsetId: zone,
    samples: bpms.map((beatsPerMinute, i) => ({ timeEpochMillis: start + i * MINUTE, beatsPerMinute })),
    appRecordFetchTimeEpochMillis: start + bpms.length * MINUTE,
  };
}
const T0 = Date.UTC(2025, 8, 20, 3);
const NIGHT = [record("a1", T0, [58, 61, 64.25]), record("a2", T0 + 10 * MINUTE, [70, 72])];

describe("MeanHeartRateProcessor", () => {
  test.skipIf(!existsSync(samples))("keeps every processor rule on the real exports", async () => {
    const report = await assertProcessorSound(new MeanHeartRateProcessor(), { files: [samples] });
    expect(report.files.length).toBeGreaterThan(1);
  });

  test("keeps every processor rule on built records, with and without a user offset", async () => {
    const overrides = { message: { healthMetadata: { user_timezone_offset: "+09:30" } } };
    await assertProcessorSound(new MeanHeartRateProcessor(), { records: [NIGHT, [...NIGHT, ...NIGHT], [record("z", T0, [80], "Z")]] });
    await assertProcessorSound(new MeanHeartRateProcessor(), { ...overrides, records: [NIGHT, [record("z", T0, [80], "Z")]] });
  });

  test("figures, local dates from the record's offset, the health_metadata override for Z", async () => {
    const processor = new MeanHeartRateProcessor();
    const result = await processor.processWithClinicalInsights(NIGHT, sampleMessage("HeartRateRecord"), sampleValidation("HeartRateRecord"));
    expect(result.clinicalInsights).toMatchObject({ sample_count: 5, mean_bpm: 65.1, min_bpm: 58, max_bpm: 72, first_local_date: "2025-09-19", utc_offset: "-05:00" });
    const z = [record("z", T0, [80], "Z")];
    const tokyo = await processor.processWithClinicalInsights(z, sampleMessage("HeartRateRecord", { healthMetadata: { user_timezone_offset: "+09:00" } }), sampleValidation("HeartRateRecord"));
    expect(tokyo.clinicalInsights).toMatchObject({ first_local_date: "2025-09-20", utc_offset: "+09:00" });
  });

  test("no plausible sample: DataQualityError (the file is quarantined)", async () => {
    const processor = new MeanHeartRateProcessor();
    await expect(processor.processWithClinicalInsights([record("x", T0, [0, 400])], sampleMessage("HeartRateRecord"), sampleValidation("HeartRateRecord"))).rejects.toMatchObject({
      errorType: "data_quality",
    });
  });
});
