import { describe, expect, test } from "vitest";
import { ageFromMetadata } from "./age-from-metadata.ts";
import { joinLabels, sourceLabel } from "./source-labels.ts";

describe("sourceLabel / joinLabels", () => {
  test.each([
    ["com.sec.android.app.shealth", "Samsung Health"],
    ["com.ouraring.oura", "Oura"],
    ["org.example.unknown", "org.example.unknown"],
  ])("%s → %s", (pkg, label) => {
    expect(sourceLabel(pkg)).toBe(label);
  });
  test.each([
    [[], ""],
    [["Oura"], "Oura"],
    [["Oura", "Samsung Health"], "Oura and Samsung Health"],
    [["A", "B", "C"], "A, B and C"],
  ])("%j joins to %j", (labels, text) => {
    expect(joinLabels(labels)).toBe(text);
  });
});

describe("ageFromMetadata", () => {
  test.each([
    [undefined, undefined],
    [{}, undefined],
    [{ age: 45 }, 45],
    [{ age: "45" }, 45],
    [{ age_years: 62.7 }, 62],
    [{ user_age: 30 }, 30],
    [{ age: 0 }, undefined],
    [{ age: 130 }, undefined],
    [{ age: "forty" }, undefined],
    [{ age: "" }, undefined],
    [{ age: null, user_age: 50 }, 50],
  ])("%j → %s", (metadata, age) => {
    expect(ageFromMetadata(metadata)).toBe(age);
  });
});
