import type { ProcessingStatus } from "@narrative-engine/contracts";
import type { Kysely, Selectable } from "kysely";
import { QueryTemplate } from "./query-template.ts";

/** The `processed_messages` table. */
export interface ProcessedMessagesTable {
  idempotency_key: string;
  message_id: string | null;
  correlation_id: string | null;
  user_id: string;
  record_type: string;
  s3_key: string;
  status: ProcessingStatus;
  error_message: string | null;
  error_type: string | null;
  started_at: number | null;
  completed_at: number | null;
  processing_time_seconds: number | null;
  records_processed: number | null;
  quality_score: number | null;
  narrative_preview: string | null;
  created_at: number;
  expires_at: number;
  owner: string | null;
  lease_expires_at: number | null;
  attempts: number;
}

/** The SQLite schema the store reads and writes. */
export interface Database {
  processed_messages: ProcessedMessagesTable;
}

// Sentinels mark where each parameter lands in the compiled SQL (see QueryTemplate).
const S = (name: string): string => `\u0000${name}\u0000`;

/** The store's hot-path queries, compiled once per connection. */
export function sqliteQueries(db: Kysely<Database>) {
  const claim = new QueryTemplate(
    (p: {
      key: string;
      messageId: string | null;
      correlationId: string;
      userId: string;
      recordType: string;
      s3Key: string;
      owner: string;
      now: number;
      leaseExpiresAt: number;
      expiresAt: number;
    }) =>
      // One atomic statement: insert a new key, or take over an expired lease, a failed record or an
      // expired record. A live lease or a terminal status leaves the row untouched: no row returned.
      db
        .insertInto("processed_messages")
        .values({
          idempotency_key: p.key,
          message_id: p.messageId,
          correlation_id: p.correlationId,
          user_id: p.userId,
          record_type: p.recordType,
          s3_key: p.s3Key,
          status: "processing",
          started_at: p.now,
          created_at: p.now,
          expires_at: p.expiresAt,
          owner: p.owner,
          lease_expires_at: p.leaseExpiresAt,
          attempts: 1,
        })
        .onConflict((oc) =>
          oc
            .column("idempotency_key")
            .doUpdateSet((eb) => {
              const expired = eb("processed_messages.expires_at", "<=", p.now);
              return {
                message_id: eb.ref("excluded.message_id"),
                correlation_id: eb.ref("excluded.correlation_id"),
                user_id: eb.ref("excluded.user_id"),
                record_type: eb.ref("excluded.record_type"),
                s3_key: eb.ref("excluded.s3_key"),
                status: "processing",
                owner: eb.ref("excluded.owner"),
                lease_expires_at: eb.ref("excluded.lease_expires_at"),
                started_at: eb.ref("excluded.started_at"),
                expires_at: eb.ref("excluded.expires_at"),
                completed_at: null,
                // An expired record is gone as far as callers know: it starts afresh.
                attempts: eb.case().when(expired).then(1).else(eb("processed_messages.attempts", "+", 1)).end(),
                created_at: eb.case().when(expired).then(eb.ref("excluded.created_at")).else(eb.ref("processed_messages.created_at")).end(),
                error_message: eb.case().when(expired).then(null).else(eb.ref("processed_messages.error_message")).end(),
                error_type: eb.case().when(expired).then(null).else(eb.ref("processed_messages.error_type")).end(),
              };
            })
            .where((eb) =>
              eb.or([
                eb.and([eb("processed_messages.status", "=", "processing"), eb("processed_messages.lease_expires_at", "<=", p.now)]),
                eb("processed_messages.status", "=", "failed"),
                eb("processed_messages.expires_at", "<=", p.now),
              ]),
            ),
        )
        .returning("attempts"),
    {
      key: S("key"),
      messageId: S("messageId"),
      correlationId: S("correlationId"),
      userId: S("userId"),
      recordType: S("recordType"),
      s3Key: S("s3Key"),
      owner: S("owner"),
      now: -1_000_001,
      leaseExpiresAt: -1_000_002,
      expiresAt: -1_000_003,
    },
  );

  const read = new QueryTemplate(
    (p: { key: string; now: number }) =>
      // Records past their expiry are treated as gone, as Redis would have dropped them.
      db.selectFrom("processed_messages").selectAll().where("idempotency_key", "=", p.key).where("expires_at", ">", p.now),
    { key: S("key"), now: -1_000_001 },
  );

  // Every write after the claim: only the owner of a row still in `processing` may change it.
  const renew = new QueryTemplate(
    (p: { key: string; owner: string; leaseExpiresAt: number; expiresAt: number }) =>
      db
        .updateTable("processed_messages")
        .set({ lease_expires_at: p.leaseExpiresAt, expires_at: p.expiresAt })
        .where("idempotency_key", "=", p.key)
        .where("owner", "=", p.owner)
        .where("status", "=", "processing"),
    { key: S("key"), owner: S("owner"), leaseExpiresAt: -1_000_002, expiresAt: -1_000_003 },
  );

  const complete = new QueryTemplate(
    (p: {
      key: string;
      owner: string;
      now: number;
      expiresAt: number;
      processingTimeSeconds: number;
      recordsProcessed: number;
      qualityScore: number;
      narrativePreview: string | null;
    }) =>
      db
        .updateTable("processed_messages")
        .set({
          status: "completed",
          completed_at: p.now,
          lease_expires_at: null,
          expires_at: p.expiresAt,
          processing_time_seconds: p.processingTimeSeconds,
          records_processed: p.recordsProcessed,
          quality_score: p.qualityScore,
          narrative_preview: p.narrativePreview,
        })
        .where("idempotency_key", "=", p.key)
        .where("owner", "=", p.owner)
        .where("status", "=", "processing"),
    {
      key: S("key"),
      owner: S("owner"),
      now: -1_000_001,
      expiresAt: -1_000_003,
      processingTimeSeconds: -1_000_004.5,
      recordsProcessed: -1_000_005,
      qualityScore: -1_000_006.5,
      narrativePreview: S("narrativePreview"),
    },
  );

  const finishWithError = new QueryTemplate(
    (p: { key: string; owner: string; status: string; errorType: string; errorMessage: string; completedAt: number | null; expiresAt: number }) =>
      db
        .updateTable("processed_messages")
        .set({
          status: p.status as ProcessingStatus,
          error_type: p.errorType,
          error_message: p.errorMessage,
          lease_expires_at: null,
          completed_at: p.completedAt,
          expires_at: p.expiresAt,
        })
        .where("idempotency_key", "=", p.key)
        .where("owner", "=", p.owner)
        .where("status", "=", "processing"),
    {
      key: S("key"),
      owner: S("owner"),
      status: S("status"),
      errorType: S("errorType"),
      errorMessage: S("errorMessage"),
      completedAt: -1_000_007,
      expiresAt: -1_000_003,
    },
  );

  return { claim, read, renew, complete, finishWithError };
}

/** The compiled queries of one connection. */
export type SqliteQueries = ReturnType<typeof sqliteQueries>;

/** A row of `processed_messages`. */
export type ProcessedMessageRow = Selectable<ProcessedMessagesTable>;
