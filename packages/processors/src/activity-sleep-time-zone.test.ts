import { decodeHealthConnect } from "@narrative-engine/avro";
import type { RecordType } from "@narrative-engine/contracts";
import { describeWithSamples, readSample } from "@narrative-engine/test-kit";
import { afterEach, expect, test, vi } from "vitest";
import { message, validation } from "./__fixtures__/activity-sleep-records.ts";
import { createDefaultRegistry } from "./create-default-registry.ts";

const FILES: readonly [RecordType, string][] = [
  ["HeartRateRecord", "HeartRateRecord_1758407139312.avro"],
  ["SleepSessionRecord", "SleepSessionRecord_1758554834823.avro"],
  ["StepsRecord", "StepsRecord_1758407139312.avro"],
  ["ActiveCaloriesBurnedRecord", "ActiveCaloriesBurnedRecord_1758407139312.avro"],
];

async function narrativeOf(type: RecordType, name: string): Promise<string> {
  const { records } = decodeHealthConnect(readSample(name), { expectedType: type });
  const result = await createDefaultRegistry().process(type, records, message(type), validation(type, records.length));
  return `${result.narrative ?? ""}\n${JSON.stringify(result.clinicalInsights)}`;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describeWithSamples("host time zone never matters", () => {
  test.each(FILES)("%s (%s) reads the same in UTC, Chatham (+13:45) and Honolulu (-10:00)", async (type, name) => {
    vi.stubEnv("TZ", "UTC");
    const utc = await narrativeOf(type, name);
    vi.stubEnv("TZ", "Pacific/Chatham");
    const chatham = await narrativeOf(type, name);
    vi.stubEnv("TZ", "Pacific/Honolulu");
    const honolulu = await narrativeOf(type, name);
    expect(chatham).toBe(utc);
    expect(honolulu).toBe(utc);
    expect(utc).toContain("-05:00");
  });
});
