export {
  DURATION_BUCKETS,
  LAG_BUCKETS,
  MESSAGE_STATUSES,
  PIPELINE_STAGES,
  QUALITY_SCORE_BUCKETS,
  createMetrics,
  type EtlMetrics,
  type MessageStatus,
  type MetricsOptions,
  type PipelineStage,
  type QueueDepthSource,
} from "./create-metrics.ts";
export {
  ERROR_TYPE_LABELS,
  MAX_RETRY_NUMBER_LABEL,
  RECORD_TYPE_LABELS,
  errorTypeLabel,
  recordTypeLabel,
  retryNumberLabel,
  type ErrorTypeLabel,
  type RecordTypeLabel,
} from "./labels.ts";
export {
  DEFAULT_TELEMETRY_PORT,
  startTelemetryServer,
  type DependencyState,
  type ReadinessCheck,
  type TelemetryServer,
  type TelemetryServerOptions,
} from "./start-telemetry-server.ts";
export {
  REDACTED,
  REDACTED_KEYS,
  URL_KEYS,
  createLogger,
  deliveryLogger,
  outcomeLogLevel,
  redactFields,
  redactText,
  redactUrl,
  serializeError,
  type DeliveryContext,
  type Logger,
  type LoggerOptions,
  type OutcomeKind,
} from "./create-logger.ts";
export {
  MESSAGE_SPAN_NAME,
  createTracing,
  extractTraceContext,
  injectTraceContext,
  type AmqpHeaders,
  type Tracing,
  type TracingOptions,
} from "./create-tracing.ts";
export type {
  MessageIdentity,
  MessageObservation,
  MessageStart,
  OutcomeReason,
  PipelineObserver,
  PipelineOutcome,
} from "./pipeline-observer.ts";
export { OUTCOME_STATUS, createTelemetryObserver, type TelemetryObserverOptions } from "./create-telemetry-observer.ts";
export { trackBrokerConnection, type ConnectionEvents } from "./track-broker-connection.ts";
