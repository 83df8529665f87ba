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
  // perf: readings usually come sorted; a stable sort of sorted input changes nothing, so skip it.
  const sorted = isSortedByTime(readings) ? readings : [...readings].sort((a, b) => a.time - b.time);
  const n = sorted.length;
  const times = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = sorted[i]!;
    times[i] = r.time;
    values[i] = r.value;
  }
  return findEpisodesInColumns(times, values, predicate, options);
}

function isSortedByTime(readings: readonly TimedValue[]): boolean {
  for (let i = 1; i < readings.length; i++) if (!(readings[i - 1]!.time <= readings[i]!.time)) return false;
  return true;
}

/**
 * {@link findEpisodes} on readings already sorted by time, as two columns (`times[i]`,
 * `values[i]`): one pass, no allocation per reading.
 */
export function findEpisodesInColumns(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  predicate: (value: number) => boolean,
  options: EpisodeOptions,
): Episode[] {
  const sampleMs = options.sampleDurationMs ?? 0;
  const episodes: Episode[] = [];
  // The current run: readings first..last (inclusive), or none when first < 0.
  let first = -1;
  let last = -1;
  let min = 0;
  let max = 0;
  const close = (): void => {
    if (first >= 0) {
      const start = times[first] ?? 0;
      const end = times[last] ?? 0;
      const durationMs = end - start + sampleMs;
      if (durationMs >= options.minDurationMs) episodes.push({ start, end, durationMs, count: last - first + 1, min, max });
    }
    first = -1;
  };
  for (let i = 0; i < times.length; i++) {
    const value = values[i] ?? 0;
    if (!predicate(value)) {
      close();
      continue;
    }
    if (first >= 0 && (times[i] ?? 0) - (times[last] ?? 0) > options.maxGapMs) close();
    if (first < 0) {
      first = i;
      min = value;
      max = value;
    } else {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    last = i;
  }
  close();
  return episodes;
}
