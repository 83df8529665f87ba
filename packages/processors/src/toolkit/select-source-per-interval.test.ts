import { describe, expect, test } from "vitest";
import { selectSourcePerInterval, type IntervalAccessor } from "./select-source-per-interval.ts";

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

describe("the same selection as the straightforward algorithm", () => {
  // The rule as first written (an object per item, a sort, a Map per cluster), kept here as the
  // reference the faster implementation must match on random input.
  function reference<T>(items: readonly T[], acc: IntervalAccessor<T>, tolerance = 0) {
    const weight = acc.weight ?? ((item: T) => Math.max(acc.end(item) - acc.start(item), 1));
    const sorted = items
      .map((item, index) => ({ item, index, start: acc.start(item), end: Math.max(acc.end(item), acc.start(item) + 1) }))
      .sort((a, b) => a.start - b.start || a.end - b.end || a.index - b.index);
    const kept: T[] = [];
    const dropped: T[] = [];
    const conflicts: { start: number; end: number; sources: string[]; chosen: string; dropped: number }[] = [];
    let cluster: typeof sorted = [];
    let clusterEnd = Number.NEGATIVE_INFINITY;
    const flush = (): void => {
      if (cluster.length === 0) return;
      const bySource = new Map<string, { weight: number; count: number }>();
      for (const entry of cluster) {
        const agg = bySource.get(acc.source(entry.item)) ?? { weight: 0, count: 0 };
        agg.weight += weight(entry.item);
        agg.count += 1;
        bySource.set(acc.source(entry.item), agg);
      }
      if (bySource.size === 1) for (const entry of cluster) kept.push(entry.item);
      else {
        const names = [...bySource.keys()].sort();
        let chosen = names[0] ?? "";
        for (const name of names.slice(1)) {
          const a = bySource.get(name)!;
          const b = bySource.get(chosen)!;
          if (a.weight > b.weight || (a.weight === b.weight && a.count > b.count)) chosen = name;
        }
        let n = 0;
        for (const entry of cluster) {
          if (acc.source(entry.item) === chosen) kept.push(entry.item);
          else {
            dropped.push(entry.item);
            n += 1;
          }
        }
        conflicts.push({ start: cluster[0]!.start, end: clusterEnd, sources: names, chosen, dropped: n });
      }
      cluster = [];
    };
    for (const entry of sorted) {
      if (!(cluster.length > 0 && entry.start < clusterEnd + tolerance)) {
        flush();
        clusterEnd = entry.end;
      } else clusterEnd = Math.max(clusterEnd, entry.end);
      cluster.push(entry);
    }
    flush();
    return { kept, dropped, conflicts };
  }

  let seed = 11;
  const next = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  test("on random, partly ordered, overlapping intervals from up to three sources", () => {
    for (let round = 0; round < 200; round++) {
      const count = Math.floor(next() * 60);
      let t = 0;
      const items = Array.from({ length: count }, (_, i) => {
        t += Math.floor(next() * 4);
        const start = round % 3 === 0 ? Math.floor(next() * 50) : t;
        return it(`x${i}`, ["A", "B", "C"][Math.floor(next() * (1 + (round % 3)))] ?? "A", start, start + Math.floor(next() * 6));
      });
      const tolerance = round % 4 === 0 ? 2 : 0;
      const actual = selectSourcePerInterval(items, accessor, { toleranceMs: tolerance });
      expect(actual).toEqual(reference(items, accessor, tolerance));
    }
  });
});
