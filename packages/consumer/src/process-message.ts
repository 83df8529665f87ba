import { createHash, randomUUID } from "node:crypto";
import {
  parseHealthDataMessage,
  type ClinicalProcessor,
  type ErrorType,
  type HealthDataMessage,
  type ValidationResult,
} from "@narrative-engine/contracts";
import { classifyError, errorMessage, ProcessingError, TimeoutError } from "@narrative-engine/errors";
import { noopLogger, type Logger } from "./logger.ts";
import type { DecodedFile, PipelineDependencies } from "./pipeline-dependencies.ts";
import { noopObserver, type MessageObservation, type PipelineStage } from "./pipeline-observer.ts";
import type { OutcomeReason, PipelineOutcome } from "./pipeline-outcome.ts";
import { DEFAULT_QUARANTINE_PREFIX, quarantineLocation, writeQuarantine } from "./quarantine.ts";

/** One delivery as the pipeline sees it, whatever the transport. */
export interface Delivery {
  /** Raw message body. */
  readonly body: Uint8Array;
  /** Transport headers (trace context, retry bookkeeping). */
  readonly headers?: Readonly<Record<string, unknown>>;
  /** Retries already done, from the transport (`x-retry-count`); else the body's `retry_count`. */
  readonly retryCount?: number;
  /** When the transport says the message was published (epoch ms; AMQP `timestamp`), if known. */
  readonly publishedAt?: number;
}

/** Options of one {@link processMessage} call. */
export interface ProcessMessageOptions {
  /** Aborts the work (worker shutdown); the claim is released and the outcome is `requeue`. */
  readonly signal?: AbortSignal;
  /** Filled with trace-context headers (observer's `injectHeaders`) for a republished copy. */
  readonly outHeaders?: Record<string, unknown>;
  /**
   * `immediate` (default): a dead letter after a claim is marked dead_lettered before the
   * outcome is returned. `deferred`: the outcome carries `commit` / `release` and the caller
   * marks it once the dead letter is durable (the RabbitMQ transport does this).
   */
  readonly deadLetterMarking?: "immediate" | "deferred";
}

const DEFAULTS = {
  leaseMs: 300_000,
  processingTimeoutMs: 300_000,
  maxFileBytes: 100 * 1024 * 1024,
  maxDeferMs: 30_000,
  requeueDelayMs: 1_000,
} as const;

/** The claim was taken over by another worker (our lease ran out). */
class LeaseLostError extends Error {
  override readonly name = "LeaseLostError";
}

