import { normalizeRecordType, type RecordType, type ValidationMetadata, type ValidationResult } from "@narrative-engine/contracts";
import { PHYSIOLOGICAL_RANGES, isInRange } from "./physiological-ranges.ts";
import { DEFAULT_QUALITY_WEIGHTS, validateQualityWeights, type QualityWeights } from "./quality-weights.ts";
import { REQUIRED_FIELD_SPECS, isFiniteNumber, isObjectLike, matchesKind, readPath } from "./required-fields.ts";

/** Options of a {@link DataQualityValidator}. */
export interface DataQualityValidatorOptions {
  /** Component weights; each in [0, 1], summing to 1 ± 0.01. Default 0.3/0.3/0.2/0.2. */
  readonly weights?: QualityWeights;
  /** Files scoring below this are invalid (quarantined). Default 0.7. */
  readonly threshold?: number;
  /** More records than this is a permanent error. Default 100,000. */
  readonly maxRecordsPerFile?: number;
  /** Files larger than this (bytes, as passed to `validate`) are a permanent error. Default: no cap here. */
  readonly maxFileBytes?: number;
  /** Clock for the "in the future" check, epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  /** How far past `now()` a timestamp may lie before it counts as in the future. Default 5 minutes. */
  readonly futureSkewMs?: number;
}

/** Extra facts about the file a caller may pass to {@link DataQualityValidator.validate}. */
export interface ValidationContext {
  /** Size of the file in bytes, checked against `maxFileBytes`. */
  readonly fileSizeBytes?: number;
}

/** Default quality threshold: files scoring below it are quarantined. */
export const DEFAULT_QUALITY_THRESHOLD = 0.7;
/** Default maximum number of records in one file. */
export const DEFAULT_MAX_RECORDS_PER_FILE = 100_000;
/** Default allowance for clocks running ahead: 5 minutes. */
export const DEFAULT_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** Temporal factor applied when records (or samples inside a record) are out of time order. */
export const UNSORTED_TEMPORAL_FACTOR = 0.7;
/**
 * Extra allowance for interval ends: daily-total records (Samsung steps) end at the close of
 * the local day, hours after the phone uploads them.
 */
export const INTERVAL_END_ALLOWANCE_MS = 24 * 60 * 60 * 1000;

/** Keys of `metadata.dropped`, always present. */
export const DROPPED_CHECKS = [
  "schema",
  "physiological",
  "temporal_order",
  "end_before_start",
  "outside_interval",
  "future",
  "missing_timestamp",
] as const;

type DroppedCounts = Record<(typeof DROPPED_CHECKS)[number], number>;

const INSTANT_TYPES: ReadonlySet<RecordType> = new Set(["BloodGlucoseRecord", "HeartRateVariabilityRmssdRecord"]);

const VALUE_FIELD: Partial<Record<RecordType, string>> = {
  BloodGlucoseRecord: "levelInMilligramsPerDeciliter",
  StepsRecord: "count",
  ActiveCaloriesBurnedRecord: "energyInKilocalories",
  HeartRateVariabilityRmssdRecord: "heartRateVariabilityRmssd",
};

const HOUR_MS = 60 * 60 * 1000;

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function checkPositiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}

/**
 * Scores the data quality of one decoded file (clinical.md §2): schema, completeness,
 * physiological plausibility and temporal consistency, weighted into a 0–1 score. Records
 * are treated as unknown-shaped: a malformed record lowers the scores, it never throws.
 */
export class DataQualityValidator {
  /** Component weights in use. */
  readonly weights: QualityWeights;
  /** Quality threshold in use. */
  readonly threshold: number;
  /** Record limit in use. */
  readonly maxRecordsPerFile: number;
  /** File size limit in use (bytes), when any. */
  readonly maxFileBytes: number | undefined;
  /** Future skew in use (milliseconds). */
  readonly futureSkewMs: number;
  readonly #now: () => number;

