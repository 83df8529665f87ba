export { publishConfirmed } from "./confirmed-publish.ts";
export {
  listDeadLetters,
  queueDepths,
  replayDeadLetters,
  type DeadLetterSummary,
  type QueueDepths,
  type ReplayOptions,
  type ReplayResult,
} from "./dead-letter-tools.ts";
export { noopLogger, type Logger } from "./logger.ts";
export type {
  DecodedFile,
  Decoder,
  PipelineConfig,
  PipelineDependencies,
  ProcessorLookup,
  RecoveryPolicyLike,
  TrainingOutput,
  TrainingWriter,
  Validator,
} from "./pipeline-dependencies.ts";
export {
  noopObserver,
  type MessageObservation,
  type MessageStartInfo,
  type PipelineObserver,
  type PipelineStage,
} from "./pipeline-observer.ts";
export type { OutcomeReason, PipelineOutcome, PipelineOutcomeKind } from "./pipeline-outcome.ts";
export { processMessage, type Delivery, type ProcessMessageOptions } from "./process-message.ts";
export { healthDataRoutingKey, publishHealthDataMessage, type PublishHealthDataOptions } from "./publish-health-data-message.ts";
export {
  DEFAULT_QUARANTINE_PREFIX,
  quarantineLocation,
  quarantineSidecar,
  writeQuarantine,
  type QuarantineDetails,
  type QuarantineLocation,
} from "./quarantine.ts";
export { RabbitConsumer, retryCountOf, type MessageHandler, type RabbitConsumerOptions } from "./rabbit-consumer.ts";
export {
  DEFAULT_RETRY_DELAYS_MS,
  declareTopology,
  prefixedTopology,
  resolveTopology,
  tierForDelay,
  tierForRetry,
  topologyExchanges,
  topologyQueues,
  type DeclareMode,
  type QueueType,
  type RabbitTopology,
  type RabbitTopologyOptions,
  type RetryTier,
} from "./rabbit-topology.ts";
