// An example processor built only from the published surface (@narrative-engine/contracts).
// It describes the mean heart rate of one file; see README.md beside it.
import {
  DataQualityError,
  type ClinicalInsights,
  type ClinicalProcessor,
  type HealthDataMessage,
  type HeartRateRecord,
  type ProcessingResult,
  type ValidationResult,
} from "@narrative-engine/contracts";

/** Samples outside this range are left out (the validation plausibility range). */
const PLAUSIBLE_BPM = { min: 30, max: 220 } as const;
/** Keys of `message.healthMetadata` that may hold the user's UTC offset, e.g. "-05:00". */
const USER_OFFSET_KEYS = ["user_timezone_offset", "utc_offset", "timezone_offset", "user_utc_offset", "zone_offset_id"] as const;

/** Round half away from zero to one decimal, never -0. */
function round1(value: number): number {
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * 10)) / 10;
  return rounded === 0 ? 0 : rounded;
}

/** Minutes east of UTC for "Z", "UTC" or "±HH:MM"; undefined for anything else. */
function parseOffset(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  if (text === "Z" || text === "UTC") return 0;
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return minutes > 18 * 60 ? undefined : (match[1] === "-" ? -1 : 1) * minutes;
}

function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/**
 * The record's own non-zero offset wins; when it says "Z", nothing or something unparseable,
 * the user's offset from `health_metadata` is used; otherwise UTC. Never the host time zone.
 */
function offsetMinutes(record: HeartRateRecord, message: HealthDataMessage): number {
  const own = parseOffset(record.startZoneOffsetId);
  if (own !== undefined && own !== 0) return own;
  for (const key of USER_OFFSET_KEYS) {
    const user = parseOffset(message.healthMetadata?.[key]);
    if (user !== undefined) return user;
  }
  return 0;
}

function localDate(epochMs: number, offset: number): string {
  return new Date(epochMs + offset * 60_000).toISOString().slice(0, 10);
}

/** Describes the mean, lowest and highest heart rate of one file, from one source app. */
export class MeanHeartRateProcessor implements ClinicalProcessor<"HeartRateRecord"> {
  readonly recordType = "HeartRateRecord" as const;
  readonly version = "0.1.0";

  async initialize(): Promise<void> {
    // Nothing to prepare; must be safe to call twice.
  }

  async cleanup(): Promise<void> {
    // Nothing to release; must be safe to call twice.
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the contract is async; this processor needs no I/O
  async processWithClinicalInsights(records: readonly HeartRateRecord[], message: HealthDataMessage, validation: ValidationResult): Promise<ProcessingResult> {
    const started = performance.now();
    const failure = (errorMessage: string): ProcessingResult => ({
      success: false,
      errorMessage,
      processingTimeSeconds: (performance.now() - started) / 1000,
      recordsProcessed: 0,
      qualityScore: validation.qualityScore,
      clinicalInsights: { error_type: "processing_error" },
    });
    if (records.length === 0) return failure("no heart-rate records to describe");

    // Duplicates (the same metadata.id, e.g. from a re-export) count once: first one wins.
    const seen = new Set<string>();
    const unique = records.filter((r) => !seen.has(r.metadata.id) && seen.add(r.metadata.id));

    // Overlapping sources are never combined: use the app with the most samples (ties: name).
    const bySource = new Map<string, HeartRateRecord[]>();
    for (const r of unique) bySource.set(r.metadata.dataOriginPackageName, [...(bySource.get(r.metadata.dataOriginPackageName) ?? []), r]);
    const count = (rs: readonly HeartRateRecord[]): number => rs.reduce((n, r) => n + r.samples.length, 0);
    const [source, used] = [...bySource].sort(([a, x], [b, y]) => count(y) - count(x) || (a < b ? -1 : 1))[0] ?? ["", []];

    const samples = used.flatMap((r) => r.samples.map((s) => ({ record: r, time: s.timeEpochMillis, bpm: round1(s.beatsPerMinute) })));
    const plausible = samples.filter((s) => Number.isFinite(s.bpm) && s.bpm >= PLAUSIBLE_BPM.min && s.bpm <= PLAUSIBLE_BPM.max);
    // Records with no believable sample at all are a verdict on the data: quarantine the file.
    if (plausible.length === 0) throw new DataQualityError("no heart-rate sample within 30-220 bpm");
    plausible.sort((a, b) => a.time - b.time || a.bpm - b.bpm);

    const bpms = plausible.map((s) => s.bpm);
    const meanBpm = round1(bpms.reduce((a, b) => a + b, 0) / bpms.length);
    const minBpm = Math.min(...bpms);
    const maxBpm = Math.max(...bpms);
    const first = plausible[0];
    const last = plausible.at(-1);
    if (first === undefined || last === undefined) return failure("no heart-rate samples to describe");
    const offset = offsetMinutes(first.record, message);
    const insights: ClinicalInsights = {
      sample_count: plausible.length,
      implausible_samples_excluded: samples.length - plausible.length,
      duplicate_records_removed: records.length - unique.length,
      sources_seen: bySource.size,
      source_used: source,
      mean_bpm: meanBpm,
      min_bpm: minBpm,
      max_bpm: maxBpm,
      first_local_date: localDate(first.time, offset),
      last_local_date: localDate(last.time, offset),
      utc_offset: formatOffset(offset),
    };
    // Every number printed here is in `insights`, formatted the way String() writes it.
    const period =
      insights["first_local_date"] === insights["last_local_date"]
        ? `On ${localDate(first.time, offset)}`
        : `From ${localDate(first.time, offset)} to ${localDate(last.time, offset)}`;
    const narrative =
      `${period} (local time, UTC${formatOffset(offset)}), ${String(plausible.length)} heart-rate samples from one app ` +
      `averaged ${String(meanBpm)} bpm, ranging from ${String(minBpm)} to ${String(maxBpm)} bpm. ` +
      "These are wearable estimates that describe this period only.";
    return {
      success: true,
      narrative,
      processingTimeSeconds: (performance.now() - started) / 1000,
      recordsProcessed: used.length,
      qualityScore: validation.qualityScore,
      clinicalInsights: insights,
    };
  }
}
