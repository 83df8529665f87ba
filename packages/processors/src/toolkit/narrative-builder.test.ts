import { ProcessingError } from "@narrative-engine/contracts";
import { describe, expect, test } from "vitest";
import { NarrativeBuilder } from "./narrative-builder.ts";
import { insightNumbers, missingNarrativeNumbers, numbersInNarrative } from "./narrative-numbers.ts";

describe("numbersInNarrative", () => {
  test.each([
    ["Mean 111.48 mg/dL (SD 15.00).", ["111.48", "15"]],
    ["Samsung counted 3,933 steps.", ["3933"]],
    ["On 2025-09-20 at 07:30 (UTC-05:00).", ["2025-09-20", "07:30", "05:00"]],
    ["between 7:05 and 23:59", ["07:05", "23:59"]],
    ["time in 54-69 mg/dL and 70–180 mg/dL", ["54", "69", "70", "180"]],
    ["a change of -0.3 ms", ["-0.3"]],
    ["GRI zone A, ln(RMSSD)", []],
    ["HbA1c, Q1 and N3 are names; Q3 was 122", ["122"]],
    ["96.05% of readings; 100% in range", ["96.05", "100"]],
  ])("%j → %j", (text, tokens) => {
    expect(numbersInNarrative(text)).toEqual(tokens);
  });
});

describe("insightNumbers", () => {
  test("flattens numbers and tokens inside strings, nested", () => {
    const numbers = insightNumbers({
      mean_mg_dl: 111.48,
      sd: 15,
      ranges: { target: "70-180" },
      days: [{ date: "2025-09-20", first: "2025-09-20 07:30" }],
      reference: "2019 International Consensus",
      flag: true,
      none: null,
    });
    expect(numbers).toEqual(["111.48", "15", "70", "180", "2025-09-20", "07:30", "2019"]);
  });

  test("missingNarrativeNumbers lists what insights lack", () => {
    expect(missingNarrativeNumbers("Mean 111.5 and SD 15.00 on 2025-09-20.", { mean: 111.48, sd: 15, date: "2025-09-20" })).toEqual(["111.5"]);
  });
});

describe("NarrativeBuilder", () => {
  test("formats, remembers and joins sentences and paragraphs", () => {
    const b = new NarrativeBuilder();
    expect(b.num(111.478, 1)).toBe("111.5");
    b.add(`Mean ${b.num(111.48, 2)} mg/dL.`, `Captured ${b.pct(96.05, 2, { trim: true })}.`);
    b.paragraph().paragraph();
    b.add(`Steps ${b.int(3933)} on ${b.literal("2025-09-20")}.`);
    expect(b.printed).toEqual(["111.5", "111.48", "96.05", "3,933", "2025-09-20"]);
    expect(b.toString()).toBe("Mean 111.48 mg/dL. Captured 96.05%.\n\nSteps 3,933 on 2025-09-20.");
  });

  test("build passes when insights hold every number", () => {
    const b = new NarrativeBuilder().add("Mean 111.48 mg/dL on 2025-09-20.");
    expect(b.build({ mean: 111.48, day: "2025-09-20" })).toBe("Mean 111.48 mg/dL on 2025-09-20.");
  });

  test("build throws ProcessingError naming a number missing from insights", () => {
    const b = new NarrativeBuilder();
    b.add(`Mean ${b.num(111.48, 1)} mg/dL.`);
    expect(() => b.build({ mean: 111.48 })).toThrow(ProcessingError);
    expect(() => b.build({ mean: 111.48 })).toThrow(/111\.5/);
  });
});
