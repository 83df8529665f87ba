import { AVRO_NAMESPACE, type RecordType } from "@narrative-engine/contracts";

/** An Avro schema as JSON (the subset of shapes the Health Connect schemas use). */
export type AvroSchema = string | readonly AvroSchema[] | { readonly [key: string]: unknown };

const optionalString = (name: string) => ({ name, type: ["null", "string"], default: null }) as const;

// Shared by every record type; nested inside each record schema as the real files do.
const metadataSchema = {
  type: "record",
  name: "AvroMetadata",
  fields: [
    { name: "id", type: "string" },
    { name: "dataOriginPackageName", type: "string" },
    { name: "lastModifiedTimeEpochMillis", type: "long" },
    optionalString("clientRecordId"),
    { name: "clientRecordVersion", type: "long" },
    {
      name: "device",
      type: [
        "null",
        {
          type: "record",
          name: "AvroDevice",
          fields: [optionalString("manufacturer"), optionalString("model"), optionalString("type")],
        },
      ],
      default: null,
    },
  ],
} as const;

const metadataField = { name: "metadata", type: metadataSchema } as const;
const fetchTimeField = { name: "appRecordFetchTimeEpochMillis", type: "long" } as const;
const intervalFields = [
  { name: "startTimeEpochMillis", type: "long" },
  { name: "endTimeEpochMillis", type: "long" },
  optionalString("startZoneOffsetId"),
  optionalString("endZoneOffsetId"),
] as const;

const record = (name: string, fields: readonly unknown[]) =>
  ({ type: "record", name: `Avro${name}`, namespace: AVRO_NAMESPACE, fields }) as const;

/**
 * The six Health Connect record schemas exactly as the phone's export files carry them (field
 * order and types matter: Avro binary data has no field names).
 */
export const HEALTH_CONNECT_SCHEMAS: Readonly<Record<RecordType, AvroSchema>> = {
  BloodGlucoseRecord: record("BloodGlucoseRecord", [
    metadataField,
    { name: "timeEpochMillis", type: "long" },
    optionalString("zoneOffsetId"),
    { name: "levelInMilligramsPerDeciliter", type: "double" },
    {
      name: "specimenSource",
      type: {
        type: "enum",
        name: "AvroBloodGlucoseSpecimenSource",
        symbols: ["INTERSTITIAL_FLUID", "CAPILLARY_BLOOD", "PLASMA", "SERUM", "TEARS", "WHOLE_BLOOD", "UNKNOWN"],
      },
    },
    {
      name: "mealType",
      type: { type: "enum", name: "AvroBloodGlucoseMealType", symbols: ["UNKNOWN", "BREAKFAST", "LUNCH", "DINNER", "SNACK"] },
    },
    {
      name: "relationToMeal",
      type: {
        type: "enum",
        name: "AvroBloodGlucoseRelationToMeal",
        symbols: ["UNKNOWN", "GENERAL", "FASTING", "BEFORE_MEAL", "AFTER_MEAL"],
      },
    },
    fetchTimeField,
  ]),
  HeartRateRecord: record("HeartRateRecord", [
    metadataField,
    ...intervalFields,
    fetchTimeField,
    {
      name: "samples",
      type: {
        type: "array",
        items: {
          type: "record",
          name: "AvroHeartRateSample",
          fields: [
            { name: "timeEpochMillis", type: "long" },
            { name: "beatsPerMinute", type: "long" },
          ],
        },
      },
      default: [],
    },
  ]),
  SleepSessionRecord: record("SleepSessionRecord", [
    metadataField,
    optionalString("title"),
    optionalString("notes"),
    ...intervalFields,
    { name: "durationMillis", type: ["null", "long"], default: null },
    fetchTimeField,
    {
      name: "stages",
      type: {
        type: "array",
        items: {
          type: "record",
          name: "AvroSleepStageRecord",
          fields: [
            { name: "startTimeEpochMillis", type: "long" },
            { name: "endTimeEpochMillis", type: "long" },
            {
              name: "stage",
              type: {
                type: "enum",
                name: "AvroSleepStageType",
                symbols: ["UNKNOWN", "AWAKE", "SLEEPING", "OUT_OF_BED", "LIGHT", "DEEP", "REM"],
              },
            },
          ],
        },
      },
      default: [],
    },
  ]),
  StepsRecord: record("StepsRecord", [metadataField, ...intervalFields, { name: "count", type: "long" }, fetchTimeField]),
  ActiveCaloriesBurnedRecord: record("ActiveCaloriesBurnedRecord", [
    metadataField,
    ...intervalFields,
    { name: "energyInKilocalories", type: "double" },
    fetchTimeField,
  ]),
  HeartRateVariabilityRmssdRecord: record("HeartRateVariabilityRmssdRecord", [
    metadataField,
    { name: "timeEpochMillis", type: "long" },
    optionalString("zoneOffsetId"),
    { name: "heartRateVariabilityRmssd", type: "double" },
    fetchTimeField,
  ]),
};

/** The Avro schema of one record type, as the export files carry it. */
export function schemaFor(type: RecordType): AvroSchema {
  return HEALTH_CONNECT_SCHEMAS[type];
}

/** The full Avro name of a record type's schema (`io.github….AvroBloodGlucoseRecord`). */
export function schemaNameFor(type: RecordType): string {
  return `${AVRO_NAMESPACE}.Avro${type}`;
}

