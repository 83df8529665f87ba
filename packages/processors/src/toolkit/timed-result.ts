import type { ClinicalInsights, ProcessingResult, ValidationResult } from "@narrative-engine/contracts";
import { isDataQualityError } from "../run-processor.ts";

/** What a processor's pure analysis returns: a narrative, or the reason there is none. */
export type AnalysisOutcome =
  | { readonly kind: "narrative"; readonly narrative: string; readonly insights: ClinicalInsights; readonly recordsProcessed: number }
  | { readonly kind: "insufficient"; readonly reason: string; readonly insights: ClinicalInsights; readonly recordsProcessed: number };

/**
 * Runs an analysis and wraps it in a {@link ProcessingResult} with the wall time taken.
 * Failures are returned, not thrown; an unexpected error's text is not passed on (it may hold
 * record values), only its class name. A DataQualityError is rethrown, as `runProcessor` does,
 * so the pipeline quarantines the file whichever way a processor is called.
 */
export function timedResult(validation: ValidationResult, analyse: () => AnalysisOutcome): ProcessingResult {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  try {
    const outcome = analyse();
    if (outcome.kind === "insufficient") {
      return {
        success: false,
        errorMessage: outcome.reason,
        processingTimeSeconds: seconds(),
        recordsProcessed: outcome.recordsProcessed,
        qualityScore: validation.qualityScore,
        clinicalInsights: outcome.insights,
      };
    }
    return {
      success: true,
      narrative: outcome.narrative,
      processingTimeSeconds: seconds(),
      recordsProcessed: outcome.recordsProcessed,
      qualityScore: validation.qualityScore,
      clinicalInsights: outcome.insights,
    };
  } catch (error) {
    if (isDataQualityError(error)) throw error;
    const name = error instanceof Error ? error.name : "error";
    return {
      success: false,
      errorMessage: `processing failed (${name})`,
      processingTimeSeconds: seconds(),
      recordsProcessed: 0,
      qualityScore: validation.qualityScore,
      clinicalInsights: {},
    };
  }
}
