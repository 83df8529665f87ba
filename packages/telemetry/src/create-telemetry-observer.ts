import { SpanKind, SpanStatusCode, trace, type Context, type Span } from "@opentelemetry/api";
import { deliveryLogger, outcomeLogLevel, redactText, type Logger } from "./create-logger.ts";
import { PIPELINE_STAGES, type EtlMetrics, type MessageStatus, type PipelineStage } from "./create-metrics.ts";
import { MESSAGE_SPAN_NAME, extractTraceContext, injectTraceContext, type Tracing } from "./create-tracing.ts";
import { errorTypeLabel, recordTypeLabel, retryNumberLabel, type RecordTypeLabel } from "./labels.ts";
import type { MessageIdentity, MessageObservation, MessageStart, PipelineObserver, PipelineOutcome } from "./pipeline-observer.ts";

/** Options of {@link createTelemetryObserver}. */
export interface TelemetryObserverOptions {
  /** Where counts and timings go. */
  readonly metrics: EtlMetrics;
  /** Parent logger; each delivery logs through a {@link deliveryLogger} child. */
  readonly logger: Logger;
  /** Tracing; omitted or disabled means no spans and no header injection. */
  readonly tracing?: Tracing | undefined;
  /**
   * Log one line per outcome at its level (default true). The consumer also logs its own
   * "message finished" line; turn this off to keep only that one.
   */
  readonly logOutcomes?: boolean;
  /** Clock in ms for durations (default `performance.now`); epoch clock for lag is `Date.now`. */
  readonly now?: () => number;
}

/** The `status` label each outcome is counted under. */
export const OUTCOME_STATUS: Readonly<Record<PipelineOutcome["kind"], MessageStatus>> = {
  completed: "completed",
  duplicate: "duplicate",
  deferred: "deferred",
  retry: "retried",
  dead_letter: "dead_lettered",
  quarantined: "quarantined",
  requeue: "failed",
};

const stageSet: ReadonlySet<string> = new Set(PIPELINE_STAGES);

/** Outcomes that short-circuit before the pipeline runs, so they are kept out of the duration histogram. */
const SKIPPED: ReadonlySet<PipelineOutcome["kind"]> = new Set(["duplicate", "deferred"]);

function epochMs(value: number | Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : value;
  return Number.isFinite(ms) ? ms : undefined;
}

function errorTypeOf(error: unknown): string {
  if (error !== null && typeof error === "object") {
    const type = (error as { errorType?: unknown }).errorType;
    if (typeof type === "string") return errorTypeLabel(type);
    if (error instanceof Error) return error.name;
  }
  return "unknown";
}

/**
 * An observer for the consumer's pipeline that counts each outcome into
 * `etl_messages_processed_total` and the outcome's own counter, times stages, keeps
 * `etl_messages_in_progress`, logs the outcome at its level (retry warn, dead letter and
 * quarantine error) and, with tracing on, opens a span per delivery with a child per stage.
 */
