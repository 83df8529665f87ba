import type {
  ActiveCaloriesBurnedRecord,
  BloodGlucoseRecord,
  HealthConnectDevice,
  HealthConnectMetadata,
  HeartRateRecord,
  HeartRateSample,
  HeartRateVariabilityRmssdRecord,
  RecordTypeMap,
  SleepSessionRecord,
  SleepStage,
  SleepStageType,
  StepsRecord,
} from "@narrative-engine/contracts";
import { SeededRandom } from "./seeded-random.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Package names and devices of the apps that write the real exports. */
export const SOURCES = {
  dexcom: { packageName: "com.dexcom.stelo", device: { manufacturer: "Dexcom Inc", model: "com.dexcom.stelo", type: "UNKNOWN" } },
  samsung: { packageName: "com.sec.android.app.shealth", device: { manufacturer: null, model: null, type: "UNKNOWN" } },
  oura: { packageName: "com.ouraring.oura", device: { manufacturer: null, model: null, type: "RING" } },
} as const satisfies Record<string, { packageName: string; device: HealthConnectDevice }>;

/** What to generate for one user. */
export interface SyntheticUserOptions {
  /** Seed of the whole data set; the same seed gives the same records. */
  readonly seed: string;
  /** Index of the user in the data set (0-based); part of the user's own seed. */
  readonly userIndex: number;
  /** Number of days. */
  readonly days: number;
  /** First local day, `YYYY-MM-DD`. */
  readonly startDate: string;
}

/** The per-user physiology the record generators share. */
export interface SyntheticProfile {
  /** The user's UTC offset for every source except the CGM (which writes `Z`, like the real Stelo files). */
  readonly zoneOffsetId: string;
  readonly glucoseBaseline: number;
  readonly mealResponse: number;
  readonly restingHeartRate: number;
  readonly hrvBaseline: number;
  readonly bedtimeMinutes: number;
  readonly sleepHours: number;
  readonly dailySteps: number;
}

/** One night (or nap) as the two wearables saw it. */
interface Night {
  readonly samsung: { readonly start: number; readonly end: number };
  readonly oura: { readonly start: number; readonly end: number; readonly uuid: string } | undefined;
  readonly nap: boolean;
}

/** One synthetic user's export: records of every type and the export (fetch) time. */
export interface SyntheticExport {
  /** Synthetic user id, e.g. `synthetic-user-001`. */
  readonly userId: string;
  /** The export's fetch time, epoch ms; also the timestamp in the file names. */
  readonly exportTimestamp: number;
  readonly profile: SyntheticProfile;
  readonly records: { readonly [T in keyof RecordTypeMap]: readonly RecordTypeMap[T][] };
}

const OFFSETS = ["-05:00", "-05:00", "-04:00", "-06:00", "-08:00", "Z", "+01:00", "+02:00", "+05:30", "+09:00"] as const;

function offsetMs(zone: string): number {
  if (zone === "Z") return 0;
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(zone);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return (match[1] === "-" ? -1 : 1) * minutes * MINUTE;
}

/** The user id of user `index` (0-based). */
export function syntheticUserId(index: number): string {
  return `synthetic-user-${String(index + 1).padStart(3, "0")}`;
}

class UserTimeline {
  readonly rng: (stream: string) => SeededRandom;
  readonly profile: SyntheticProfile;
  readonly offset: number;
  /** Local midnight of each day, epoch ms, plus the midnight after the last day. */
  readonly midnights: readonly number[];
  readonly exportTimestamp: number;
  readonly nights: readonly Night[];