  /** Throws a `RangeError` for weights that do not sum to 1 ± 0.01 or any other bad option. */
  constructor(options: DataQualityValidatorOptions = {}) {
    this.weights = validateQualityWeights(options.weights ?? DEFAULT_QUALITY_WEIGHTS);
    const threshold = options.threshold ?? DEFAULT_QUALITY_THRESHOLD;
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
      throw new RangeError(`quality threshold must be a number between 0 and 1, got ${String(threshold)}`);
    }
    this.threshold = threshold;
    this.maxRecordsPerFile = checkPositiveInteger("maxRecordsPerFile", options.maxRecordsPerFile ?? DEFAULT_MAX_RECORDS_PER_FILE);
    this.maxFileBytes = options.maxFileBytes === undefined ? undefined : checkPositiveInteger("maxFileBytes", options.maxFileBytes);
    const skew = options.futureSkewMs ?? DEFAULT_FUTURE_SKEW_MS;
    if (!Number.isFinite(skew) || skew < 0) throw new RangeError(`futureSkewMs must be a non-negative number, got ${String(skew)}`);
    this.futureSkewMs = skew;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Scores one file's records. `recordType` is normalised (an `Avro` prefix is accepted at run time); an unknown type
   * throws a `TypeError` (a caller bug, not bad data). Never throws on the records.
   */
  validate(recordType: RecordType, records: readonly unknown[], context: ValidationContext = {}): ValidationResult {
    const type = normalizeRecordType(recordType);
    const list: readonly unknown[] = Array.isArray(records) ? records : [];
    const dropped: DroppedCounts = Object.fromEntries(DROPPED_CHECKS.map((k) => [k, 0])) as DroppedCounts;
    const base = { record_count: list.length, record_type: type, threshold: this.threshold };

    const limitError = this.#limitError(list.length, context.fileSizeBytes);
    if (limitError !== undefined || list.length === 0) {
      const metadata: ValidationMetadata = {
        schema_valid: false,
        schema_score: 0,
        completeness_score: 0,
        physiological_score: 0,
        temporal_score: 0,
        ...base,
        dropped,
        values_checked: 0,
        limit_exceeded: limitError?.limit ?? null,
      };
      const error = limitError?.message ?? "file holds no records";
      return { isValid: false, qualityScore: 0, errors: [error], warnings: [], metadata };
    }

    const errors: string[] = [];
    const warnings: string[] = [];
    const n = list.length;

    // Schema and completeness: one pass over the required fields.
    const specs = REQUIRED_FIELD_SPECS[type];
    let schemaValid = 0;
    let completenessSum = 0;
    for (const record of list) {
      let present = 0;
      let valid = isObjectLike(record);
      for (const spec of specs) {
        const value = readPath(record, spec.segments);
        if (value !== undefined && value !== null) present += 1;
        if (valid && !matchesKind(value, spec.type)) valid = false;
      }
      completenessSum += specs.length === 0 ? 1 : present / specs.length;
      if (valid) schemaValid += 1;
    }
    dropped.schema = n - schemaValid;
    const schemaScore = schemaValid / n;
    const completeness = completenessSum / n;
    if (dropped.schema > 0) warnings.push(`${dropped.schema} of ${n} records miss required fields or hold values of the wrong type`);
    if (schemaScore < 0.5) errors.push(`only ${round4(schemaScore * 100)} % of records are schema-valid`);
    if (completeness < 0.5) errors.push(`completeness ${round4(completeness)} is below 0.5`);
    else if (completeness < 0.8) warnings.push(`completeness ${round4(completeness)} is below 0.8`);

    // Physiological plausibility of every value that is there to check.
    const range = PHYSIOLOGICAL_RANGES[type];
    let checked = 0;
    let inRange = 0;
    const checkValue = (value: number): void => {
      checked += 1;
      if (isInRange(value, range)) inRange += 1;
    };
    for (const record of list) {
      if (!isObjectLike(record)) continue;
      if (type === "HeartRateRecord") {
        const samples = record["samples"];
        if (!Array.isArray(samples)) continue;
        for (const sample of samples) {
          const bpm: unknown = isObjectLike(sample) ? sample["beatsPerMinute"] : undefined;
          if (isFiniteNumber(bpm)) checkValue(bpm);
        }
      } else if (type === "SleepSessionRecord") {
        const start = record["startTimeEpochMillis"];
        const end = record["endTimeEpochMillis"];
        // A session ending before it starts is the temporal check's finding, not a duration.
        if (isFiniteNumber(start) && isFiniteNumber(end) && end >= start) checkValue((end - start) / HOUR_MS);
      } else {
        const value = record[VALUE_FIELD[type] ?? ""];
        if (isFiniteNumber(value)) checkValue(value);
      }
    }
    dropped.physiological = checked - inRange;
    const physiological = share(inRange, checked);
    if (checked === 0) errors.push(`no ${range.what} values could be range-checked`);
    else if (physiological < 0.8) {
      warnings.push(`${dropped.physiological} of ${checked} ${range.what} values lie outside ${range.min}–${range.max} ${range.unit}`);
    }

    // Temporal consistency: per-record validity times an ordering factor.
    const temporal = this.#temporal(type, list, dropped);
    if (dropped.missing_timestamp > 0) warnings.push(`${dropped.missing_timestamp} records lack a usable timestamp`);
    if (dropped.end_before_start > 0) warnings.push(`${dropped.end_before_start} intervals end before they start`);
    if (dropped.outside_interval > 0) warnings.push(`${dropped.outside_interval} samples or stages lie outside their record's interval`);
    if (dropped.future > 0) warnings.push(`${dropped.future} records carry timestamps in the future`);
    if (dropped.temporal_order > 0) warnings.push(`records are not in time order (${dropped.temporal_order} inversions)`);
    if (temporal < 0.5) errors.push(`temporal score ${round4(temporal)} is below 0.5`);

    const w = this.weights;
    const qualityScore = round4(w.schema * schemaScore + w.completeness * completeness + w.physiological * physiological + w.temporal * temporal);
    const isValid = qualityScore >= this.threshold;
    if (!isValid) errors.push(`quality score ${qualityScore} is below the threshold ${this.threshold}`);

    const metadata: ValidationMetadata = {
      schema_valid: schemaValid === n,
      schema_score: round4(schemaScore),
      completeness_score: round4(completeness),
      physiological_score: round4(physiological),
      temporal_score: round4(temporal),
      ...base,
      dropped,
      values_checked: checked,
      limit_exceeded: null,
    };
    return { isValid, qualityScore, errors, warnings, metadata };
  }

