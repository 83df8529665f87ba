import { describe, expect, test } from "vitest";
import { findEpisodes } from "./find-episodes.ts";

const MIN = 60_000;
const series = (values: readonly number[], stepMin = 5, startMin = 0) => values.map((value, i) => ({ time: (startMin + i * stepMin) * MIN, value }));
const below70 = (v: number) => v < 70;
const cgm = { minDurationMs: 15 * MIN, maxGapMs: 10 * MIN, sampleDurationMs: 5 * MIN };

describe("findEpisodes (CGM, 5-min readings, ≥ 15 min)", () => {
  test.each([
    { name: "two readings (10 min) are not an episode", values: [80, 65, 65, 80], episodes: [] as number[] },
    { name: "three readings (15 min) are one", values: [80, 65, 65, 65, 80], episodes: [15] },
    { name: "a reading back in range splits runs", values: [65, 65, 65, 75, 65, 65, 65, 65], episodes: [15, 20] },
    { name: "70.0 is not below 70", values: [70, 70, 70, 70], episodes: [] },
    { name: "all below", values: [60, 60, 60, 60, 60, 60], episodes: [30] },
  ])("$name", ({ values, episodes }) => {
    expect(findEpisodes(series(values), below70, cgm).map((e) => e.durationMs / MIN)).toEqual(episodes);
  });

  test("a gap larger than maxGap ends a run", () => {
    const readings = [...series([60, 60], 5, 0), ...series([60, 60], 5, 30)];
    expect(findEpisodes(readings, below70, cgm)).toEqual([]);
  });

  test("one missed reading (10-min gap) is tolerated", () => {
    const readings = [...series([60, 60], 5, 0), ...series([60], 5, 15)];
    const [episode] = findEpisodes(readings, below70, cgm);
    expect(episode).toMatchObject({ count: 3, durationMs: 20 * MIN, min: 60, max: 60 });
  });

  test("input order does not matter and min/max are reported", () => {
    const readings = series([65, 50, 60, 90]).reverse();
    expect(findEpisodes(readings, below70, cgm)).toEqual([{ start: 0, end: 10 * MIN, durationMs: 15 * MIN, count: 3, min: 50, max: 65 }]);
  });
});
