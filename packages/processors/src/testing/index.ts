export {
  DENIED_WORDING,
  ProcessorCheckError,
  assertProcessorSound,
  checkProcessor,
  type CheckProcessorOptions,
  type FileCheck,
  type NamedBytes,
  type ProcessorCheckReport,
} from "./check-processor.ts";
export { SAMPLE_QUALITY_SCORE, SAMPLE_USER_ID, sampleMessage, sampleValidation, type SampleValidationOptions } from "./sample-message.ts";
