import {
  MEAL_TYPES,
  RECORD_TYPES,
  RELATIONS_TO_MEAL,
  REQUIRED_FIELDS,
  SLEEP_STAGE_TYPES,
  SPECIMEN_SOURCES,
  type RecordType,
} from "@narrative-engine/contracts";

/** What a required field must hold to be schema-valid. */
export type FieldKind =
  | { readonly kind: "number" }
  | { readonly kind: "string" }
  | { readonly kind: "object" }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "samples" }
  | { readonly kind: "stages" }
  | { readonly kind: "any" };

/** One required field: a dotted path into the record and the kind of value it must hold. */
export interface RequiredField {
  /** Dotted path, e.g. `metadata.id` or `levelInMilligramsPerDeciliter`. */
  readonly path: string;
  /** Path split on dots. */
  readonly segments: readonly string[];
  /** Expected value. */
  readonly type: FieldKind;
}

const KIND_BY_FIELD: Readonly<Record<string, FieldKind>> = {
  metadata: { kind: "object" },
  "metadata.id": { kind: "string" },
  "metadata.dataOriginPackageName": { kind: "string" },
  timeEpochMillis: { kind: "number" },
  startTimeEpochMillis: { kind: "number" },
  endTimeEpochMillis: { kind: "number" },
  appRecordFetchTimeEpochMillis: { kind: "number" },
  levelInMilligramsPerDeciliter: { kind: "number" },
  heartRateVariabilityRmssd: { kind: "number" },
  count: { kind: "number" },
  energyInKilocalories: { kind: "number" },
  specimenSource: { kind: "enum", values: SPECIMEN_SOURCES },
  mealType: { kind: "enum", values: MEAL_TYPES },
  relationToMeal: { kind: "enum", values: RELATIONS_TO_MEAL },
  samples: { kind: "samples" },
  stages: { kind: "stages" },
};

/** Metadata fields every record needs besides the contracts' top-level REQUIRED_FIELDS. */
export const REQUIRED_METADATA_FIELDS = ["metadata.id", "metadata.dataOriginPackageName"] as const;

function field(path: string): RequiredField {
  return { path, segments: path.split("."), type: KIND_BY_FIELD[path] ?? { kind: "any" } };
}

/** Required fields of each record type: the contracts' REQUIRED_FIELDS plus `metadata.id` and `metadata.dataOriginPackageName`. */
export const REQUIRED_FIELD_SPECS: Readonly<Record<RecordType, readonly RequiredField[]>> = Object.fromEntries(
  RECORD_TYPES.map((type) => [type, [...REQUIRED_FIELDS[type], ...REQUIRED_METADATA_FIELDS].map(field)]),
) as unknown as Record<RecordType, readonly RequiredField[]>;

/** The value at `segments` inside `value`, or undefined when any step is not an object. */
export function readPath(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** A finite number (rejects NaN, ±Infinity, bigint and numeric strings). */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** A non-null, non-array object (avsc records are class instances, which qualify). */
export function isObjectLike(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when `value` has the shape `type` asks for; arrays are checked element by element. */
export function matchesKind(value: unknown, type: FieldKind): boolean {
  switch (type.kind) {
    case "number":
      return isFiniteNumber(value);
    case "string":
      return typeof value === "string" && value.length > 0;
    case "object":
      return isObjectLike(value);
    case "enum":
      return typeof value === "string" && type.values.includes(value);
    case "samples":
      return Array.isArray(value) && value.every((s) => isObjectLike(s) && isFiniteNumber(s["timeEpochMillis"]) && isFiniteNumber(s["beatsPerMinute"]));
    case "stages":
      return (
        Array.isArray(value) &&
        value.every(
          (s) =>
            isObjectLike(s) &&
            isFiniteNumber(s["startTimeEpochMillis"]) &&
            isFiniteNumber(s["endTimeEpochMillis"]) &&
            typeof s["stage"] === "string" &&
            (SLEEP_STAGE_TYPES as readonly string[]).includes(s["stage"]),
        )
      );
    case "any":
      return value !== undefined && value !== null;
  }
}