  constructor(options: SyntheticUserOptions) {
    const base = `${options.seed}:user:${options.userIndex}`;
    this.rng = (stream) => new SeededRandom(`${base}:${stream}`);
    const r = this.rng("profile");
    this.profile = {
      zoneOffsetId: r.pick(OFFSETS),
      glucoseBaseline: r.range(88, 110),
      mealResponse: r.range(25, 60),
      restingHeartRate: r.int(52, 68),
      hrvBaseline: r.range(18, 55),
      bedtimeMinutes: r.range(-90, 45),
      sleepHours: r.range(6.3, 8.2),
      dailySteps: r.range(3_500, 11_000),
    };
    this.offset = offsetMs(this.profile.zoneOffsetId);
    const first = Date.parse(`${options.startDate}T00:00:00Z`) - this.offset;
    this.midnights = Array.from({ length: options.days + 1 }, (_, d) => first + d * DAY);
    // Distinct per user so files of several users can share a folder; a few minutes after the last day, like an evening sync.
    this.exportTimestamp = this.midnights[options.days]! + 7 * MINUTE + options.userIndex * 1_013 + r.int(0, 999);
    this.nights = this.#nights(options.days);
  }

  /** Epoch ms → local hour of day (fractional). */
  localHour(t: number): number {
    const local = (((t + this.offset) % DAY) + DAY) % DAY;
    return local / HOUR;
  }

  #nights(days: number): Night[] {
    const r = this.rng("sleep");
    const nights: Night[] = [];
    for (let d = 0; d < days; d++) {
      const midnight = this.midnights[d]!;
      const start = roundTo(midnight + (this.profile.bedtimeMinutes + r.normal(0, 20)) * MINUTE, MINUTE);
      const minutes = clamp(this.profile.sleepHours * 60 + r.normal(0, 35), 240, 600);
      const end = roundTo(start + minutes * MINUTE, MINUTE);
      const ouraStart = roundTo(start + r.range(4, 45) * MINUTE, 30_000);
      const ouraEnd = Math.max(ouraStart + 2 * HOUR, end - Math.round(r.range(0, 55) * MINUTE) - r.int(0, 59_000));
      nights.push({ samsung: { start, end }, oura: { start: ouraStart, end: ouraEnd, uuid: r.uuid(4) }, nap: false });
      if (r.chance(0.2)) {
        const napStart = roundTo(midnight + r.range(13, 15.5) * HOUR, MINUTE);
        nights.push({ samsung: { start: napStart, end: napStart + r.int(20, 50) * MINUTE }, oura: undefined, nap: true });
      }
    }
    return nights;
  }

  /** Last-modified time of a record: some minutes after it ended, never after the export. */
  modified(r: SeededRandom, end: number): number {
    return Math.min(end + Math.round(r.range(2, 180) * MINUTE), this.exportTimestamp - r.int(1_000, 60_000));
  }

  metadata(
    r: SeededRandom,
    source: keyof typeof SOURCES,
    end: number,
    extra: { id?: string; clientRecordId?: string | null; clientRecordVersion?: number } = {},
  ): HealthConnectMetadata {
    const lastModified = this.modified(r, end);
    return {
      id: extra.id ?? r.uuid(source === "samsung" ? 4 : 3),
      dataOriginPackageName: SOURCES[source].packageName,
      lastModifiedTimeEpochMillis: lastModified,
      clientRecordId: extra.clientRecordId ?? null,
      clientRecordVersion: extra.clientRecordVersion ?? (source === "oura" ? lastModified - r.int(10, 200) : 0),
      device: { ...SOURCES[source].device },
    };
  }

  /** True while the user is asleep according to the phone's (Samsung) sessions. */
  asleep(t: number): boolean {
    return this.nights.some((n) => !n.nap && t >= n.samsung.start && t < n.samsung.end);
  }
}

