import { describe, expect, test } from "vitest";
import { deduplicateById, deduplicateByKey } from "./deduplicate-by-id.ts";

const rec = (id: string, value: number) => ({ metadata: { id }, value });

describe("deduplicateById", () => {
  test.each([
    [[], [], 0],
    [[rec("a", 1)], [1], 0],
    [[rec("a", 1), rec("a", 2)], [1], 1],
    [[rec("a", 1), rec("b", 2), rec("a", 3), rec("b", 4), rec("c", 5)], [1, 2, 5], 2],
  ])("case %#", (input, values, removed) => {
    const result = deduplicateById(input);
    expect(result.records.map((r) => r.value)).toEqual(values);
    expect(result.duplicatesRemoved).toBe(removed);
  });

  test("two concatenated exports count each record once", () => {
    const file = [rec("x", 1), rec("y", 2), rec("z", 3)];
    expect(deduplicateById([...file, ...file]).records).toEqual(file);
  });

  test("deduplicateByKey keeps the first item per key", () => {
    const result = deduplicateByKey([{ t: 1, v: "a" }, { t: 1, v: "b" }, { t: 2, v: "c" }], (s) => s.t);
    expect(result.records.map((s) => s.v)).toEqual(["a", "c"]);
    expect(result.duplicatesRemoved).toBe(1);
  });
});