/** A stage decided the file is bad data: quarantine it whatever the policy says. */
class QuarantineSignal extends Error {
  override readonly name = "QuarantineSignal";
  constructor(
    readonly stage: PipelineStage,
    readonly errorType: ErrorType,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

const initialized = new WeakSet<ClinicalProcessor>();

/**
 * Runs one delivery through the pipeline (architecture §3) and returns what the transport
 * must do with it. Never throws: every failure becomes an outcome. Dedup is updated for every
 * outcome after a successful claim, always with this attempt's owner token; a worker that
 * finds its lease taken over writes nothing further and answers `duplicate`.
 */
export async function processMessage(delivery: Delivery, deps: PipelineDependencies, options: ProcessMessageOptions = {}): Promise<PipelineOutcome> {
  const baseLogger = deps.logger ?? noopLogger;
  const observer = deps.observer ?? noopObserver;
  const headers = delivery.headers ?? {};
  const parsed = parseHealthDataMessage(delivery.body);
  if (!parsed.success) {
    const observation = observer.messageStarted({ headers, attempt: delivery.retryCount ?? 0 });
    const outcome: PipelineOutcome = { kind: "dead_letter", reason: { errorType: "validation_error", message: parsed.error.message } };
    if (options.outHeaders !== undefined) observation.injectHeaders(options.outHeaders);
    baseLogger.warn({ outcome: outcome.kind, error_type: "validation_error", field: parsed.error.field, reason: parsed.error.reason }, "message rejected");
    observation.finished(outcome);
    return outcome;
  }
  const message = parsed.message;
  const attempt = delivery.retryCount ?? message.retryCount;
  const logger = baseLogger.child({
    correlation_id: message.correlationId,
    idempotency_key: message.idempotencyKey,
    record_type: message.recordType,
    attempt,
  });
  const observation = observer.messageStarted({
    recordType: message.recordType,
    headers,
    attempt,
    correlationId: message.correlationId,
    idempotencyKey: message.idempotencyKey,
    uploadTimestampUtc: message.uploadTimestampUtc,
    // A retry copy keeps the original timestamp: the lag of a redelivery would count the retry delay.
    ...(attempt === 0 && delivery.publishedAt !== undefined ? { publishedAt: delivery.publishedAt } : {}),
  });
  const finish = (outcome: PipelineOutcome): PipelineOutcome => {
    if (options.outHeaders !== undefined) observation.injectHeaders(options.outHeaders);
    observation.finished(outcome);
    const fields: Record<string, unknown> = { outcome: outcome.kind };
    if ("reason" in outcome) fields["error_type"] = outcome.reason.errorType;
    if ("delayMs" in outcome) fields["delay_ms"] = outcome.delayMs;
    if (outcome.kind === "completed" || outcome.kind === "duplicate") logger.info(fields, "message finished");
    else logger.warn(fields, "message finished");
    // The reason text may name the object key, which holds the user id: debug only.
    if ("reason" in outcome) logger.debug({ outcome: outcome.kind, error_message: outcome.reason.message }, "message finished: reason");
    return outcome;
  };

  const config = deps.config;
  if (!config.allowedBuckets.includes(message.bucket)) {
    // No dedup record: the message's identity is not trustworthy, and recording it would let
    // a forged message mark a real idempotency key as dead-lettered.
    return finish({ kind: "dead_letter", reason: { errorType: "validation_error", message: `bucket "${message.bucket}" is not in the allowed buckets` } });
  }

  const leaseMs = config.leaseMs ?? DEFAULTS.leaseMs;
  const owner = `${config.workerId}:${randomUUID()}`;
  let claim;
  try {
    claim = await deps.dedup.tryClaim(message, message.idempotencyKey, owner, leaseMs);
  } catch (error) {
    return finish(storeOutage(error, config.requeueDelayMs));
  }
  if (claim.status === "duplicate") return finish({ kind: "duplicate" });
  if (claim.status === "busy") {
    const cap = config.maxDeferMs ?? DEFAULTS.maxDeferMs;
    return finish({ kind: "deferred", delayMs: Math.min(Math.max(claim.remainingMs, 1), cap) });
  }
  logger.debug({ claim_attempt: claim.attempt }, "claimed");
  return finish(
    await runClaimed({
      message,
      attempt,
      owner,
      leaseMs,
      deps,
      logger,
      observation,
      outerSignal: options.signal,
      deferDeadLetterMark: options.deadLetterMarking === "deferred",
    }),
  );
}

interface ClaimedContext {
  readonly message: HealthDataMessage;
  readonly attempt: number;
  readonly owner: string;
  readonly leaseMs: number;
  readonly deps: PipelineDependencies;
  readonly logger: Logger;
  readonly observation: MessageObservation;
  readonly outerSignal: AbortSignal | undefined;
  readonly deferDeadLetterMark: boolean;
}

function storeOutage(error: unknown, delayMs: number | undefined): PipelineOutcome {
  const classified = classifyError(error);
  return {
    kind: "requeue",
    delayMs: delayMs ?? DEFAULTS.requeueDelayMs,
    reason: { errorType: classified.errorType, message: `deduplication store unavailable: ${errorMessage(error)}` },
  };
}

async function runClaimed(ctx: ClaimedContext): Promise<PipelineOutcome> {
  const { message, owner, leaseMs, deps, logger, observation } = ctx;
  const { config, dedup } = deps;
  const now = deps.now ?? Date.now;
  const started = now();
  const key = message.idempotencyKey;
  const controller = new AbortController();
  const signal = controller.signal;
  const timeoutMs = config.processingTimeoutMs ?? DEFAULTS.processingTimeoutMs;
  const timer = setTimeout(() => {
    controller.abort(new TimeoutError(`processing took longer than ${timeoutMs} ms`));
  }, timeoutMs);
  const onOuterAbort = (): void => {
    controller.abort(new ShutdownError());
  };
  if (ctx.outerSignal?.aborted) onOuterAbort();
  else ctx.outerSignal?.addEventListener("abort", onOuterAbort, { once: true });
  // When the lease was last known to be ours (the claim, then each renewal): see assertOwner.
  let leaseConfirmedAt = started;
  const renew = async (): Promise<void> => {
    try {
      const at = now();
      if (await dedup.renewLease(key, owner, leaseMs)) leaseConfirmedAt = at;
      else controller.abort(new LeaseLostError("lease was taken over by another worker"));
    } catch (error) {
      // The lease may still be ours; the next renewal or the final mark will tell.
      logger.warn({ error_message: errorMessage(error) }, "lease renewal failed");
    }
  };
  const renewTimer = setInterval(() => void renew(), Math.max(Math.floor(leaseMs / 3), 1));
  let validation: ValidationResult | undefined;
  let stage: PipelineStage = "download";
  try {
    // Held in a `let` and dropped after decoding: a large file's bytes are not kept alive while its
    // records are validated and processed (a 50 MB upload would otherwise stay resident to the end).
    let bytes: Uint8Array | undefined = await observation.stage("download", () =>
      raceAbort(deps.store.get(message.bucket, message.key, { maxBytes: config.maxFileBytes ?? DEFAULTS.maxFileBytes, signal }), signal),
    );
    if (message.contentHash !== undefined) {
      const actual = createHash("sha256").update(bytes).digest("hex");
      if (actual !== message.contentHash) {
        throw new QuarantineSignal("download", "validation_error", "content hash mismatch: the file is not the one the message announced", {
          expected_sha256: message.contentHash,
          actual_sha256: actual,
          bytes: bytes.byteLength,
        });
      }
    }

    stage = "decode";
    let decoded: DecodedFile;
    try {
      const input = bytes;
      bytes = undefined;
      decoded = await observation.stage("decode", () =>
        raceAbort(
          Promise.resolve().then(() =>
            deps.decoder.decode(input, { expectedType: message.recordType, ...(config.maxRecords === undefined ? {} : { maxRecords: config.maxRecords }) }),
          ),
          signal,
        ),
      );
    } catch (error) {
      if (signal.aborted) throw error;
      // Whatever the decoder throws, the bytes are the problem: a retry would read the same bytes.
      const type = classifyError(error).errorType;
      throw new QuarantineSignal("decode", type === "processing_error" || type === "resource_error" ? "schema_error" : type, `could not decode the file: ${errorMessage(error)}`);
    }
    if (decoded.recordType !== message.recordType) {
      throw new QuarantineSignal("decode", "schema_error", `file holds ${decoded.recordType} records, message announced ${message.recordType}`, {
        decoded_record_type: decoded.recordType,
      });
    }
    observation.recordsParsed(decoded.records.length);

    stage = "validate";
    const result = await observation.stage("validate", () =>
      raceAbort(Promise.resolve().then(() => deps.validator.validate(message.recordType, decoded.records)), signal),
    );
    validation = result;
    observation.qualityScore(result.qualityScore);
    if (!result.isValid) {
      throw new QuarantineSignal("validate", "data_quality", `quality score ${result.qualityScore.toFixed(3)} is below the threshold or the file is unusable`);
    }

    stage = "process";
    const processor = deps.processors.get(message.recordType);
    if (processor === undefined) throw new ProcessingError(`no processor is registered for ${message.recordType}`);
    const processed = await observation.stage("process", () =>
      raceAbort(
        (async () => {
          if (!initialized.has(processor)) {
            await processor.initialize();
            initialized.add(processor);
          }
          return processor.processWithClinicalInsights(decoded.records as never, message, result);
        })(),
        signal,
      ),
    );
    if (!processed.success || processed.narrative === undefined || processed.narrative.length === 0) {
      throw new ProcessingError(`processor failed: ${processed.errorMessage ?? "no narrative produced"}`);
    }

    stage = "output";
    await assertOwner(ctx, controller, leaseConfirmedAt, now);
    await observation.stage("output", () =>
      raceAbort(
        deps.writer.write(
          {
            message,
            result: processed,
            validation: result,
            processorVersion: processor.version,
            dataStart: toIso(decoded.stats.firstTimestamp),
            dataEnd: toIso(decoded.stats.lastTimestamp),
          },
          { signal },
        ),
        signal,
      ),
    );
    const marked = await dedup.markProcessingCompleted(key, owner, {
      processingTimeSeconds: (now() - started) / 1000,
      recordsProcessed: processed.recordsProcessed,
      qualityScore: result.qualityScore,
      narrative: processed.narrative,
    });
    if (!marked) return leaseLost(logger);
    return { kind: "completed" };
  } catch (caught) {
    return await handleFailure(ctx, caught, signal, stage, validation);
  } finally {
    clearTimeout(timer);
    clearInterval(renewTimer);
    ctx.outerSignal?.removeEventListener("abort", onOuterAbort);
  }
}

/** The worker is shutting down. */
class ShutdownError extends Error {
  override readonly name = "ShutdownError";
  constructor() {
    super("worker is shutting down");
  }
}

/**
 * Makes sure the lease is still ours before the output is written. A lease confirmed less than
 * half its length ago cannot have run out, so no other worker can have taken the key over: the
 * store is only asked when the work took longer than that (most messages take milliseconds
 * against a 300 s lease, so this saves one store round trip per message). The final
 * `markProcessingCompleted` checks the owner in the store in every case.
 */
async function assertOwner(ctx: ClaimedContext, controller: AbortController, confirmedAt: number, now: () => number): Promise<void> {
  if (controller.signal.aborted) throw controller.signal.reason;
  if (now() - confirmedAt < ctx.leaseMs / 2) return;
  if (!(await ctx.deps.dedup.renewLease(ctx.message.idempotencyKey, ctx.owner, ctx.leaseMs))) {
    const lost = new LeaseLostError("lease was taken over by another worker");
    controller.abort(lost);
    throw lost;
  }
}

function leaseLost(logger: Logger): PipelineOutcome {
  logger.warn({}, "lease was taken over by another worker; leaving the message to the new owner");
  return { kind: "duplicate" };
}

async function handleFailure(
  ctx: ClaimedContext,
  caught: unknown,
  signal: AbortSignal,
  stage: PipelineStage,
  validation: ValidationResult | undefined,
): Promise<PipelineOutcome> {
  const { message, attempt, owner, deps, logger } = ctx;
  const { dedup } = deps;
  const key = message.idempotencyKey;
  const error: unknown = signal.aborted ? signal.reason : caught;
  if (error instanceof LeaseLostError) return leaseLost(logger);
  try {
    if (error instanceof ShutdownError) {
      // Release the claim so the redelivered copy is claimable at once, not after the lease.
      await dedup.markProcessingFailed(key, owner, { errorType: "temporary_error", errorMessage: error.message });
      return { kind: "requeue", delayMs: 0, reason: { errorType: "temporary_error", message: error.message } };
    }
    let reason: OutcomeReason;
    let quarantine: { stage: PipelineStage; details: Readonly<Record<string, unknown>> } | undefined;
    let decision;
    if (error instanceof QuarantineSignal) {
      reason = { errorType: error.errorType, message: error.message };
      quarantine = { stage: error.stage, details: error.details };
    } else {
      const classified = classifyError(error);
      reason = { errorType: classified.errorType, message: errorMessage(error) };
      decision = deps.policy.decide(classified.errorType, attempt);
      if (decision.action === "quarantine") quarantine = { stage, details: {} };
    }
    logger.debug({ stage, error_type: reason.errorType }, "stage failed");
    if (quarantine !== undefined) return await quarantineFile(ctx, reason, quarantine.stage, quarantine.details, validation, signal);
    if (decision?.action === "retry") {
      if (!(await dedup.markProcessingFailed(key, owner, { errorType: reason.errorType, errorMessage: reason.message }))) return leaseLost(logger);
      return { kind: "retry", delayMs: decision.delayMs, retryNumber: decision.retryNumber, reason };
    }
    if (decision?.action === "dead_letter" && decision.alert) logger.error({ error_type: reason.errorType }, "dead-lettering a message that needs an operator");
    return await deadLetterAfterClaim(ctx, reason);
  } catch (markError) {
    return storeOutage(markError, deps.config.requeueDelayMs);
  }
}

async function quarantineFile(
  ctx: ClaimedContext,
  reason: OutcomeReason,
  stage: PipelineStage,
  details: Readonly<Record<string, unknown>>,
  validation: ValidationResult | undefined,
  signal: AbortSignal,
): Promise<PipelineOutcome> {
  const { message, attempt, owner, deps, logger } = ctx;
  const { config, dedup } = deps;
  const key = message.idempotencyKey;
  const location = quarantineLocation(message, config.quarantineBucket, config.quarantinePrefix ?? DEFAULT_QUARANTINE_PREFIX);
  const controller = new AbortController();
  try {
    if (!(await dedup.renewLease(key, owner, ctx.leaseMs))) return leaseLost(logger);
    // The processing deadline may be what brought us here; the quarantine copy gets its own.
    const timeout = setTimeout(() => controller.abort(new TimeoutError("quarantine copy timed out")), config.processingTimeoutMs ?? DEFAULTS.processingTimeoutMs);
    try {
      await writeQuarantine(
        deps.store,
        message,
        location,
        { stage, reason, attempt, validation, details, workerId: config.workerId, at: (deps.now ?? Date.now)() },
        signal.aborted ? controller.signal : AbortSignal.any([signal, controller.signal]),
      );
    } finally {
      clearTimeout(timeout);
    }
  } catch (error) {
    if (error instanceof LeaseLostError) return leaseLost(logger);
    // Could not write the quarantine copy: retry while the failure is transient.
    const classified = classifyError(error);
    const failure = { errorType: classified.errorType, errorMessage: `quarantine failed: ${errorMessage(error)}` };
    const decision = classified.retriable ? deps.policy.decide(classified.errorType, attempt) : ({ action: "dead_letter", alert: false } as const);
    if (decision.action === "retry") {
      if (!(await dedup.markProcessingFailed(key, owner, failure))) return leaseLost(logger);
      return { kind: "retry", delayMs: decision.delayMs, retryNumber: decision.retryNumber, reason: { errorType: failure.errorType, message: failure.errorMessage } };
    }
    return await deadLetterAfterClaim(ctx, { errorType: failure.errorType, message: failure.errorMessage });
  }
  if (!(await dedup.markQuarantined(key, owner, { errorType: reason.errorType, errorMessage: reason.message }))) return leaseLost(logger);
  // The quarantined object's name is the upload's, which holds the user id: the key at debug only.
  logger.info({ stage }, "file quarantined");
  logger.debug({ quarantine_key: location.objectKey }, "quarantine location");
  return { kind: "quarantined", reason };
}

/**
 * A dead letter after a claim. With deferred marking the key stays claimed until the dead letter is durable: the
 * transport calls `commit` (mark dead_lettered) once the broker confirmed the copy, or
 * `release` (mark failed, claimable again) when the publish failed and the original goes back
 * to the queue — so a redelivery is never answered `duplicate` for a dead letter that was
 * never written.
 */
async function deadLetterAfterClaim(ctx: ClaimedContext, reason: OutcomeReason): Promise<PipelineOutcome> {
  const { message, owner, deps, logger } = ctx;
  const key = message.idempotencyKey;
  const failure = { errorType: reason.errorType, errorMessage: reason.message };
  if (!ctx.deferDeadLetterMark) {
    if (!(await deps.dedup.markDeadLettered(key, owner, failure))) return leaseLost(logger);
    return { kind: "dead_letter", reason };
  }
  if (!(await deps.dedup.renewLease(key, owner, ctx.leaseMs))) return leaseLost(logger);
  return {
    kind: "dead_letter",
    reason,
    commit: async () => {
      if (!(await deps.dedup.markDeadLettered(key, owner, failure))) logger.warn({}, "lease was taken over before the dead letter was recorded");
    },
    release: async () => {
      await deps.dedup.markProcessingFailed(key, owner, failure);
    },
  };
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    throw signal.reason;
  }
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
    promise.catch(() => undefined);
  }
}

function toIso(value: string | Date | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
