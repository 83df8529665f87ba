import { describe, expect, test } from "vitest";
import { formatFixed, formatNumber, round0, round1, round2, roundTo } from "./rounding.ts";

describe("round1 (before every threshold)", () => {
  test.each([
    [88.99999999999999, 89],
    [69.99999999999999, 70],
    [120.99999999999999, 121],
    [151.00000000000003, 151],
    [53.95, 54],
    [53.94, 53.9],
    [180.05, 180.1],
    [180.04999, 180],
    [2.25, 2.3],
    [-2.25, -2.3],
    [0.05, 0.1],
    [-0.04, 0],
    [0, 0],
  ])("round1(%s) = %s", (input, expected) => {
    expect(round1(input)).toBe(expected);
    expect(Object.is(round1(input), -0)).toBe(false);
  });
});

describe("roundTo", () => {
  test.each([
    [1.005, 2, 1.01],
    [111.47826086956522, 2, 111.48],
    [14.998297579950744, 2, 15],
    [13.454011089659405, 2, 13.45],
    [5.97656, 2, 5.98],
    [96.04743083003953, 2, 96.05],
    [2.5, 0, 3],
    [-2.5, 0, -3],
    [1234.5678, 3, 1234.568],
  ])("roundTo(%s, %s) = %s", (value, decimals, expected) => {
    expect(roundTo(value, decimals)).toBe(expected);
  });

  test("round0 and round2 are shorthands", () => {
    expect(round0(69.5)).toBe(70);
    expect(round2(0.125)).toBe(0.13);
  });

  test.each([[Number.NaN], [Number.POSITIVE_INFINITY]])("rejects %s", (value) => {
    expect(() => roundTo(value, 1)).toThrow(/non-finite/);
  });

  test("rejects bad decimals", () => {
    expect(() => roundTo(1, -1)).toThrow(/decimals/);
    expect(() => roundTo(1, 1.5)).toThrow(/decimals/);
  });
});

describe("formatNumber", () => {
  test.each([
    [111.47826086956522, 2, {}, "111.48"],
    [14.998297579950744, 2, {}, "15.00"],
    [100, 2, { trim: true }, "100"],
    [96.05, 2, { trim: true }, "96.05"],
    [3.5, 2, { trim: true }, "3.5"],
    [0, 2, { trim: true }, "0"],
    [3933, 0, { group: true }, "3,933"],
    [1234567.891, 1, { group: true }, "1,234,567.9"],
    [-12345, 0, { group: true }, "-12,345"],
    [999, 0, { group: true }, "999"],
    [88.99999999999999, 1, {}, "89.0"],
  ])("formatNumber(%s, %s, %j) = %s", (value, decimals, options, expected) => {
    expect(formatNumber(value, decimals, options)).toBe(expected);
  });

  test("formatFixed keeps trailing zeros", () => {
    expect(formatFixed(15, 2)).toBe("15.00");
  });
});
