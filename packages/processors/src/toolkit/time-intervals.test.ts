import { describe, expect, test } from "vitest";
import { localDate } from "./local-time.ts";
import {
  clusterOverlapping,
  intervalsOverlap,
  isPartialDay,
  localDayBounds,
  mergeIntervals,
  overlapMs,
  splitByLocalDay,
} from "./time-intervals.ts";

const H = 3_600_000;
const at = (iso: string): number => Date.parse(iso);

describe("intervalsOverlap / overlapMs", () => {
  test.each([
    [{ startMs: 0, endMs: 10 }, { startMs: 5, endMs: 15 }, true, 5],
    [{ startMs: 0, endMs: 10 }, { startMs: 10, endMs: 15 }, false, 0],
    [{ startMs: 0, endMs: 10 }, { startMs: 2, endMs: 3 }, true, 1],
    [{ startMs: 5, endMs: 5 }, { startMs: 0, endMs: 10 }, true, 0],
    [{ startMs: 10, endMs: 10 }, { startMs: 0, endMs: 10 }, false, 0],
    [{ startMs: 0, endMs: 10 }, { startMs: 0, endMs: 0 }, true, 0],
    [{ startMs: 3, endMs: 3 }, { startMs: 3, endMs: 3 }, true, 0],
    [{ startMs: 3, endMs: 3 }, { startMs: 4, endMs: 4 }, false, 0],
  ])("%j and %j overlap: %s (%i ms)", (a, b, overlaps, ms) => {
    expect(intervalsOverlap(a, b)).toBe(overlaps);
    expect(intervalsOverlap(b, a)).toBe(overlaps);
    expect(overlapMs(a, b)).toBe(ms);
  });
});

describe("mergeIntervals", () => {
  test("joins overlapping and touching intervals, sorted", () => {
    expect(
      mergeIntervals([
        { startMs: 20, endMs: 30 },
        { startMs: 0, endMs: 10 },
        { startMs: 10, endMs: 12 },
        { startMs: 25, endMs: 40 },
      ]),
    ).toEqual([
      { startMs: 0, endMs: 12 },
      { startMs: 20, endMs: 40 },
    ]);
  });
  test("empty input gives an empty union", () => {
    expect(mergeIntervals([])).toEqual([]);
  });
});

describe("clusterOverlapping", () => {
  test("chains of overlaps form one cluster; disjoint items stay apart; order is deterministic", () => {
    const items = [
      { id: "c", startMs: 50, endMs: 60 },
      { id: "a", startMs: 0, endMs: 10 },
      { id: "b", startMs: 8, endMs: 20 },
      { id: "b2", startMs: 19, endMs: 25 },
    ];
    const clusters = clusterOverlapping(items, (x) => x);
    expect(clusters.map((c) => c.map((x) => x.id))).toEqual([["a", "b", "b2"], ["c"]]);
  });
  test("an instant inside an interval joins it", () => {
    const clusters = clusterOverlapping(
      [
        { startMs: 0, endMs: 10 },
        { startMs: 5, endMs: 5 },
      ],
      (x) => x,
    );
    expect(clusters).toHaveLength(1);
  });
});

describe("local days", () => {
  test("local dates come from the given offset, never the host zone", () => {
    // 02:30 UTC on 20 Sep is still 19 Sep at -05:00.
    expect(localDate(at("2025-09-20T02:30:00Z"), -300)).toBe("2025-09-19");
    expect(localDate(at("2025-09-20T02:30:00Z"), 0)).toBe("2025-09-20");
    expect(localDate(at("2025-09-19T20:30:00Z"), 330)).toBe("2025-09-20");
  });

  test("localDayBounds gives the UTC instants of local midnight", () => {
    expect(localDayBounds("2025-09-20", -300)).toEqual({ startMs: at("2025-09-20T05:00:00Z"), endMs: at("2025-09-21T05:00:00Z") });
    expect(() => localDayBounds("20-09-2025", 0)).toThrow(RangeError);
  });

  test("a Samsung daily total (00:00–23:59:59.999 local) stays on its day", () => {
    const pieces = splitByLocalDay({ startMs: 1758344400000, endMs: 1758430799999 }, -300);
    expect(pieces).toEqual([{ day: "2025-09-20", startMs: 1758344400000, endMs: 1758430799999, fraction: 1 }]);
  });

  test("an interval across local midnight is apportioned by time", () => {
    const start = at("2025-09-20T03:00:00Z"); // 22:00 on 19 Sep at -05:00
    const pieces = splitByLocalDay({ startMs: start, endMs: start + 4 * H }, -300);
    expect(pieces.map((p) => [p.day, p.fraction])).toEqual([
      ["2025-09-19", 0.5],
      ["2025-09-20", 0.5],
    ]);
  });

  test("an instant gives one piece with fraction 1", () => {
    const t = at("2025-09-20T12:00:00Z");
    expect(splitByLocalDay({ startMs: t, endMs: t }, 0)).toEqual([{ day: "2025-09-20", startMs: t, endMs: t, fraction: 1 }]);
  });
});

describe("isPartialDay", () => {
  const { endMs } = localDayBounds("2025-09-20", -300);
  test.each([
    [at("2025-09-20T22:10:56Z"), true], // 17:10:56 local, the real Samsung export
    [endMs - 1, true],
    [endMs, false],
    [endMs + H, false],
  ])("last modified %i → partial %s", (lastModified, partial) => {
    expect(isPartialDay(lastModified, endMs)).toBe(partial);
  });
});
