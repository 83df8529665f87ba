// Builders for heart-rate, sleep, steps and active-calories records in tests. Times are given
// as local wall-clock strings with an explicit offset ("2025-09-20T01:56:00-05:00") so a
// fixture reads like the real exports.
import type {
  ActiveCaloriesBurnedRecord,
  HealthDataMessage,
  HeartRateRecord,
  RecordType,
  SleepSessionRecord,
  SleepStageType,
  StepsRecord,
  ValidationResult,
} from "@narrative-engine/contracts";

/** Samsung Health's package name, as in the real exports. */
export const SAMSUNG = "com.sec.android.app.shealth";
/** Oura's package name, as in the real exports. */
export const OURA = "com.ouraring.oura";

/** Epoch milliseconds of an ISO 8601 string that carries its own offset. */
export function ms(iso: string): number {
  const value = Date.parse(iso);
  if (Number.isNaN(value)) throw new RangeError(`bad fixture time ${iso}`);
  return value;
}

function offsetOf(iso: string): string {
  const match = /(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (match?.[1] === undefined) throw new RangeError(`fixture time needs an offset: ${iso}`);
  return match[1];
}

interface BaseOptions {
  readonly id: string;
  readonly source?: string;
  /** Last modification, ISO with offset; defaults to the record's end. */
  readonly modified?: string;
  /** Overrides the zone written to the record (e.g. "Z" with the offset carried elsewhere). */
  readonly zone?: string | null;
}

function base(options: BaseOptions, endIso: string) {
  const modified = ms(options.modified ?? endIso);
  return {
    metadata: {
      id: options.id,
      dataOriginPackageName: options.source ?? SAMSUNG,
      lastModifiedTimeEpochMillis: modified,
      clientRecordId: null,
      clientRecordVersion: 0,
      device: { manufacturer: null, model: null, type: options.source === OURA ? "RING" : "UNKNOWN" },
    },
    appRecordFetchTimeEpochMillis: modified + 60_000,
  };
}

function interval(options: BaseOptions, start: string, end: string) {
  const zone = options.zone === undefined ? offsetOf(start) : options.zone;
  return {
    startTimeEpochMillis: ms(start),
    endTimeEpochMillis: ms(end),
    startZoneOffsetId: zone,
    endZoneOffsetId: options.zone === undefined ? offsetOf(end) : options.zone,
  };
}

/** A heart-rate record; `samples` are `[iso time, bpm]`. Start/end default to the first/last sample. */
export function heartRate(
  options: BaseOptions & { readonly samples: readonly (readonly [string, number])[]; readonly start?: string; readonly end?: string },
): HeartRateRecord {
  const first = options.samples[0]?.[0];
  const last = options.samples.at(-1)?.[0];
  const start = options.start ?? first;
  const end = options.end ?? last;
  if (start === undefined || end === undefined) throw new RangeError("heart-rate fixture needs samples or start/end");
  return {
    ...base(options, end),
    ...interval(options, start, end),
    samples: options.samples.map(([t, bpm]) => ({ timeEpochMillis: ms(t), beatsPerMinute: bpm })),
  };
}

/** Samples every `stepSeconds` from `startIso` with bpm from `bpmAt(index)`. */
export function series(startIso: string, count: number, stepSeconds: number, bpmAt: (i: number) => number): [string, number][] {
  const start = ms(startIso);
  const zone = offsetOf(startIso);
  const out: [string, number][] = [];
  for (let i = 0; i < count; i++) out.push([isoAt(start + i * stepSeconds * 1000, zone), bpmAt(i)]);
  return out;
}

/** ISO 8601 text of an instant written in the given offset ("Z" or "±HH:MM"). */
export function isoAt(epochMs: number, zone: string): string {
  const minutes = zone === "Z" ? 0 : (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const local = new Date(epochMs + minutes * 60_000).toISOString().slice(0, 23);
  return `${local}${zone}`;
}

/** A sleep session; `stages` are `[start iso, end iso, stage]`. */
export function sleepSession(
  options: BaseOptions & {
    readonly start: string;
    readonly end: string;
    readonly stages?: readonly (readonly [string, string, SleepStageType])[];
    readonly title?: string | null;
  },
): SleepSessionRecord {
  return {
    ...base(options, options.end),
    ...interval(options, options.start, options.end),
    title: options.title ?? null,
    notes: null,
    durationMillis: ms(options.end) - ms(options.start),
    stages: (options.stages ?? []).map(([s, e, stage]) => ({ startTimeEpochMillis: ms(s), endTimeEpochMillis: ms(e), stage })),
  };
}

/** Consecutive stages from `startIso`: `[minutes, stage]` pairs laid end to end. */
export function stageRun(startIso: string, parts: readonly (readonly [number, SleepStageType])[]): [string, string, SleepStageType][] {
  const zone = offsetOf(startIso);
  let cursor = ms(startIso);
  return parts.map(([minutes, stage]) => {
    const from = cursor;
    cursor += minutes * 60_000;
    return [isoAt(from, zone), isoAt(cursor, zone), stage];
  });
}

/** A steps record over `[start, end]`. */
export function steps(options: BaseOptions & { readonly start: string; readonly end: string; readonly count: number }): StepsRecord {
  return { ...base(options, options.end), ...interval(options, options.start, options.end), count: options.count };
}

/** An active-calories record over `[start, end]`. */
export function activeCalories(
  options: BaseOptions & { readonly start: string; readonly end: string; readonly kcal: number },
): ActiveCaloriesBurnedRecord {
  return { ...base(options, options.end), ...interval(options, options.start, options.end), energyInKilocalories: options.kcal };
}

/** A whole local day as Samsung writes it: `YYYY-MM-DDT00:00:00` to `23:59:59.999` at `zone`. */
export function wholeDay(day: string, zone = "-05:00"): { start: string; end: string } {
  return { start: `${day}T00:00:00.000${zone}`, end: `${day}T23:59:59.999${zone}` };
}

/** A normalised message for `recordType`, with optional `health_metadata`. */
export function message(recordType: RecordType, healthMetadata?: Record<string, unknown>): HealthDataMessage {
  return {
    bucket: "health-data",
    key: `raw/user-test/${recordType}_1.avro`,
    userId: "user-7f3a9c",
    recordType,
    uploadTimestampUtc: "2025-09-20T22:30:00Z",
    fileSizeBytes: 1024,
    contentHash: undefined,
    messageId: "msg-1",
    correlationId: "corr-1",
    idempotencyKey: "0123456789abcdef",
    idempotencyKeyDerived: false,
    retryCount: 0,
    maxRetries: undefined,
    priority: undefined,
    recordCount: undefined,
    healthMetadata,
    extra: {},
  };
}

/** A passing validation result for `count` records of `recordType`. */
export function validation(recordType: RecordType, count: number): ValidationResult {
  return {
    isValid: true,
    qualityScore: 0.95,
    errors: [],
    warnings: [],
    metadata: {
      schema_valid: true,
      completeness_score: 1,
      physiological_score: 1,
      temporal_score: 1,
      record_count: count,
      record_type: recordType,
      dropped: {},
    },
  };
}

/** A record id shaped like Health Connect's (a UUID), distinct per label, never a word a narrative could contain. */
export function uid(label: string | number): string {
  let h = 0x811c9dc5;
  for (const ch of String(label)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  const hex = h.toString(16).padStart(8, "0");
  return `${hex}-5a1e-4c0d-9e7f-${hex}${hex.slice(0, 4)}`;
}
