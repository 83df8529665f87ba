import type { HealthDataMessage } from "./health-data-message.ts";
import type { JsonValue } from "./json.ts";
import type { RecordType } from "./record-types.ts";
import type { RecordOf } from "./records.ts";
import type { ValidationResult } from "./validation-result.ts";

/** Clinical metrics a processor computed, with snake_case keys; every number in the narrative appears here. */
export type ClinicalInsights = { readonly [key: string]: JsonValue };

/** What a processor returns for one file. Failures are returned, not thrown. */
export interface ProcessingResult {
  /** True when a narrative was produced. */
  readonly success: boolean;
  /** The narrative (a few short paragraphs of plain English) when successful. */
  readonly narrative?: string;
  /** Why processing failed, when it did. Must not contain record values. */
  readonly errorMessage?: string;
  /** Wall time spent in the processor, seconds. */
  readonly processingTimeSeconds: number;
  /** Records used after de-duplication. */
  readonly recordsProcessed: number;
  /** The validation quality score the processor was given. */
  readonly qualityScore: number;
  /** The computed metrics. */
  readonly clinicalInsights: ClinicalInsights;
}

/**
 * A clinical processor for one record type. Processors must be deterministic: the same
 * records give the same narrative and insights, byte for byte.
 */
export interface ClinicalProcessor<T extends RecordType = RecordType> {
  /** The record type this processor handles. */
  readonly recordType: T;
  /** Version of the processor, written to training metadata. */
  readonly version: string;
  /** Prepares the processor; safe to call twice. */
  initialize(): Promise<void>;
  /** Computes insights and a narrative for one file's records. */
  processWithClinicalInsights(
    records: readonly RecordOf<T>[],
    message: HealthDataMessage,
    validation: ValidationResult,
  ): Promise<ProcessingResult>;
  /** Releases anything `initialize` acquired; safe to call twice. */
  cleanup(): Promise<void>;
}

/** A processor for each record type that has one; the key must match the processor's own type. */
export type ProcessorMap = { readonly [T in RecordType]?: ClinicalProcessor<T> };

/** Identity function that checks at compile time that `processor` handles exactly `type`. */
export function processorFor<T extends RecordType>(type: T, processor: ClinicalProcessor<NoInfer<T>>): ClinicalProcessor<T> {
  if (processor.recordType !== type) {
    throw new TypeError(`processor handles ${processor.recordType}, not ${type}`);
  }
  return processor;
}
