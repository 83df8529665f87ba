import { describe, expect, test } from "vitest";
import { glucoseBand, glucoseManagementIndicator, glycemiaRiskIndex, griZone, inTightRange } from "./glucose-ranges.ts";

describe("glucoseBand: every consensus boundary, on the value rounded to 0.1", () => {
  test.each([
    [20, "very_low"],
    [53.9, "very_low"],
    [53.94, "very_low"],
    [53.95, "low"],
    [54.0, "low"],
    [69.9, "low"],
    [69.94, "low"],
    [69.99999999999999, "in_range"],
    [70.0, "in_range"],
    [111.48, "in_range"],
    [180.0, "in_range"],
    [180.04, "in_range"],
    [180.1, "high"],
    [250.0, "high"],
    [250.04, "high"],
    [250.1, "very_high"],
    [600, "very_high"],
  ])("%s mg/dL → %s", (value, band) => {
    expect(glucoseBand(value)).toBe(band);
  });
});

describe("tight range 70–140", () => {
  test.each([
    [69.9, false],
    [69.99999999999999, true],
    [70, true],
    [140, true],
    [140.04, true],
    [140.1, false],
  ])("%s → %s", (value, inside) => {
    expect(inTightRange(value)).toBe(inside);
  });
});

describe("GRI", () => {
  test.each([
    [{ veryLow: 0, low: 0, high: 0, veryHigh: 0 }, 0],
    [{ veryLow: 1, low: 2, high: 10, veryHigh: 5 }, 3 + 4.8 + 8 + 8],
    [{ veryLow: 30, low: 10, high: 0, veryHigh: 0 }, 100],
  ])("%j → %s", (percents, gri) => {
    expect(glycemiaRiskIndex(percents)).toBeCloseTo(gri, 10);
  });

  test.each([
    [0, "A"],
    [20, "A"],
    [20.04, "A"],
    [20.1, "B"],
    [40, "B"],
    [40.1, "C"],
    [60, "C"],
    [60.1, "D"],
    [80, "D"],
    [80.1, "E"],
    [100, "E"],
  ])("GRI %s → zone %s", (gri, zone) => {
    expect(griZone(gri)).toBe(zone);
  });
});

test("GMI = 3.31 + 0.02392 × mean", () => {
  expect(glucoseManagementIndicator(111.47826086956522)).toBeCloseTo(5.97656, 10);
  expect(glucoseManagementIndicator(154)).toBeCloseTo(6.99368, 10);
});
