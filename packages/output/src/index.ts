export {
  MAX_INPUT_ARRAY_LENGTH,
  MAX_INPUT_METRICS,
  MAX_INPUT_STRING_LENGTH,
  buildTrainingExample,
  checkTrainingExample,
  renderTrainingInput,
  type BuildTrainingExampleInput,
} from "./build-training-example.ts";
export { exportTraining, type ExportTrainingOptions, type ExportTrainingResult } from "./export-training.ts";
export { TRAINING_INSTRUCTIONS } from "./training-instructions.ts";
export {
  DEFAULT_TRAINING_PREFIX,
  TRAINING_CONTENT_TYPE,
  assertSafeIdempotencyKey,
  isSafeKeySegment,
  normalizeTrainingPrefix,
  trainingObjectKey,
  type TimeInput,
  type TrainingObjectKeyInput,
} from "./training-object-key.ts";
export {
  TrainingOutputWriter,
  type TrainingOutputWriterOptions,
  type TrainingWriteLocation,
  type TrainingWriteOptions,
} from "./training-output-writer.ts";
