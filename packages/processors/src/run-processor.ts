import {
  DataQualityError,
  isErrorType,
  type ClinicalProcessor,
  type HealthDataMessage,
  type ProcessingResult,
  type RecordOf,
  type RecordType,
  type ValidationResult,
} from "@narrative-engine/contracts";

/** True for a {@link DataQualityError}, also one from another copy of the contracts package. */
export function isDataQualityError(error: unknown): error is DataQualityError {
  return (
    error instanceof DataQualityError ||
    (error instanceof Error && (error as { errorType?: unknown }).errorType === "data_quality")
  );
}

/**
 * Runs one processor on one file's records and always ends in a {@link ProcessingResult},
 * with one exception:
 *
 * - a returned result passes through unchanged except `processingTimeSeconds`, which is the
 *   wall time measured here (the whole call, the same clock for every processor);
 * - a thrown {@link DataQualityError} is RETHROWN, so the pipeline can quarantine the file
 *   (it is a verdict on the data, not a processor failure);
 * - anything else thrown becomes `success: false` with `clinicalInsights.error_type` set to
 *   the error's `errorType` when it has a valid one (`processing_error` for a
 *   `ProcessingError`) and `processing_error` otherwise. The error's message is not copied
 *   into `errorMessage` (it might quote record values); only the processor type and the
 *   error's class name are.
 */
export async function runProcessor<T extends RecordType>(
  processor: ClinicalProcessor<T>,
  records: readonly RecordOf<T>[],
  message: HealthDataMessage,
  validation: ValidationResult,
): Promise<ProcessingResult> {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  try {
    const result = await processor.processWithClinicalInsights(records, message, validation);
    return { ...result, processingTimeSeconds: seconds() };
  } catch (error) {
    if (isDataQualityError(error)) throw error;
    const name = error instanceof Error ? error.name : typeof error;
    const declared = error instanceof Error ? (error as { errorType?: unknown }).errorType : undefined;
    return {
      success: false,
      errorMessage: `${processor.recordType} processor ${processor.version} failed (${name})`,
      processingTimeSeconds: seconds(),
      recordsProcessed: 0,
      qualityScore: validation.qualityScore,
      clinicalInsights: { error_type: isErrorType(declared) ? declared : "processing_error" },
    };
  }
}
