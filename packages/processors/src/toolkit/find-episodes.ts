/**
 * Episodes: runs of consecutive readings beyond a threshold lasting at least N minutes
 * (e.g. glucose < 70 mg/dL for ≥ 15 min, heart rate ≥ 100 bpm for ≥ 10 min).
 *
 * Readings are sorted by time. A run is a maximal sequence of consecutive readings that all
 * satisfy `predicate`, where no two neighbours are more than `maxGapMs` apart (a larger gap
 * or a reading that fails the predicate ends the run). A run's duration is
 * `last − first + sampleDurationMs`: with `sampleDurationMs` set to the cadence each reading
 * stands for its own interval, so three consecutive 5-min CGM readings make 15 minutes.
 * Runs shorter than `minDurationMs` are not episodes.
 */

/** A timestamped value. */
export interface TimedValue {
  /** Epoch milliseconds. */
  readonly time: number;
  /** The value (already rounded when thresholds apply to rounded values). */
  readonly value: number;
}

/** Options of {@link findEpisodes}. */
export interface EpisodeOptions {
  /** Minimum duration of an episode, ms. */
  readonly minDurationMs: number;
  /** Largest gap allowed between neighbouring readings inside one run, ms. */
  readonly maxGapMs: number;
  /** Duration each reading stands for, added to last − first (default 0). */
  readonly sampleDurationMs?: number;
}

/** One episode. */
export interface Episode {
  /** First reading's time, epoch ms. */
  readonly start: number;
  /** Last reading's time, epoch ms. */
  readonly end: number;
  /** Duration, ms (see the module comment). */
  readonly durationMs: number;
  /** Readings in the run. */
  readonly count: number;
  /** Lowest value in the run. */
  readonly min: number;
  /** Highest value in the run. */
  readonly max: number;
}

/** Finds the episodes where `predicate(value)` holds (see the module comment). */
export function findEpisodes(
  readings: readonly TimedValue[],
  predicate: (value: number) => boolean,
  options: EpisodeOptions,
): Episode[] {
  const sampleMs = options.sampleDurationMs ?? 0;
  const sorted = [...readings].sort((a, b) => a.time - b.time);
  const episodes: Episode[] = [];
  let run: TimedValue[] = [];
  const close = (): void => {
    const first = run[0];
    const last = run[run.length - 1];
    if (first !== undefined && last !== undefined) {
      const durationMs = last.time - first.time + sampleMs;
      if (durationMs >= options.minDurationMs) {
        const values = run.map((r) => r.value);
        episodes.push({ start: first.time, end: last.time, durationMs, count: run.length, min: Math.min(...values), max: Math.max(...values) });
      }
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
