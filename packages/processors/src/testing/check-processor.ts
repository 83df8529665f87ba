import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, sep } from "node:path";
import { decodeHealthConnect } from "@narrative-engine/avro";
import type {
  ClinicalProcessor,
  HealthConnectRecord,
  HealthDataMessage,
  ProcessingResult,
  RecordOf,
  RecordType,
  ValidationResult,
} from "@narrative-engine/contracts";
import { missingNarrativeNumbers } from "../toolkit/narrative-numbers.ts";
import { sampleMessage, sampleValidation, type SampleValidationOptions } from "./sample-message.ts";

/**
 * Wording no narrative may use: diagnoses, named conditions and prescriptions. A narrative
 * describes measurements; where a consensus target is missed it suggests discussing the
 * results with a clinician, and that is all.
 */
export const DENIED_WORDING: readonly RegExp[] = [
  /prediabet/i,
  /diagnos/i,
  /\bprescri/i,
  /\byou have\b/i,
  /\byou should\b/i,
  /\byou must\b/i,
  /\bmedication\b/i,
];

/** A file for {@link checkProcessor}: raw Avro bytes with a name for the report. */
export interface NamedBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** What {@link checkProcessor} runs the processor over, and how. */
export interface CheckProcessorOptions<T extends RecordType = RecordType> {
  /**
   * Avro exports: a path to a file, a path to a directory (every `.avro` file under it,
   * recursively, holding the processor's record type — files of other types are skipped; so
   * the output folder of `narrative-engine generate` works as is), raw bytes, or named bytes.
   */
  readonly files?: readonly (string | Uint8Array | NamedBytes)[];
  /** Record sets built in the test; each set is run as one file, named `records[i]`. */
  readonly records?: readonly (readonly RecordOf<T>[])[];
  /** Fields replacing those of {@link sampleMessage} (e.g. `healthMetadata`). */
  readonly message?: Partial<HealthDataMessage>;
  /** Fields replacing those of {@link sampleValidation}; `recordCount` is set per file. */
  readonly validation?: Omit<SampleValidationOptions, "recordCount">;
  /** Also run the processor on no records (it must return a failure, not throw); default true. */
  readonly includeEmpty?: boolean;
  /** Further strings no narrative may contain (e.g. a serial your records carry elsewhere). */
  readonly identifiers?: readonly string[];
  /** Replaces {@link DENIED_WORDING}. */
  readonly deniedWording?: readonly RegExp[];
  /**
   * Accept a thrown `ProcessingError` as a failure (the runtime turns it into one, and the
   * contracts allow it); default true. A thrown `DataQualityError` is always accepted (the file
   * is quarantined); anything else thrown is a problem.
   */
  readonly allowProcessingError?: boolean;
}

/** The outcome of one file. */
export interface FileCheck {
  /** File name, `records[i]` or `(no records)`. */
  readonly name: string;
  /** Records given to the processor. */
  readonly records: number;
  /** The processor's `success`, or `"quarantined"` when it threw a `DataQualityError`. */
  readonly success: boolean | "quarantined";
  /** Broken rules, in plain English; empty when the file passed. Never quotes an identifier. */
  readonly problems: string[];
}

/** The report of {@link checkProcessor}. */
export interface ProcessorCheckReport {
  /** `"<record type> processor <version>"`. */
  readonly processor: string;
  /** One entry per file or record set, plus `(no records)` and `(lifecycle)` when relevant. */
  readonly files: FileCheck[];
  /** True when no file has a problem. */
  readonly ok: boolean;
  /** Every problem as `"<file>: <problem>"`. */
  readonly problems: string[];
}

interface Input {
  readonly name: string;
  readonly records: readonly HealthConnectRecord[];
  readonly decodeProblem?: string;
}

type Outcome =
  | { readonly kind: "result"; readonly result: ProcessingResult }
  | { readonly kind: "quarantined" }
  | { readonly kind: "threw"; readonly name: string; readonly errorType: unknown };

function isNamedBytes(value: unknown): value is NamedBytes {
  return typeof value === "object" && value !== null && "name" in value && "bytes" in value;
}

