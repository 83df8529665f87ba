import type { ClinicalInsights } from "@narrative-engine/contracts";
import { describe, expect, test } from "vitest";
import { insightNumbers, missingNarrativeNumbers, numbersInNarrative } from "./narrative-numbers.ts";

/** The rule as stated: narrative tokens not among insightNumbers' strings, de-duplicated in order. */
const byDefinition = (narrative: string, insights: ClinicalInsights): string[] => {
  const held = new Set(insightNumbers(insights));
  return [...new Set(numbersInNarrative(narrative).filter((t) => !held.has(t)))];
};

describe("missingNarrativeNumbers compares numbers by value, with the same answer as comparing their strings", () => {
  const insights: ClinicalInsights = {
    mean: 111.48,
    zero: -0,
    big: 3933,
    tiny: 0.1 + 0.2,
    nested: { list: [15, 2.5, { deep: 1e21 }], text: "2019 Consensus, 70-180 mg/dL at 07:05 on 2025-09-20", none: null, flag: true },
    nan: Number.NaN,
  };
  test.each([
    ["Mean 111.48 mg/dL, 3,933 steps, 15.00 min and 2.50 h."],
    ["Values 0, -0, 0.0 and 0.30000000000000004 and 0.3."],
    ["Range 70-180 and 54-69, HbA1c Q1 N3, from 07:05 to 7:05 and 7:06, on 2025-09-20 and 2025-09-21."],
    ["Huge 1000000000000000000000 and 999999999999999999999999 and 12345678901234567890."],
    ["Unbacked 42 and 42 again, 111.480 and 111.481, -15 and UTC-05:00."],
    ["No numbers here."],
    [""],
  ])("%s", (narrative) => {
    expect(missingNarrativeNumbers(narrative, insights)).toEqual(byDefinition(narrative, insights));
  });

  test("a NaN or infinite insight value backs nothing", () => {
    expect(missingNarrativeNumbers("NaN 1", { a: Number.POSITIVE_INFINITY })).toEqual(["1"]);
  });
});
