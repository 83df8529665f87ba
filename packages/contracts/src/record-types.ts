/** The six Health Connect record types the engine processes, by their Health Connect names. */
export const RECORD_TYPES = [
  "BloodGlucoseRecord",
  "HeartRateRecord",
  "SleepSessionRecord",
  "StepsRecord",
  "ActiveCaloriesBurnedRecord",
  "HeartRateVariabilityRmssdRecord",
] as const;

/** One of {@link RECORD_TYPES}. */
export type RecordType = (typeof RECORD_TYPES)[number];

/** Avro namespace of the records in the phone's export files. */
export const AVRO_NAMESPACE = "io.github.hitoshura25.healthsyncapp.data.avro";

/** Prefix the producer and the Avro schemas put before the Health Connect name. */
export const AVRO_RECORD_PREFIX = "Avro";

const recordTypeSet: ReadonlySet<string> = new Set(RECORD_TYPES);

/** True when `value` is exactly one of {@link RECORD_TYPES}. */
export function isRecordType(value: unknown): value is RecordType {
  return typeof value === "string" && recordTypeSet.has(value);
}

/**
 * Normalises a record type as producers send it: `BloodGlucoseRecord`,
 * `AvroBloodGlucoseRecord` or the fully qualified Avro name all give `BloodGlucoseRecord`.
 * Returns undefined for anything else.
 */
export function parseRecordType(value: unknown): RecordType | undefined {
  if (typeof value !== "string") return undefined;
  const simple = value.startsWith(`${AVRO_NAMESPACE}.`) ? value.slice(AVRO_NAMESPACE.length + 1) : value;
  if (isRecordType(simple)) return simple;
  if (simple.startsWith(AVRO_RECORD_PREFIX)) {
    const stripped = simple.slice(AVRO_RECORD_PREFIX.length);
    if (isRecordType(stripped)) return stripped;
  }
  return undefined;
}

/** Like {@link parseRecordType} but throws a `TypeError` naming the accepted values. */
export function normalizeRecordType(value: unknown): RecordType {
  const parsed = parseRecordType(value);
  if (parsed === undefined) {
    throw new TypeError(
      `unknown record type ${JSON.stringify(value)}; expected one of ${RECORD_TYPES.join(", ")} (optionally prefixed with "Avro")`,
    );
  }
  return parsed;
}

/** The Avro record name of a record type in the export files (`AvroBloodGlucoseRecord`). */
export function avroRecordName(type: RecordType): `Avro${RecordType}` {
  return `${AVRO_RECORD_PREFIX}${type}`;
}

/** Health domains used to file training examples. */
export const HEALTH_DOMAINS = ["metabolic_diabetes", "cardiovascular_fitness", "sleep_wellness", "physical_activity"] as const;

/** One of {@link HEALTH_DOMAINS}. */
export type HealthDomain = (typeof HEALTH_DOMAINS)[number];

/** The health domain each record type belongs to. */
export const HEALTH_DOMAIN_BY_RECORD_TYPE: Readonly<Record<RecordType, HealthDomain>> = {
  BloodGlucoseRecord: "metabolic_diabetes",
  HeartRateRecord: "cardiovascular_fitness",
  HeartRateVariabilityRmssdRecord: "cardiovascular_fitness",
  SleepSessionRecord: "sleep_wellness",
  StepsRecord: "physical_activity",
  ActiveCaloriesBurnedRecord: "physical_activity",
};
