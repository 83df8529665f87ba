import type { RecordType } from "./record-types.ts";

/** Specimen sources of a blood glucose reading, as in the Avro enum. */
export const SPECIMEN_SOURCES = ["INTERSTITIAL_FLUID", "CAPILLARY_BLOOD", "PLASMA", "SERUM", "TEARS", "WHOLE_BLOOD", "UNKNOWN"] as const;
/** One of {@link SPECIMEN_SOURCES}. */
export type SpecimenSource = (typeof SPECIMEN_SOURCES)[number];

/** Meal types of a blood glucose reading, as in the Avro enum. */
export const MEAL_TYPES = ["UNKNOWN", "BREAKFAST", "LUNCH", "DINNER", "SNACK"] as const;
/** One of {@link MEAL_TYPES}. */
export type MealType = (typeof MEAL_TYPES)[number];

/** Relations of a blood glucose reading to a meal, as in the Avro enum. */
export const RELATIONS_TO_MEAL = ["UNKNOWN", "GENERAL", "FASTING", "BEFORE_MEAL", "AFTER_MEAL"] as const;
/** One of {@link RELATIONS_TO_MEAL}. */
export type RelationToMeal = (typeof RELATIONS_TO_MEAL)[number];

/** Sleep stage types, as in the Avro enum. */
export const SLEEP_STAGE_TYPES = ["UNKNOWN", "AWAKE", "SLEEPING", "OUT_OF_BED", "LIGHT", "DEEP", "REM"] as const;
/** One of {@link SLEEP_STAGE_TYPES}. */
export type SleepStageType = (typeof SLEEP_STAGE_TYPES)[number];

/** The device that recorded the data, when the source app reports one. */
export interface HealthConnectDevice {
  /** Manufacturer name, e.g. "Dexcom Inc". */
  readonly manufacturer: string | null;
  /** Model name. */
  readonly model: string | null;
  /** Device type, e.g. "RING", "WATCH", "UNKNOWN". */
  readonly type: string | null;
}

/** Health Connect record metadata. */
export interface HealthConnectMetadata {
  /** Health Connect record id (unique per record; a re-export repeats it). */
  readonly id: string;
  /** Package of the app that wrote the record, e.g. "com.ouraring.oura". */
  readonly dataOriginPackageName: string;
  /** When the record was last modified, epoch milliseconds. */
  readonly lastModifiedTimeEpochMillis: number;
  /** The writing app's own id for the record. */
  readonly clientRecordId: string | null;
  /** The writing app's version of the record. */
  readonly clientRecordVersion: number;
  /** The recording device, when known. */
  readonly device: HealthConnectDevice | null;
}

/** Fields every exported record carries. */
export interface HealthConnectRecordBase {
  /** Health Connect metadata. */
  readonly metadata: HealthConnectMetadata;
  /** When the phone app fetched the record from Health Connect, epoch milliseconds. */
  readonly appRecordFetchTimeEpochMillis: number;
}

/** Fields of records that cover an interval. */
export interface IntervalRecordFields {
  /** Interval start, epoch milliseconds. */
  readonly startTimeEpochMillis: number;
  /** Interval end, epoch milliseconds. */
  readonly endTimeEpochMillis: number;
  /** UTC offset at the start, e.g. "-05:00" or "Z". */
  readonly startZoneOffsetId: string | null;
  /** UTC offset at the end. */
  readonly endZoneOffsetId: string | null;
}

/** One blood glucose reading. */
export interface BloodGlucoseRecord extends HealthConnectRecordBase {
  /** Time of the reading, epoch milliseconds. */
  readonly timeEpochMillis: number;
  /** UTC offset of the reading. */
  readonly zoneOffsetId: string | null;
  /** Glucose level in mg/dL. */
  readonly levelInMilligramsPerDeciliter: number;
  /** Where the sample came from. */
  readonly specimenSource: SpecimenSource;
  /** Which meal the reading relates to. */
  readonly mealType: MealType;
  /** How the reading relates to a meal. */
  readonly relationToMeal: RelationToMeal;
}

