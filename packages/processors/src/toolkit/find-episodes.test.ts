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

describe("the same episodes as the straightforward algorithm", () => {
  // The rule as first written (a sorted copy, a run array per episode), as the reference.
  function reference(readings: readonly { time: number; value: number }[], predicate: (v: number) => boolean, options: { minDurationMs: number; maxGapMs: number; sampleDurationMs?: number }) {
    const sampleMs = options.sampleDurationMs ?? 0;
    const sorted = [...readings].sort((a, b) => a.time - b.time);
    const episodes: { start: number; end: number; durationMs: number; count: number; min: number; max: number }[] = [];
    let run: { time: number; value: number }[] = [];
    const close = (): void => {
      const first = run[0];
      const last = run[run.length - 1];
      if (first !== undefined && last !== undefined && last.time - first.time + sampleMs >= options.minDurationMs) {
        const values = run.map((r) => r.value);
        episodes.push({ start: first.time, end: last.time, durationMs: last.time - first.time + sampleMs, count: run.length, min: Math.min(...values), max: Math.max(...values) });
      }
      run = [];
    };
    for (const reading of sorted) {
      if (!predicate(reading.value)) {
        close();
        continue;
      }
      const previous = run[run.length - 1];
      if (previous !== undefined && reading.time - previous.time > options.maxGapMs) close();
      run.push(reading);
    }
    close();
    return episodes;
  }

  let seed = 5;
  const next = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  test("on random series, sorted or not, with repeated times", () => {
    for (let round = 0; round < 300; round++) {
      let t = 0;
      const readings = Array.from({ length: Math.floor(next() * 80) }, () => {
        t += Math.floor(next() * 3) * 5 * MIN;
        return { time: t, value: 40 + Math.floor(next() * 60) };
      });
      const input = round % 2 === 0 ? readings : [...readings].reverse();
      expect(findEpisodes(input, below70, cgm)).toEqual(reference(input, below70, cgm));
    }
  });
});
