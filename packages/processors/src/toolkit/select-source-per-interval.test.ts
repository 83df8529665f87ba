import { describe, expect, test } from "vitest";
import { selectSourcePerInterval } from "./select-source-per-interval.ts";

interface Item {
  readonly s: number;
  readonly e: number;
  readonly src: string;
  readonly tag: string;
}
const accessor = { start: (i: Item) => i.s, end: (i: Item) => i.e, source: (i: Item) => i.src };
const it = (tag: string, src: string, s: number, e: number): Item => ({ tag, src, s, e });

describe("selectSourcePerInterval", () => {
  test.each([
    {
      name: "one source keeps everything",
      items: [it("a1", "A", 0, 10), it("a2", "A", 5, 20)],
      kept: ["a1", "a2"],
      conflicts: 0,
    },
    {
      name: "non-overlapping sources are both kept",
      items: [it("a1", "A", 0, 10), it("b1", "B", 10, 20)],
      kept: ["a1", "b1"],
      conflicts: 0,
    },
    {
      name: "overlap: longer coverage wins",
      items: [it("a1", "A", 0, 60), it("b1", "B", 10, 20), it("b2", "B", 30, 40)],
      kept: ["a1"],
      conflicts: 1,
    },
    {
      name: "equal coverage: more items win",
      items: [it("a1", "A", 0, 20), it("b1", "B", 0, 10), it("b2", "B", 10, 20)],
      kept: ["b1", "b2"],
      conflicts: 1,
    },
    {
      name: "full tie: smaller package name wins",
      items: [it("z1", "com.z", 0, 10), it("a1", "com.a", 0, 10)],
      kept: ["a1"],
      conflicts: 1,
    },
    {
      name: "transitive clusters are one interval",
      items: [it("a1", "A", 0, 10), it("b1", "B", 5, 15), it("a2", "A", 14, 30)],
      kept: ["a1", "a2"],
      conflicts: 1,
    },
    {
      name: "point samples overlap only at the same instant",
      items: [it("a1", "A", 100, 100), it("b1", "B", 100, 100), it("b2", "B", 200, 200)],
      kept: ["a1", "b2"],
      conflicts: 1,
    },
  ])("$name", ({ items, kept, conflicts }) => {
    const result = selectSourcePerInterval(items, accessor);
    expect(result.kept.map((i) => i.tag)).toEqual(kept);
    expect(result.conflicts.length).toBe(conflicts);
    expect(result.kept.length + result.dropped.length).toBe(items.length);
  });

  test("an explicit priority overrides coverage", () => {
    const items = [it("a1", "A", 0, 60), it("b1", "B", 10, 20)];
    const result = selectSourcePerInterval(items, accessor, { priority: ["B"] });
    expect(result.kept.map((i) => i.tag)).toEqual(["b1"]);
    expect(result.conflicts[0]).toMatchObject({ sources: ["A", "B"], chosen: "B", dropped: 1 });
  });

  test("a custom weight (sample counts) changes the choice", () => {
    const items = [it("a1", "A", 0, 60), it("b1", "B", 10, 20)];
    const weighted = selectSourcePerInterval(items, { ...accessor, weight: (i) => (i.src === "B" ? 100 : 1) });
    expect(weighted.kept.map((i) => i.tag)).toEqual(["b1"]);
  });

  test("the result does not depend on input order", () => {
    const items = [it("a1", "A", 0, 20), it("b1", "B", 0, 10), it("b2", "B", 10, 20)];
    const forward = selectSourcePerInterval(items, accessor).kept.map((i) => i.tag);
    const backward = selectSourcePerInterval([...items].reverse(), accessor).kept.map((i) => i.tag);
    expect(backward).toEqual(forward);
  });
});