function roundTo(value: number, unit: number): number {
  return Math.round(value / unit) * unit;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** A meal's glucose excursion: a gamma-shaped rise peaking ~45 min after eating, back near baseline after ~3 h. */
function mealCurve(minutesSince: number, peak: number): number {
  if (minutesSince < 0 || minutesSince > 300) return 0;
  const x = minutesSince / 45;
  return peak * x * Math.exp(1 - x);
}

function glucose(t: UserTimeline, fromMs: number, toMs: number, readingsLimit = Number.POSITIVE_INFINITY): BloodGlucoseRecord[] {
  const r = t.rng(`glucose:${fromMs}`);
  const meals = new Map<number, { at: number; peak: number }[]>();
  const lows = new Map<number, number>();
  const firstDay = Math.floor((fromMs + t.offset) / DAY) - 1;
  const lastDay = Math.ceil((toMs + t.offset) / DAY) + 1;
  for (let day = firstDay; day <= lastDay; day++) {
    const midnight = day * DAY - t.offset;
    const p = t.profile.mealResponse;
    const today = [
      { at: midnight + r.range(7, 9) * HOUR, peak: r.range(0.6, 1.2) * p },
      { at: midnight + r.range(12, 13.5) * HOUR, peak: r.range(0.7, 1.3) * p },
      { at: midnight + r.range(18.5, 20) * HOUR, peak: r.range(0.8, 1.5) * p },
    ];
    if (r.chance(0.3)) today.push({ at: midnight + r.range(15.5, 16.5) * HOUR, peak: r.range(8, 22) });
    meals.set(day, today);
    // Most nights dip gently; some dip into a low (< 70 mg/dL) between 02:00 and 05:00.
    lows.set(day, r.chance(0.3) ? r.range(30, 45) : r.range(4, 14));
  }
  const out: BloodGlucoseRecord[] = [];
  let noise = 0;
  let time = fromMs + r.int(0, 299_999);
  let counter = r.int(10_000_000, 40_000_000);
  const clientPrefix = `51496${r.int(10_000, 99_999)}`;
  while (time < toMs && out.length < readingsLimit) {
    const hour = t.localHour(time);
    const day = Math.floor((time + t.offset) / DAY);
    let value = t.profile.glucoseBaseline;
    for (const meal of [...(meals.get(day - 1) ?? []), ...(meals.get(day) ?? [])]) value += mealCurve((time - meal.at) / MINUTE, meal.peak);
    if (hour >= 1.5 && hour < 5.5) value -= (lows.get(day) ?? 0) * Math.sin(((hour - 1.5) / 4) * Math.PI);
    if (hour >= 5 && hour < 8) value += 8 * Math.sin(((hour - 5) / 3) * Math.PI); // dawn phenomenon
    noise = 0.85 * noise + r.normal(0, 2.2);
    const mg = Math.round(clamp(value + noise, 40, 400));
    const md = t.metadata(r, "dexcom", time, { clientRecordId: `${clientPrefix}${String(counter).padStart(8, "0")}` });
    counter += 300;
    out.push({
      metadata: md,
      timeEpochMillis: time,
      zoneOffsetId: "Z",
      // Health Connect stores mmol/L; reading mg/dL back gives the float artefacts of the real files (120.99999999999999).
      levelInMilligramsPerDeciliter: (mg / 18.0) * 18.0,
      specimenSource: "INTERSTITIAL_FLUID",
      mealType: "UNKNOWN",
      relationToMeal: "UNKNOWN",
      appRecordFetchTimeEpochMillis: t.exportTimestamp,
    });
    time += 300_000 + r.int(-400, 900);
  }
  return out;
}

function stagesFor(r: SeededRandom, start: number, end: number, unit: number, nap: boolean): SleepStage[] {
  const stages: SleepStage[] = [];
  let t = start;
  const push = (stage: SleepStageType, minutes: number): void => {
    const duration = Math.round((minutes * MINUTE) / unit) * unit;
    if (duration <= 0 || t >= end) return;
    const stop = Math.min(end, t + duration);
    const last = stages[stages.length - 1];
    if (last && last.stage === stage) stages[stages.length - 1] = { ...last, endTimeEpochMillis: stop };
    else stages.push({ startTimeEpochMillis: t, endTimeEpochMillis: stop, stage });
    t = stop;
  };
  if (nap) {
    while (t < end) {
      push("LIGHT", r.range(5, 20));
      if (r.chance(0.3)) push("DEEP", r.range(2, 8));
      if (r.chance(0.2)) push("AWAKE", r.range(0.5, 2));
    }
    return stages;
  }
  // Falling asleep takes a while (sleep latency), then ~90-min cycles: deep sleep early, REM late,
  // with brief awakenings and now and then a longer one, as wearables report them.
  push("AWAKE", r.range(4, 20));
  while (t < end) {
    const fraction = (t - start) / (end - start);
    push("LIGHT", r.range(10, 25));
    push("DEEP", fraction < 0.5 ? r.range(15, 45) : r.range(0, 12));
    push("LIGHT", r.range(10, 30));
    if (r.chance(0.5)) push("AWAKE", r.range(0.5, 5));
    push("REM", fraction < 0.3 ? r.range(5, 15) : r.range(15, 35));
    if (r.chance(0.4)) push("AWAKE", r.chance(0.2) ? r.range(10, 25) : r.range(0.5, 3));
  }
  return stages;
}

function sleep(t: UserTimeline): SleepSessionRecord[] {
  const r = t.rng("sleep-records");
  const out: SleepSessionRecord[] = [];
  const zone = t.profile.zoneOffsetId;
  for (const night of t.nights) {
    const s = night.samsung;
    out.push({
      metadata: t.metadata(r, "samsung", s.end),
      title: null,
      notes: null,
      startTimeEpochMillis: s.start,
      endTimeEpochMillis: s.end,
      startZoneOffsetId: zone,
      endZoneOffsetId: zone,
      durationMillis: s.end - s.start,
      appRecordFetchTimeEpochMillis: t.exportTimestamp,
      stages: stagesFor(r, s.start, s.end, 30_000, night.nap),
    });
    const o = night.oura;
    if (o) {
      out.push({
        metadata: t.metadata(r, "oura", o.end, { clientRecordId: `oura:${o.uuid}` }),
        title: "Oura",
        notes: null,
        startTimeEpochMillis: o.start,
        endTimeEpochMillis: o.end,
        startZoneOffsetId: zone,
        endZoneOffsetId: zone,
        durationMillis: o.end - o.start,
        appRecordFetchTimeEpochMillis: t.exportTimestamp,
        stages: stagesFor(r, o.start, o.end, 300_000, false),
      });
    }
  }
  return out.sort((a, b) => a.startTimeEpochMillis - b.startTimeEpochMillis);
}

function heartRate(t: UserTimeline): HeartRateRecord[] {
  const r = t.rng("heart-rate");
  const rest = t.profile.restingHeartRate;
  const zone = t.profile.zoneOffsetId;
  const out: HeartRateRecord[] = [];
  const from = t.midnights[0]!;
  const to = t.midnights[t.midnights.length - 1]!;
  const workouts = new Map<number, { start: number; end: number }>();
  for (let d = 0; d < t.midnights.length - 1; d++) {
    if (!r.chance(0.4)) continue;
    const start = t.midnights[d]! + r.range(6.5, 19) * HOUR;
    workouts.set(d, { start, end: start + r.range(25, 60) * MINUTE });
  }
  const inWorkout = (time: number): boolean => [...workouts.values()].some((w) => time >= w.start && time < w.end);
  const sleepingBpm = (time: number, start: number, end: number): number => {
    const fraction = (time - start) / Math.max(1, end - start);
    // Lowest in the middle third of the night, like a real overnight curve.
    return Math.round(clamp(rest - 3 + 6 * Math.abs(fraction - 0.5) + r.normal(0, 2.5), 38, 120));
  };
  // Samsung: a spot sample every 10 min while awake, as one-sample records.
  let spot = from + r.int(0, 599_000);
  while (spot < to) {
    if (!t.asleep(spot)) {
      const hour = t.localHour(spot);
      const daytime = hour >= 7 && hour < 22 ? 8 : 2;
      const bpm = inWorkout(spot) ? r.range(112, 148) : rest + daytime + r.normal(4, 6);
      const sample: HeartRateSample = { timeEpochMillis: spot, beatsPerMinute: Math.round(clamp(bpm, 40, 190)) };
      out.push({
        metadata: t.metadata(r, "samsung", spot),
        startTimeEpochMillis: spot,
        endTimeEpochMillis: spot,
        startZoneOffsetId: zone,
        endZoneOffsetId: zone,
        appRecordFetchTimeEpochMillis: t.exportTimestamp,
        samples: [sample],
      });
    }
    spot += 600_000 - r.int(0, 3);
  }
  for (const night of t.nights) {
    if (night.nap) continue;
    // Samsung overnight: hourly records with a sample every minute.
    const s = night.samsung;
    for (let hour = Math.floor(s.start / HOUR) * HOUR; hour < s.end; hour += HOUR) {
      const samples: HeartRateSample[] = [];
      for (let time = Math.max(hour, Math.ceil(s.start / MINUTE) * MINUTE); time < Math.min(hour + HOUR, s.end); time += MINUTE) {
        samples.push({ timeEpochMillis: time, beatsPerMinute: sleepingBpm(time, s.start, s.end) });
      }
      if (samples.length === 0) continue;
      const end = Math.min(hour + HOUR - 1, s.end + r.int(0, 30_000));
      out.push({
        metadata: t.metadata(r, "samsung", end),
        startTimeEpochMillis: hour,
        endTimeEpochMillis: end,
        startZoneOffsetId: zone,
        endZoneOffsetId: zone,
        appRecordFetchTimeEpochMillis: t.exportTimestamp,
        samples,
      });
    }
    // Oura overnight: one record over its own session with a sample every 5 min.
    const o = night.oura;
    if (!o) continue;
    const samples: HeartRateSample[] = [];
    for (let time = o.start; time <= o.end; time += 300_000) samples.push({ timeEpochMillis: time, beatsPerMinute: sleepingBpm(time, o.start, o.end) });
    out.push({
      metadata: t.metadata(r, "oura", o.end, { clientRecordId: `oura:${o.uuid}` }),
      startTimeEpochMillis: o.start,
      endTimeEpochMillis: o.end,
      startZoneOffsetId: zone,
      endZoneOffsetId: zone,
      appRecordFetchTimeEpochMillis: t.exportTimestamp,
      samples,
    });
  }
  return out.sort((a, b) => a.startTimeEpochMillis - b.startTimeEpochMillis);
}

function heartRateVariability(t: UserTimeline): HeartRateVariabilityRmssdRecord[] {
  const r = t.rng("hrv");
  const out: HeartRateVariabilityRmssdRecord[] = [];
  for (const night of t.nights) {
    const o = night.oura;
    if (!o) continue;
    const lastModified = t.modified(r, o.end);
    for (let time = o.start; time <= o.end; time += 300_000) {
      const fraction = (time - o.start) / Math.max(1, o.end - o.start);
      // Parasympathetic activity is highest early in the night (deep sleep), lower towards waking.
      const value = t.profile.hrvBaseline * (1.25 - 0.4 * fraction) * Math.exp(r.normal(0, 0.22));
      out.push({
        metadata: {
          id: r.uuid(3),
          dataOriginPackageName: SOURCES.oura.packageName,
          lastModifiedTimeEpochMillis: lastModified,
          clientRecordId: `oura:${o.uuid} ${new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z")}`,
          clientRecordVersion: lastModified - r.int(20, 120),
          device: { ...SOURCES.oura.device },
        },
        timeEpochMillis: time,
        zoneOffsetId: t.profile.zoneOffsetId,
        heartRateVariabilityRmssd: Math.round(clamp(value, 5, 180)),
        appRecordFetchTimeEpochMillis: t.exportTimestamp,
      });
    }
  }
  return out;
}

/** Daily totals per source per local day: Samsung over the whole day, Oura from 04:00 (its day starts at waking). */
function dailyActivity(t: UserTimeline): { steps: StepsRecord[]; calories: ActiveCaloriesBurnedRecord[] } {
  const r = t.rng("activity");
  const zone = t.profile.zoneOffsetId;
  const steps: StepsRecord[] = [];
  const calories: ActiveCaloriesBurnedRecord[] = [];
  for (let d = 0; d < t.midnights.length - 1; d++) {
    const start = t.midnights[d]!;
    const end = t.midnights[d + 1]! - 1;
    const ouraStart = start + 4 * HOUR;
    const samsungSteps = Math.round(t.profile.dailySteps * r.range(0.6, 1.4));
    const ouraSteps = Math.round(samsungSteps * r.range(0.55, 0.75));
    const dayUuid = r.uuid(4);
    const base = { startZoneOffsetId: zone, endZoneOffsetId: zone, endTimeEpochMillis: end, appRecordFetchTimeEpochMillis: t.exportTimestamp };
    steps.push({ ...base, metadata: t.metadata(r, "samsung", end), startTimeEpochMillis: start, count: samsungSteps });
    steps.push({ ...base, metadata: t.metadata(r, "oura", end, { clientRecordId: `oura:daily_steps_${dayUuid}` }), startTimeEpochMillis: ouraStart, count: ouraSteps });
    calories.push({
      ...base,
      metadata: t.metadata(r, "samsung", end),
      startTimeEpochMillis: start,
      energyInKilocalories: Math.round((samsungSteps * r.range(0.04, 0.055) + r.range(10, 60)) * 10) / 10,
    });
    calories.push({
      ...base,
      metadata: t.metadata(r, "oura", end, { clientRecordId: `oura:daily_active_calories_${dayUuid}` }),
      startTimeEpochMillis: ouraStart,
      energyInKilocalories: Math.round(ouraSteps * r.range(0.04, 0.06) + r.range(0, 40)),
    });
  }
  // Records that end after the export cannot have been exported yet: keep the real files' shape.
  return {
    steps: steps.filter((s) => s.startTimeEpochMillis < t.exportTimestamp),
    calories: calories.filter((c) => c.startTimeEpochMillis < t.exportTimestamp),
  };
}

/** Generates one user's export of all six record types. Pure: the same options give the same records. */
export function generateSyntheticExport(options: SyntheticUserOptions): SyntheticExport {
  if (!Number.isInteger(options.days) || options.days < 1) throw new RangeError("days must be a positive integer");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.startDate) || Number.isNaN(Date.parse(options.startDate))) {
    throw new RangeError(`start date must be YYYY-MM-DD, got ${JSON.stringify(options.startDate)}`);
  }
  const t = new UserTimeline(options);
  const from = t.midnights[0]!;
  const to = t.midnights[t.midnights.length - 1]!;
  const activity = dailyActivity(t);
  return {
    userId: syntheticUserId(options.userIndex),
    exportTimestamp: t.exportTimestamp,
    profile: t.profile,
    records: {
      BloodGlucoseRecord: glucose(t, from, to),
      HeartRateRecord: heartRate(t),
      SleepSessionRecord: sleep(t),
      StepsRecord: activity.steps,
      ActiveCaloriesBurnedRecord: activity.calories,
      HeartRateVariabilityRmssdRecord: heartRateVariability(t),
    },
  };
}

/**
 * `count` consecutive CGM readings (every 5 min from the start date) for one user: the
 * large glucose file of `generate --big-glucose-mb`.
 */
export function generateGlucoseSeries(options: SyntheticUserOptions & { readonly count: number }): { records: BloodGlucoseRecord[]; exportTimestamp: number } {
  const days = Math.max(1, Math.ceil(options.count / 288) + 1);
  const t = new UserTimeline({ ...options, days });
  const from = t.midnights[0]!;
  const to = t.midnights[t.midnights.length - 1]!;
  return { records: glucose(t, from, to, options.count), exportTimestamp: t.exportTimestamp };
}