  #limitError(count: number, fileSizeBytes: number | undefined): { limit: string; message: string } | undefined {
    if (count > this.maxRecordsPerFile) {
      return {
        limit: "max_records_per_file",
        message: `file holds ${count} records, over the limit of ${this.maxRecordsPerFile} (max_records_per_file)`,
      };
    }
    if (this.maxFileBytes !== undefined && fileSizeBytes !== undefined && fileSizeBytes > this.maxFileBytes) {
      return {
        limit: "max_file_bytes",
        message: `file is ${fileSizeBytes} bytes, over the limit of ${this.maxFileBytes} (max_file_bytes)`,
      };
    }
    return undefined;
  }

  /** Share of temporally valid records × (0.7 when anything is out of order, else 1). */
  #temporal(type: RecordType, list: readonly unknown[], dropped: DroppedCounts): number {
    const horizon = this.#now() + this.futureSkewMs;
    const endHorizon = horizon + INTERVAL_END_ALLOWANCE_MS;
    const instant = INSTANT_TYPES.has(type);
    let valid = 0;
    let previous: number | undefined;
    for (const record of list) {
      const r = isObjectLike(record) ? record : {};
      const primary = r[instant ? "timeEpochMillis" : "startTimeEpochMillis"];
      if (isFiniteNumber(primary)) {
        if (previous !== undefined && primary < previous) dropped.temporal_order += 1;
        previous = primary;
      }
      if (this.#recordTemporallyValid(type, instant, r, horizon, endHorizon, dropped)) valid += 1;
    }
    const factor = dropped.temporal_order > 0 ? UNSORTED_TEMPORAL_FACTOR : 1;
    return (valid / list.length) * factor;
  }

  #recordTemporallyValid(
    type: RecordType,
    instant: boolean,
    r: Record<string, unknown>,
    horizon: number,
    endHorizon: number,
    dropped: DroppedCounts,
  ): boolean {
    if (instant) {
      const time = r["timeEpochMillis"];
      if (!isFiniteNumber(time)) {
        dropped.missing_timestamp += 1;
        return false;
      }
      if (time > horizon) {
        dropped.future += 1;
        return false;
      }
      return true;
    }
    const start = r["startTimeEpochMillis"];
    const end = r["endTimeEpochMillis"];
    if (!isFiniteNumber(start) || !isFiniteNumber(end)) {
      dropped.missing_timestamp += 1;
      return false;
    }
    if (end < start) {
      dropped.end_before_start += 1;
      return false;
    }
    let ok = true;
    let future = start > horizon || end > endHorizon;
    if (type === "HeartRateRecord") {
      const samples = Array.isArray(r["samples"]) ? (r["samples"] as unknown[]) : [];
      let previous: number | undefined;
      let missing = false;
      for (const sample of samples) {
        const time: unknown = isObjectLike(sample) ? sample["timeEpochMillis"] : undefined;
        if (!isFiniteNumber(time)) {
          missing = true;
          continue;
        }
        // Samples exactly on the record's start or end are inside (the real exports do this).
        if (time < start || time > end) {
          dropped.outside_interval += 1;
          ok = false;
        }
        if (time > horizon) future = true;
        if (previous !== undefined && time < previous) dropped.temporal_order += 1;
        previous = time;
      }
      if (missing) {
        dropped.missing_timestamp += 1;
        ok = false;
      }
    } else if (type === "SleepSessionRecord") {
      const stages = Array.isArray(r["stages"]) ? (r["stages"] as unknown[]) : [];
      let missing = false;
      for (const stage of stages) {
        const s = isObjectLike(stage) ? stage : {};
        const stageStart = s["startTimeEpochMillis"];
        const stageEnd = s["endTimeEpochMillis"];
        if (!isFiniteNumber(stageStart) || !isFiniteNumber(stageEnd)) {
          missing = true;
          continue;
        }
        if (stageEnd < stageStart) {
          dropped.end_before_start += 1;
          ok = false;
        } else if (stageStart < start || stageEnd > end) {
          dropped.outside_interval += 1;
          ok = false;
        }
        if (stageStart > horizon) future = true;
      }
      if (missing) {
        dropped.missing_timestamp += 1;
        ok = false;
      }
    }
    if (future) {
      dropped.future += 1;
      ok = false;
    }
    return ok;
  }
}
