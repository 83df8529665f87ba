export { round0, round1, round2, roundTo, formatFixed, formatNumber, type FormatNumberOptions } from "./rounding.ts";
export {
  USER_OFFSET_METADATA_KEYS,
  formatZoneOffset,
  parseZoneOffset,
  resolveZoneOffset,
  summarizeOffsets,
  userOffsetFromMetadata,
  type OffsetSource,
  type OffsetSummary,
  type ResolvedOffset,
} from "./zone-offset.ts";
export {
  WEEKDAYS,
  groupByLocalDay,
  groupByLocalHour,
  hourLabel,
  localClock,
  localDate,
  localDateTimeLabel,
  localHour,
  localWeekday,
  toLocalDateTime,
  type LocalDateTime,
  type LocalTimeAccessor,
  type Weekday,
} from "./local-time.ts";
export { deduplicateById, deduplicateByKey, type DeduplicationResult, type HasMetadataId } from "./deduplicate-by-id.ts";
export {
  selectSourcePerInterval,
  type IntervalAccessor,
  type SelectSourceOptions,
  type SourceConflict,
  type SourceSelection,
} from "./select-source-per-interval.ts";
export {
  coefficientOfVariation,
  mean,
  median,
  percentWhere,
  percentile,
  quantile,
  quantileOfSorted,
  quartiles,
  sampleStandardDeviation,
  sortedAscending,
  summarize,
  type Quartiles,
  type Summary,
} from "./statistics.ts";
export { captureRate, inferCadenceMs, type Capture } from "./cadence.ts";
export { findEpisodes, type Episode, type EpisodeOptions, type TimedValue } from "./find-episodes.ts";
export { NarrativeBuilder } from "./narrative-builder.ts";
export { insightNumbers, missingNarrativeNumbers, numbersInNarrative } from "./narrative-numbers.ts";
export { clusterOverlapping, intervalsOverlap, isPartialDay, localDayBounds, mergeIntervals, overlapMs, splitByLocalDay, type LocalDayPiece, type TimeInterval } from "./time-intervals.ts";
export { dailyTotalsOneSource, type DailyTotal, type IntervalAmount, type SourceDayTotal } from "./daily-totals.ts";
export { SOURCE_LABELS, joinLabels, sourceLabel } from "./source-labels.ts";
export { AGE_METADATA_KEYS, ageFromMetadata } from "./age-from-metadata.ts";
export { timedResult, type AnalysisOutcome } from "./timed-result.ts";
export { sourceChoiceSentence } from "./source-choice-sentence.ts";
export { preparePointReadings, type PointReading, type PointReadingOptions, type PreparedPointReadings } from "./prepare-point-readings.ts";
