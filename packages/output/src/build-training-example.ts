import {
  HEALTH_DOMAIN_BY_RECORD_TYPE,
  ProcessingError,
  trainingExampleSchema,
  type ClinicalInsights,
  type HealthDataMessage,
  type JsonValue,
  type ProcessingResult,
  type TrainingExample,
  type ValidationResult,
} from "@narrative-engine/contracts";
import { toEpochMillis, type TimeInput } from "./training-object-key.ts";
import { TRAINING_INSTRUCTIONS } from "./training-instructions.ts";

/** Everything a training example is built from (the consumer's `TrainingOutput`). */
export interface BuildTrainingExampleInput {
  /** The message that announced the file. */
  readonly message: HealthDataMessage;
  /** The processor's successful result. */
  readonly result: ProcessingResult;
  /** The file's validation. */
  readonly validation: ValidationResult;
  /** Version of the processor that wrote the narrative. */
  readonly processorVersion: string;
  /** First record timestamp, when known. */
  readonly dataStart?: TimeInput | null;
  /** Last record timestamp, when known. */
  readonly dataEnd?: TimeInput | null;
}

/** Most metric lines rendered into `input`. */
export const MAX_INPUT_METRICS = 40;
/** Longest string value rendered into `input`; longer ones are left out. */
export const MAX_INPUT_STRING_LENGTH = 120;
/** Longest array of scalars rendered into `input`; longer ones are left out. */
export const MAX_INPUT_ARRAY_LENGTH = 8;

// Identifiers never belong in the model's input, whatever a processor put in its insights.
const IDENTIFIER_KEY = /(^|_)(id|ids|uuid|serial|user|device|email|phone|name|key)(_|$)/i;

function isoOrNull(value: TimeInput | null | undefined): string | null {
  const ms = toEpochMillis(value);
  return ms === undefined ? null : new Date(ms).toISOString();
}

function formatScalar(value: JsonValue): string | undefined {
  if (value === null) return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string") return value.length > 0 && value.length <= MAX_INPUT_STRING_LENGTH && !value.includes("\n") ? value : undefined;
  return undefined;
}

/**
 * Lines `- key: value` for the scalar insights, nested objects flattened one level with
 * dotted keys and short arrays of scalars joined; identifier-like keys and the user id are
 * skipped. Keeps the processor's (deterministic) key order.
 */
function renderInsights(insights: ClinicalInsights, userId: string): string[] {
  const lines: string[] = [];
  const add = (key: string, value: JsonValue, depth: number): void => {
    if (lines.length >= MAX_INPUT_METRICS || IDENTIFIER_KEY.test(key.split(".").at(-1) ?? key)) return;
    if (Array.isArray(value)) {
      if (value.length === 0 || value.length > MAX_INPUT_ARRAY_LENGTH) return;
      const parts = value.map(formatScalar);
      if (parts.some((p) => p === undefined || p === userId)) return;
      lines.push(`- ${key}: ${parts.join(", ")}`);
      return;
    }
    if (value !== null && typeof value === "object") {
      if (depth >= 1) return;
      for (const [k, v] of Object.entries(value)) add(`${key}.${k}`, v, depth + 1);
      return;
    }
    const text = formatScalar(value);
    if (text !== undefined && text !== userId) lines.push(`- ${key}: ${text}`);
  };
  for (const [key, value] of Object.entries(insights)) add(key, value, 0);
  return lines;
}

/** The model's input: record type, period, counts and the key metrics, with no ids. */
export function renderTrainingInput(input: BuildTrainingExampleInput): string {
  const { message, result, validation } = input;
  const start = isoOrNull(input.dataStart);
  const end = isoOrNull(input.dataEnd);
  const lines = [`Record type: ${message.recordType} (${HEALTH_DOMAIN_BY_RECORD_TYPE[message.recordType]})`];
  if (start !== null || end !== null) lines.push(`Period (UTC): ${start ?? "unknown"} to ${end ?? "unknown"}`);
  lines.push(`Records: ${result.recordsProcessed} used of ${validation.metadata.record_count} in the file`);
  lines.push(`Data quality score: ${validation.qualityScore}`);
  const metrics = renderInsights(result.clinicalInsights, message.userId);
  if (metrics.length > 0) lines.push("Key measurements:", ...metrics);
  return lines.join("\n");
}

