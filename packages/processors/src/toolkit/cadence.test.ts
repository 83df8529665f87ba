import { describe, expect, test } from "vitest";
import { captureRate, inferCadenceMs } from "./cadence.ts";

const MIN = 60_000;

describe("inferCadenceMs", () => {
  test.each([
    [[], undefined],
    [[0], undefined],
    [[0, 0], undefined],
    [[0, 5 * MIN, 10 * MIN, 20 * MIN], 5 * MIN],
    [[10 * MIN, 0, 5 * MIN], 5 * MIN],
    [[0, 60_000, 120_000, 120_000, 180_000], 60_000],
  ])("%j → %s", (times, cadence) => {
    expect(inferCadenceMs(times)).toBe(cadence);
  });
});

describe("captureRate", () => {
  test.each([
    { name: "no gaps", times: [0, 5, 10, 15].map((m) => m * MIN), expected: 4, capture: 100 },
    { name: "one missing", times: [0, 5, 15].map((m) => m * MIN), expected: 4, capture: 75 },
    { name: "jitter rounds to the nearest slot", times: [0, 5.1, 9.9, 15.2].map((m) => m * MIN), expected: 4, capture: 100 },
    { name: "one reading", times: [0], expected: 1, capture: 100 },
  ])("$name", ({ times, expected, capture }) => {
    const result = captureRate(times, 5 * MIN);
    expect(result?.expected).toBe(expected);
    expect(result?.capturePercent).toBe(capture);
  });

  test("empty or a bad cadence gives undefined", () => {
    expect(captureRate([], 5 * MIN)).toBeUndefined();
    expect(captureRate([0, 1], 0)).toBeUndefined();
  });
});
