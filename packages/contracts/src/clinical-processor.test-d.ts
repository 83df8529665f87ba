import { describe, expectTypeOf, test } from "vitest";
import {
  processorFor,
  type ClinicalProcessor,
  type HeartRateRecord,
  type ProcessorMap,
  type RecordOf,
  type SleepSessionRecord,
} from "./index.ts";

declare const heartRate: ClinicalProcessor<"HeartRateRecord">;

describe("ClinicalProcessor typing", () => {
  test("a heart-rate processor receives heart-rate records", () => {
    expectTypeOf<Parameters<typeof heartRate.processWithClinicalInsights>[0]>().toEqualTypeOf<readonly HeartRateRecord[]>();
    expectTypeOf<RecordOf<"SleepSessionRecord">>().toEqualTypeOf<SleepSessionRecord>();
    expectTypeOf(heartRate.recordType).toEqualTypeOf<"HeartRateRecord">();
  });

  test("it registers under its own record type", () => {
    const map: ProcessorMap = { HeartRateRecord: heartRate };
    expectTypeOf(map.HeartRateRecord).toEqualTypeOf<ClinicalProcessor<"HeartRateRecord"> | undefined>();
    expectTypeOf(processorFor("HeartRateRecord", heartRate)).toEqualTypeOf<ClinicalProcessor<"HeartRateRecord">>();
  });

  test("it cannot be registered for another record type", () => {
    // @ts-expect-error a heart-rate processor is not a sleep processor
    const map: ProcessorMap = { SleepSessionRecord: heartRate };
    // @ts-expect-error processorFor checks the type against the processor
    processorFor("SleepSessionRecord", heartRate);
    // @ts-expect-error not assignable to a processor of another type
    const sleep: ClinicalProcessor<"SleepSessionRecord"> = heartRate;
    expectTypeOf(map).toEqualTypeOf<ProcessorMap>();
    expectTypeOf(sleep).toEqualTypeOf<ClinicalProcessor<"SleepSessionRecord">>();
  });
});
