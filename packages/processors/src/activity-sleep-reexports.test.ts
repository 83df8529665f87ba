import { decodeHealthConnect } from "@narrative-engine/avro";
import type { HealthConnectRecord, RecordType } from "@narrative-engine/contracts";
import { describeWithSamples, readSample } from "@narrative-engine/test-kit";
import { expect, test } from "vitest";
import { message, validation } from "./__fixtures__/activity-sleep-records.ts";
import { expectSoundNarrative } from "./__fixtures__/narrative-checks.ts";
import { createDefaultRegistry } from "./create-default-registry.ts";

const BATCHES = ["1758407139312", "1758407245091", "1758407386729"];

describeWithSamples("the three re-exported batches concatenated count each record once", () => {
  test.each([
    ["HeartRateRecord", 78],
    ["SleepSessionRecord", 2],
    ["StepsRecord", 2],
    ["ActiveCaloriesBurnedRecord", 1],
  ] as const)("%s: %i records after de-duplication, same narrative as one batch", async (type: RecordType, expected: number) => {
    const registry = createDefaultRegistry();
    const batches = BATCHES.map((b) => decodeHealthConnect(readSample(`${type}_${b}.avro`), { expectedType: type }).records as HealthConnectRecord[]);
    const all = batches.flat();
    const m = message(type);
    const combined = await registry.process(type, all, m, validation(type, all.length));
    const single = await registry.process(type, batches[0] ?? [], m, validation(type, batches[0]?.length ?? 0));
    expectSoundNarrative(combined, all, m);
    expect(combined.recordsProcessed).toBe(expected);
    expect(combined.clinicalInsights["duplicate_records_removed"]).toBe(all.length - expected);
    // Only the duplicate count differs, so the figures are those of a single batch.
    const strip = (text: string | undefined): string => (text ?? "").replace(/ \d+ repeated (records were|record was|sessions were|session was) counted once\./, "");
    expect(strip(combined.narrative)).toBe(strip(single.narrative));
  });
});