/** One heart-rate sample inside a {@link HeartRateRecord}. */
export interface HeartRateSample {
  /** Time of the sample, epoch milliseconds. */
  readonly timeEpochMillis: number;
  /** Beats per minute. */
  readonly beatsPerMinute: number;
}

/** A series of heart-rate samples over an interval. */
export interface HeartRateRecord extends HealthConnectRecordBase, IntervalRecordFields {
  /** The samples, in the order the source wrote them. */
  readonly samples: readonly HeartRateSample[];
}

/** One stage inside a {@link SleepSessionRecord}. */
export interface SleepStage {
  /** Stage start, epoch milliseconds. */
  readonly startTimeEpochMillis: number;
  /** Stage end, epoch milliseconds. */
  readonly endTimeEpochMillis: number;
  /** The stage. */
  readonly stage: SleepStageType;
}

/** One sleep session (a night or a nap) with its stages. */
export interface SleepSessionRecord extends HealthConnectRecordBase, IntervalRecordFields {
  /** Title the source app gave the session. */
  readonly title: string | null;
  /** Notes the source app attached. */
  readonly notes: string | null;
  /** Session duration as the source reports it, milliseconds. */
  readonly durationMillis: number | null;
  /** Sleep stages; may be empty. */
  readonly stages: readonly SleepStage[];
}

/** A step count over an interval (the real files carry one daily total per source). */
export interface StepsRecord extends HealthConnectRecordBase, IntervalRecordFields {
  /** Steps in the interval. */
  readonly count: number;
}

/** Active energy burned over an interval. */
export interface ActiveCaloriesBurnedRecord extends HealthConnectRecordBase, IntervalRecordFields {
  /** Energy in kilocalories. */
  readonly energyInKilocalories: number;
}

/** One RMSSD heart-rate-variability reading. */
export interface HeartRateVariabilityRmssdRecord extends HealthConnectRecordBase {
  /** Time of the reading, epoch milliseconds. */
  readonly timeEpochMillis: number;
  /** UTC offset of the reading. */
  readonly zoneOffsetId: string | null;
  /** RMSSD in milliseconds. */
  readonly heartRateVariabilityRmssd: number;
}

/** Maps each record type to its record interface. */
export interface RecordTypeMap {
  BloodGlucoseRecord: BloodGlucoseRecord;
  HeartRateRecord: HeartRateRecord;
  SleepSessionRecord: SleepSessionRecord;
  StepsRecord: StepsRecord;
  ActiveCaloriesBurnedRecord: ActiveCaloriesBurnedRecord;
  HeartRateVariabilityRmssdRecord: HeartRateVariabilityRmssdRecord;
}

/** The record interface of record type `T`. */
export type RecordOf<T extends RecordType> = RecordTypeMap[T];

/** Any Health Connect record the engine processes. */
export type HealthConnectRecord = RecordTypeMap[RecordType];

/** Required top-level fields of each record type, by their real (flat) names. */
export const REQUIRED_FIELDS: Readonly<Record<RecordType, readonly string[]>> = {
  BloodGlucoseRecord: ["metadata", "timeEpochMillis", "levelInMilligramsPerDeciliter", "specimenSource", "mealType", "relationToMeal", "appRecordFetchTimeEpochMillis"],
  HeartRateRecord: ["metadata", "startTimeEpochMillis", "endTimeEpochMillis", "samples", "appRecordFetchTimeEpochMillis"],
  SleepSessionRecord: ["metadata", "startTimeEpochMillis", "endTimeEpochMillis", "stages", "appRecordFetchTimeEpochMillis"],
  StepsRecord: ["metadata", "startTimeEpochMillis", "endTimeEpochMillis", "count", "appRecordFetchTimeEpochMillis"],
  ActiveCaloriesBurnedRecord: ["metadata", "startTimeEpochMillis", "endTimeEpochMillis", "energyInKilocalories", "appRecordFetchTimeEpochMillis"],
  HeartRateVariabilityRmssdRecord: ["metadata", "timeEpochMillis", "heartRateVariabilityRmssd", "appRecordFetchTimeEpochMillis"],
};