function decodeInput(name: string, bytes: Uint8Array, type: RecordType, skipOtherTypes: boolean): Input | undefined {
  try {
    const decoded = decodeHealthConnect(bytes);
    if (decoded.recordType !== type) {
      if (skipOtherTypes) return undefined;
      return { name, records: [], decodeProblem: `file holds ${decoded.recordType}, not ${type}` };
    }
    return { name, records: decoded.records };
  } catch (error) {
    return { name, records: [], decodeProblem: `could not be decoded: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** `.avro` files under `dir`, recursively, as sorted paths relative to it (`user-1/StepsRecord_….avro`). */
function avroFilesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, encoding: "utf8" }))
    .filter((f) => f.endsWith(".avro") && statSync(join(dir, f)).isFile())
    .map((f) => f.split(sep).join("/"))
    .sort();
}

function collectInputs(type: RecordType, options: CheckProcessorOptions): Input[] {
  const inputs: Input[] = [];
  (options.files ?? []).forEach((file, i) => {
    if (typeof file === "string") {
      if (statSync(file).isDirectory()) {
        for (const entry of avroFilesUnder(file)) {
          const input = decodeInput(entry, readFileSync(join(file, entry)), type, true);
          if (input !== undefined) inputs.push(input);
        }
      } else {
        const input = decodeInput(basename(file), readFileSync(file), type, false);
        if (input !== undefined) inputs.push(input);
      }
    } else if (isNamedBytes(file)) {
      const input = decodeInput(file.name, file.bytes, type, false);
      if (input !== undefined) inputs.push(input);
    } else {
      const input = decodeInput(`bytes[${String(i)}]`, file, type, false);
      if (input !== undefined) inputs.push(input);
    }
  });
  (options.records ?? []).forEach((set, i) => {
    inputs.push({ name: `records[${String(i)}]`, records: set });
  });
  if (options.includeEmpty ?? true) inputs.push({ name: "(no records)", records: [] });
  return inputs;
}

function errorTypeOf(error: unknown): unknown {
  return error instanceof Error ? (error as { errorType?: unknown }).errorType : undefined;
}

async function runOnce(
  processor: ClinicalProcessor,
  records: readonly HealthConnectRecord[],
  message: HealthDataMessage,
  validation: ValidationResult,
): Promise<Outcome> {
  try {
    // A processor of type T is only ever given records of type T; the inputs were decoded as such.
    const result = await processor.processWithClinicalInsights(records, message, validation);
    return { kind: "result", result };
  } catch (error) {
    const errorType = errorTypeOf(error);
    if (errorType === "data_quality") return { kind: "quarantined" };
    return { kind: "threw", name: error instanceof Error ? error.name : typeof error, errorType };
  }
}

/** Strings no narrative may contain, each with a description that does not quote it. */
function identifiersOf(records: readonly HealthConnectRecord[], message: HealthDataMessage, extra: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const add = (value: string | null | undefined, what: string): void => {
    if (value !== null && value !== undefined && value.trim().length >= 3 && !ids.has(value)) ids.set(value, what);
  };
  add(message.userId, "the user id");
  records.forEach((r, i) => {
    const n = String(i + 1);
    add(r.metadata.id, `a record id (metadata.id of record ${n})`);
    add(r.metadata.clientRecordId, `a client record id (metadata.clientRecordId of record ${n})`);
    add(r.metadata.device?.model, `a device model string (metadata.device.model of record ${n})`);
  });
  extra.forEach((value, i) => {
    add(value, `an identifier (identifiers[${String(i)}])`);
  });
  return ids;
}

function stringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function nonFinitePath(value: unknown, path: string): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonFinitePath(value[i], `${path}[${String(i)}]`);
      if (found !== undefined) return found;
    }
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const found = nonFinitePath(v, `${path}.${k}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function checkResult(
  result: ProcessingResult,
  input: Input,
  message: HealthDataMessage,
  validation: ValidationResult,
  options: CheckProcessorOptions,
): string[] {
  const problems: string[] = [];
  const n = input.records.length;
  if (typeof result.success !== "boolean") problems.push("success is not a boolean");
  if (!Number.isInteger(result.recordsProcessed) || result.recordsProcessed < 0 || result.recordsProcessed > n) {
    problems.push(`recordsProcessed is ${String(result.recordsProcessed)}, expected a whole number from 0 to the ${String(n)} records given`);
  }
  if (result.qualityScore !== validation.qualityScore) {
    problems.push(`qualityScore is ${String(result.qualityScore)}, not the validation's ${String(validation.qualityScore)} (pass it through unchanged)`);
  }
  if (typeof result.processingTimeSeconds !== "number" || !Number.isFinite(result.processingTimeSeconds) || result.processingTimeSeconds < 0) {
    problems.push("processingTimeSeconds is not a finite number ≥ 0");
  }
  const insights: unknown = result.clinicalInsights;
  if (insights === null || typeof insights !== "object" || Array.isArray(insights)) {
    problems.push("clinicalInsights is not an object");
    return problems;
  }
  const insightsJson = stringify(insights);
  if (insightsJson === undefined) problems.push("clinicalInsights is not JSON-serialisable");
  const bad = nonFinitePath(insights, "clinicalInsights");
  if (bad !== undefined) problems.push(`${bad} is not a finite number (JSON would turn it into null)`);
  const ids = identifiersOf(input.records, message, options.identifiers ?? []);
  if (insightsJson !== undefined) {
    for (const [value, what] of ids) {
      if (what === "the user id" || what.startsWith("a record id")) {
        if (insightsJson.includes(value)) problems.push(`clinicalInsights contains ${what}`);
      }
    }
  }
  if (result.success) {
    if (typeof result.narrative !== "string" || result.narrative.trim() === "") {
      problems.push("success is true but the narrative is empty");
      return problems;
    }
    const narrative = result.narrative;
    const missing = missingNarrativeNumbers(narrative, result.clinicalInsights);
    if (missing.length > 0) problems.push(`narrative numbers not in clinicalInsights: ${missing.join(", ")}`);
    for (const [value, what] of ids) if (narrative.includes(value)) problems.push(`narrative contains ${what}`);
    for (const pattern of options.deniedWording ?? DENIED_WORDING) {
      const match = pattern.exec(narrative);
      if (match !== null) problems.push(`narrative uses denied wording "${match[0]}" (${String(pattern)})`);
    }
  } else {
    if (result.errorMessage !== undefined && typeof result.errorMessage !== "string") problems.push("errorMessage is not a string");
    const text = typeof result.errorMessage === "string" ? result.errorMessage : "";
    for (const [value, what] of ids) if (text.includes(value)) problems.push(`errorMessage contains ${what}`);
  }
  return problems;
}

function fingerprint(result: ProcessingResult): string {
  return stringify([result.narrative ?? null, result.clinicalInsights]) ?? "(not serialisable)";
}

async function checkInput(processor: ClinicalProcessor, input: Input, options: CheckProcessorOptions): Promise<FileCheck> {
  if (input.decodeProblem !== undefined) {
    return { name: input.name, records: 0, success: false, problems: [input.decodeProblem] };
  }
  const message = sampleMessage(processor.recordType, options.message);
  const validation = sampleValidation(processor.recordType, { ...options.validation, recordCount: input.records.length });
  const first = await runOnce(processor, input.records, message, validation);
  // The second run gets deep copies, so a result that depends on object identity or on
  // mutating the input shows up as non-determinism.
  const second = await runOnce(processor, structuredClone(input.records), message, validation);
  const problems: string[] = [];
  const describe = (o: Outcome): string => (o.kind === "result" ? "returned a result" : o.kind === "quarantined" ? "threw DataQualityError" : `threw ${o.name}`);
  for (const outcome of [first, second]) {
    if (outcome.kind !== "threw") continue;
    const allowed = (options.allowProcessingError ?? true) && outcome.errorType === "processing_error";
    if (!allowed) {
      problems.push(`threw ${outcome.name} instead of returning success: false (only DataQualityError may be thrown)`);
    }
    break;
  }
  if (first.kind !== second.kind) {
    problems.push(`not deterministic: the first run ${describe(first)}, the second ${describe(second)}`);
  }
  if (first.kind !== "result") {
    return { name: input.name, records: input.records.length, success: first.kind === "quarantined" ? "quarantined" : false, problems };
  }
  problems.push(...checkResult(first.result, input, message, validation, options));
  if (second.kind === "result") {
    if (fingerprint(first.result) !== fingerprint(second.result)) {
      problems.push("not deterministic: two runs over the same records gave different narrative or clinicalInsights JSON");
    }
    if (first.result.success !== second.result.success || first.result.recordsProcessed !== second.result.recordsProcessed) {
      problems.push("not deterministic: two runs gave different success or recordsProcessed");
    }
  }
  return { name: input.name, records: input.records.length, success: first.result.success, problems };
}

/**
 * Runs `processor` over real or generated exports and hand-built record sets, twice each, and
 * checks the rules every processor keeps (see the package README, "Testing a processor"):
 * determinism, every narrative number in `clinicalInsights`, no identifiers in narratives,
 * failures returned rather than thrown (`DataQualityError` excepted), `recordsProcessed` ≤
 * records, `qualityScore` passed through, and no wording from {@link DENIED_WORDING}.
 * Calls `initialize()` and `cleanup()` twice each (both must be safe to repeat). Never throws
 * for a broken processor: the problems are in the report.
 */
export async function checkProcessor<T extends RecordType>(
  processor: ClinicalProcessor<T>,
  options: CheckProcessorOptions<T> = {},
): Promise<ProcessorCheckReport> {
  const name = `${processor.recordType} processor ${processor.version}`;
  const generic = processor as unknown as ClinicalProcessor;
  const general = options as CheckProcessorOptions;
  const files: FileCheck[] = [];
  const lifecycle: string[] = [];
  const step = async (label: string, fn: () => Promise<void>): Promise<boolean> => {
    try {
      await fn();
      return true;
    } catch (error) {
      lifecycle.push(`${label} threw ${error instanceof Error ? error.name : typeof error}`);
      return false;
    }
  };
  if ((await step("initialize()", () => processor.initialize())) && (await step("a second initialize()", () => processor.initialize()))) {
    for (const input of collectInputs(processor.recordType, general)) files.push(await checkInput(generic, input, general));
  }
  if (await step("cleanup()", () => processor.cleanup())) await step("a second cleanup()", () => processor.cleanup());
  if (lifecycle.length > 0) files.push({ name: "(lifecycle)", records: 0, success: false, problems: lifecycle });
  const problems = files.flatMap((f) => f.problems.map((p) => `${f.name}: ${p}`));
  return { processor: name, files, ok: problems.length === 0, problems };
}

/** Thrown by {@link assertProcessorSound}; `report` holds every file's outcome. */
export class ProcessorCheckError extends Error {
  override readonly name: string = "ProcessorCheckError";
  /** The full report. */
  readonly report: ProcessorCheckReport;

  constructor(report: ProcessorCheckReport) {
    const checked = report.files.filter((f) => f.name !== "(lifecycle)").length;
    super(`${report.processor} broke ${String(report.problems.length)} rule(s) over ${String(checked)} input(s):\n${report.problems.map((p) => `  - ${p}`).join("\n")}`);
    this.report = report;
  }
}

/**
 * {@link checkProcessor}, throwing a {@link ProcessorCheckError} that lists every problem when
 * any rule is broken — for a team's test: `await assertProcessorSound(new MyProcessor(), { files: [dir] })`.
 * Returns the report when everything passed.
 */
export async function assertProcessorSound<T extends RecordType>(
  processor: ClinicalProcessor<T>,
  options: CheckProcessorOptions<T> = {},
): Promise<ProcessorCheckReport> {
  const report = await checkProcessor(processor, options);
  if (!report.ok) throw new ProcessorCheckError(report);
  return report;
}
