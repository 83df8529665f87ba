import { describe, expect, test } from "vitest";
import { message, steps, uid, validation, wholeDay } from "./__fixtures__/activity-sleep-records.ts";
import { createDefaultRegistry } from "./create-default-registry.ts";
import { ActiveCaloriesProcessor, HeartRateProcessor, SleepProcessor, StepsProcessor } from "./index.ts";

describe("heart-rate, sleep, steps and active-calories processors in the default registry", () => {
  test.each([
    ["HeartRateRecord", HeartRateProcessor],
    ["SleepSessionRecord", SleepProcessor],
    ["StepsRecord", StepsProcessor],
    ["ActiveCaloriesBurnedRecord", ActiveCaloriesProcessor],
  ] as const)("%s is registered with version 1.0.0", (type, cls) => {
    const processor = createDefaultRegistry().get(type);
    expect(processor).toBeInstanceOf(cls);
    expect(processor.version).toBe("1.0.0");
  });

  test("initialize and cleanup are safe to call twice", async () => {
    for (const processor of [new HeartRateProcessor(), new SleepProcessor(), new StepsProcessor(), new ActiveCaloriesProcessor()]) {
      await processor.initialize();
      await processor.initialize();
      await processor.cleanup();
      await processor.cleanup();
    }
  });

  test("the registry runs the steps processor end to end", async () => {
    const { start, end } = wholeDay("2025-09-15");
    const records = [steps({ id: uid("r"), start, end, count: 6400, modified: "2025-09-16T00:30:00.000-05:00" })];
    const result = await createDefaultRegistry().process("StepsRecord", records, message("StepsRecord"), validation("StepsRecord", 1));
    expect(result.success).toBe(true);
    expect(result.recordsProcessed).toBe(1);
    expect(result.narrative).toContain('"low active"');
  });
});