/**
 * Builds one training example (clinical.md §4, architecture §7) and checks it against the
 * contracts' `trainingExampleSchema`. Deterministic: no wall clock, the same inputs give the
 * same example. Throws a `ProcessingError` when the result has no narrative or the example
 * fails the schema (the message then fails permanently).
 */
export function buildTrainingExample(input: BuildTrainingExampleInput): TrainingExample {
  const { message, result, validation } = input;
  if (!result.success || result.narrative === undefined || result.narrative.trim().length === 0) {
    throw new ProcessingError("cannot build a training example from a processing result without a narrative");
  }
  const example: TrainingExample = {
    instruction: TRAINING_INSTRUCTIONS[message.recordType],
    input: renderTrainingInput(input),
    output: result.narrative,
    metadata: {
      record_type: message.recordType,
      health_domain: HEALTH_DOMAIN_BY_RECORD_TYPE[message.recordType],
      user_id: message.userId,
      correlation_id: message.correlationId,
      idempotency_key: message.idempotencyKey,
      source_bucket: message.bucket,
      source_key: message.key,
      quality_score: validation.qualityScore,
      record_count: result.recordsProcessed,
      processing_time_seconds: result.processingTimeSeconds,
      processor_version: input.processorVersion,
      data_start: isoOrNull(input.dataStart),
      data_end: isoOrNull(input.dataEnd),
      clinical_insights: result.clinicalInsights,
      upload_timestamp_utc: message.uploadTimestampUtc,
      file_record_count: validation.metadata.record_count,
    },
  };
  return checkTrainingExample(example);
}

/**
 * Checks `example` against `trainingExampleSchema`; throws a `ProcessingError` naming the first bad
 * field (never its value). `metadata.clinical_insights` — a processor's whole insight tree, up to
 * thousands of nodes for a large file — is checked by {@link firstNonJsonPath}, which accepts
 * exactly what the schema's recursive JSON-value union accepts at a fraction of its cost (it was
 * ~3 % of the worker's CPU); the rest goes through the schema as before.
 */
export function checkTrainingExample(example: unknown): TrainingExample {
  let shell = example;
  const metadata = isPlainRecord(example) ? example["metadata"] : undefined;
  if (isPlainRecord(example) && isPlainRecord(metadata) && isPlainRecord(metadata["clinical_insights"])) {
    const bad = firstNonJsonPath(metadata["clinical_insights"]);
    if (bad !== undefined) throw invalid(["metadata", "clinical_insights", ...bad], "must be JSON (string, finite number, boolean, null, array or object)");
    shell = { ...example, metadata: { ...metadata, clinical_insights: {} } };
  }
  const parsed = trainingExampleSchema.safeParse(shell);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(issue?.path ?? [], issue?.message ?? "is invalid");
  }
  return example as TrainingExample;
}

function invalid(path: readonly PropertyKey[], message: string): ProcessingError {
  const field = path.length === 0 ? "(example)" : path.map(String).join(".");
  return new ProcessingError(`training example is invalid: ${field} ${message}`);
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The path of the first value under `root` that is not a JSON value (`undefined`, a function, a
 * symbol, a bigint, NaN or ±Infinity), depth first; undefined when all of it is JSON. Iterative, so
 * a deep tree cannot overflow the stack.
 */
export function firstNonJsonPath(root: Readonly<Record<string, unknown>>): PropertyKey[] | undefined {
  // Each entry knows its parent entry and key; a path is only built for the value that fails.
  interface Entry {
    readonly value: unknown;
    readonly parent: Entry | undefined;
    readonly key: PropertyKey;
  }
  const stack: Entry[] = [{ value: root, parent: undefined, key: "" }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const value = entry.value;
    switch (typeof value) {
      case "string":
      case "boolean":
        continue;
      case "number":
        if (Number.isFinite(value)) continue;
        return pathOf(entry);
      case "object":
        if (value === null) continue;
        if (Array.isArray(value)) {
          for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], parent: entry, key: i });
        } else {
          const keys = Object.keys(value);
          for (let i = keys.length - 1; i >= 0; i--) {
            const key = keys[i]!;
            stack.push({ value: (value as Record<string, unknown>)[key], parent: entry, key });
          }
        }
        continue;
      default:
        return pathOf(entry);
    }
  }
  return undefined;

  function pathOf(entry: Entry): PropertyKey[] {
    const path: PropertyKey[] = [];
    for (let e: Entry | undefined = entry; e?.parent !== undefined; e = e.parent) path.unshift(e.key);
    return path;
  }
}