export function createTelemetryObserver(options: TelemetryObserverOptions): PipelineObserver {
  const { metrics, logger } = options;
  const tracer = options.tracing?.enabled === true ? options.tracing.tracer : undefined;
  const now = options.now ?? (() => performance.now());
  const logOutcomes = options.logOutcomes ?? true;

  return {
    messageStarted(start: MessageStart): MessageObservation {
      const startedAt = now();
      let recordType: RecordTypeLabel = recordTypeLabel(start.recordType);
      let correlationId = start.correlationId;
      let idempotencyKey = start.idempotencyKey;
      let log = deliveryLogger(logger, { correlationId, idempotencyKey, recordType, attempt: start.attempt });
      let records: number | undefined;
      let quality: number | undefined;
      let done = false;

      metrics.messagesInProgress.inc();

      // AMQP timestamps are republished with each retry; the upload time only measures the first delivery.
      const publishedAt = epochMs(start.publishedAt) ?? (start.attempt <= 0 ? epochMs(start.uploadTimestampUtc) : undefined);
      if (publishedAt !== undefined) metrics.messageLag.observe(Math.max(0, Date.now() - publishedAt) / 1000);

      let span: Span | undefined;
      let spanContext: Context | undefined;
      if (tracer !== undefined) {
        const parent = extractTraceContext(start.headers);
        span = tracer.startSpan(
          MESSAGE_SPAN_NAME,
          {
            kind: SpanKind.CONSUMER,
            attributes: { "messaging.system": "rabbitmq", record_type: recordType, attempt: start.attempt },
          },
          parent,
        );
        spanContext = trace.setSpan(parent, span);
      }

      return {
        async stage<T>(name: PipelineStage, fn: () => T | PromiseLike<T>): Promise<T> {
          const stage = stageSet.has(name) ? name : "other";
          const child =
            tracer === undefined ? undefined : tracer.startSpan(`narrative-engine.${stage}`, { attributes: { stage } }, spanContext);
          const began = now();
          try {
            return await fn();
          } catch (error) {
            const type = errorTypeOf(error);
            child?.setAttribute("error.type", type);
            child?.setStatus({ code: SpanStatusCode.ERROR, message: type });
            throw error;
          } finally {
            metrics.stageDuration.observe({ stage }, (now() - began) / 1000);
            child?.end();
          }
        },

        recordsParsed(count: number): void {
          if (!Number.isFinite(count) || count < 0) return;
          records = (records ?? 0) + count;
          metrics.avroRecordsParsed.inc({ record_type: recordType }, count);
        },

        qualityScore(score: number): void {
          if (!Number.isFinite(score)) return;
          quality = score;
          metrics.validationQualityScore.observe(score);
        },

        identify(identity: MessageIdentity): void {
          if (done) return;
          if (identity.recordType !== undefined) recordType = recordTypeLabel(identity.recordType);
          correlationId = identity.correlationId ?? correlationId;
          idempotencyKey = identity.idempotencyKey ?? idempotencyKey;
          log = deliveryLogger(logger, { correlationId, idempotencyKey, recordType, attempt: start.attempt });
          span?.setAttribute("record_type", recordType);
        },

        injectHeaders<H extends Record<string, unknown>>(headers: H): H {
          return spanContext === undefined ? headers : injectTraceContext(headers, spanContext);
        },

        finished(outcome: PipelineOutcome): void {
          if (done) {
            log.debug({ outcome: outcome.kind }, "outcome reported twice; ignored");
            return;
          }
          done = true;
          const durationSeconds = (now() - startedAt) / 1000;
          const labels = { record_type: recordType };
          metrics.messagesInProgress.dec();
          // An outcome kind newer than this package counts as failed rather than throwing.
          const known = Object.hasOwn(OUTCOME_STATUS, outcome.kind);
          const status: MessageStatus = known ? OUTCOME_STATUS[outcome.kind] : "failed";
          metrics.messagesProcessed.inc({ ...labels, status });
          if (!SKIPPED.has(outcome.kind)) metrics.processingDuration.observe(labels, durationSeconds);

          let errorType: string | undefined;
          let errorMessage: string | undefined;
          switch (outcome.kind) {
            case "completed":
              metrics.trainingDataGenerated.inc(labels);
              break;
            case "duplicate":
              metrics.duplicateMessages.inc();
              break;
            case "retry":
              metrics.retryAttempts.inc({ ...labels, retry_number: retryNumberLabel(outcome.retryNumber ?? start.attempt + 1) });
              if (outcome.reason !== undefined) {
                errorType = errorTypeLabel(outcome.reason.errorType);
                errorMessage = outcome.reason.message;
                metrics.processingErrors.inc({ ...labels, error_type: errorType });
              }
              break;
            case "dead_letter":
              errorType = errorTypeLabel(outcome.reason.errorType);
              errorMessage = outcome.reason.message;
              metrics.deadLetterMessages.inc({ ...labels, reason: errorType });
              metrics.processingErrors.inc({ ...labels, error_type: errorType });
              break;
            case "quarantined":
              errorType = errorTypeLabel(outcome.reason.errorType);
              errorMessage = outcome.reason.message;
              metrics.recordsQuarantined.inc({ ...labels, reason: errorType });
              metrics.processingErrors.inc({ ...labels, error_type: errorType });
              break;
            case "requeue":
              if (outcome.reason !== undefined) {
                errorType = errorTypeLabel(outcome.reason.errorType);
                errorMessage = outcome.reason.message;
                metrics.processingErrors.inc({ ...labels, error_type: errorType });
              }
              break;
            case "deferred":
              break;
          }

          if (span !== undefined) {
            span.setAttribute("outcome", outcome.kind);
            span.setAttribute("record_type", recordType);
            if (errorType !== undefined) span.setAttribute("error.type", errorType);
            if (outcome.kind === "retry" || outcome.kind === "dead_letter" || outcome.kind === "requeue") {
              span.setStatus({ code: SpanStatusCode.ERROR, message: errorType ?? outcome.kind });
            }
            span.end();
          }

          if (!logOutcomes) return;
          const fields: Record<string, unknown> = {
            outcome: outcome.kind,
            status,
            duration_ms: Math.round(durationSeconds * 1000),
          };
          if (records !== undefined) fields["records_parsed"] = records;
          if (quality !== undefined) fields["quality_score"] = quality;
          if (errorType !== undefined) fields["error_type"] = errorType;
          if (outcome.kind === "retry" && outcome.retryNumber !== undefined) fields["retry_number"] = outcome.retryNumber;
          if ("delayMs" in outcome && outcome.delayMs !== undefined) fields["delay_ms"] = outcome.delayMs;
          log[known ? outcomeLogLevel(outcome.kind) : "warn"](fields, `message ${status}`);
          // Reason texts may name object keys (which embed user ids), so they stay at debug.
          if (errorMessage !== undefined) log.debug({ outcome: outcome.kind, error_message: redactText(errorMessage) }, "outcome reason");
        },
      };
    },
  };
}
