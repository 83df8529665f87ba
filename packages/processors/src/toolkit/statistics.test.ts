import { describe, expect, test } from "vitest";
import { coefficientOfVariation, mean, median, percentWhere, percentile, quantile, quantileBySelection, quantileOfSorted, quartiles, quartilesBySelection, sampleStandardDeviation, sortedAscending, sortedFloat64, summarize } from "./statistics.ts";

describe("mean, sample SD, CV", () => {
  test.each([
    [[1, 2, 3, 4], 2.5, 1.2909944487358056, 51.63977794943222],
    [[10, 10, 10], 10, 0, 0],
    [[2, 4, 4, 4, 5, 5, 7, 9], 5, 2.138089935299395, 42.7617987059879],
  ])("%j → mean %s, SD %s, CV %s", (values, m, sd, cv) => {
    expect(mean(values)).toBeCloseTo(m, 12);
    expect(sampleStandardDeviation(values)).toBeCloseTo(sd, 12);
    expect(coefficientOfVariation(values)).toBeCloseTo(cv, 10);
  });

  test("SD and CV need two values; CV needs a non-zero mean", () => {
    expect(sampleStandardDeviation([5])).toBeNull();
    expect(coefficientOfVariation([5])).toBeNull();
    expect(coefficientOfVariation([-1, 1])).toBeNull();
  });

  test("empty lists are rejected", () => {
    expect(() => mean([])).toThrow(RangeError);
    expect(() => median([])).toThrow(/empty/);
    expect(() => summarize([])).toThrow(/empty/);
  });
});

describe("percentiles (type 7, linear interpolation)", () => {
  const values = [15, 20, 35, 40, 50];
  test.each([
    [0, 15],
    [0.25, 20],
    [0.4, 29],
    [0.5, 35],
    [0.75, 40],
    [1, 50],
  ])("quantile p=%s → %s", (p, expected) => {
    expect(quantile(values, p)).toBeCloseTo(expected, 12);
  });

  test.each([
    [[1, 2, 3, 4], 2.5],
    [[3, 1, 2], 2],
    [[7], 7],
  ])("median %j = %s", (v, expected) => {
    expect(median(v)).toBe(expected);
  });

  test("percentile takes 0–100 and rejects out-of-range p", () => {
    expect(percentile(values, 25)).toBe(20);
    expect(() => quantile(values, 1.5)).toThrow(/0\.\.1/);
  });

  test("quartiles and IQR", () => {
    expect(quartiles([1, 2, 3, 4, 5, 6, 7, 8])).toEqual({ q1: 2.75, median: 4.5, q3: 6.25, iqr: 3.5 });
  });

  test("summarize", () => {
    const s = summarize([3, 1, 2]);
    expect(s).toMatchObject({ n: 3, mean: 2, sd: 1, cvPercent: 50, min: 1, max: 3, median: 2, q1: 1.5, q3: 2.5, iqr: 1 });
  });

  test("percentWhere", () => {
    expect(percentWhere([1, 2, 3, 4], (v) => v > 2)).toBe(50);
    expect(percentWhere([], () => true)).toBe(0);
  });
});

describe("fast paths agree with the comparator sort", () => {
  let seed = 7;
  const next = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  // Lengths 1..200, few distinct values (runs of equal gaps) or many, sometimes already sorted.
  const lists: number[][] = [];
  for (let i = 0; i < 300; i++) {
    const length = 1 + Math.floor(next() * 200);
    const distinct = i % 3 === 0 ? 3 : 1000;
    const list = Array.from({ length }, () => Math.floor(next() * distinct) * 0.1 - (i % 5 === 0 ? 20 : 0));
    lists.push(i % 4 === 0 ? list.sort((a, b) => a - b) : list);
  }

  test("quantileBySelection gives the type-7 quantile of the sorted values", () => {
    for (const list of lists) {
      const sorted = [...list].sort((a, b) => a - b);
      for (const p of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]) expect(quantileBySelection(Float64Array.from(list), p)).toBe(quantileOfSorted(sorted, p));
    }
  });

  test("quartilesBySelection gives quartiles(); adversarial orders stay correct", () => {
    for (const list of lists) expect(quartilesBySelection(Float64Array.from(list))).toEqual(quartiles(list));
    const organPipe = Array.from({ length: 5000 }, (_, i) => (i < 2500 ? i : 5000 - i));
    const sawtooth = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 101);
    for (const list of [organPipe, sawtooth]) expect(quartilesBySelection(Float64Array.from(list))).toEqual(quartiles(list));
  });

  test("sortedFloat64 and sortedAscending order as (a, b) => a - b does; NaN and -0 take the comparator path", () => {
    for (const list of lists) expect(Array.from(sortedFloat64(list) ?? [])).toEqual([...list].sort((a, b) => a - b));
    expect(sortedFloat64([1, Number.NaN])).toBeUndefined();
    expect(sortedFloat64([0, -0])).toBeUndefined();
    expect(sortedAscending([3, -0, 0, 1])).toEqual([-0, 0, 1, 3]);
    expect(() => quantileBySelection(new Float64Array(0), 0.5)).toThrow(RangeError);
  });
});
