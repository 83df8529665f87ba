import { sql, type Kysely, type Migration, type MigrationProvider } from "kysely";

// Every step is idempotent (IF NOT EXISTS) so workers that start together on one file and
// race through the migrator converge instead of failing.
const migrations: Readonly<Record<string, Migration>> = {
  "0001_processed_messages": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("processed_messages")
        .ifNotExists()
        .addColumn("idempotency_key", "text", (c) => c.primaryKey())
        .addColumn("message_id", "text")
        .addColumn("correlation_id", "text")
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("record_type", "text", (c) => c.notNull())
        .addColumn("s3_key", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) =>
          c.notNull().check(sql`status in ('processing', 'completed', 'failed', 'quarantined', 'dead_lettered')`),
        )
        .addColumn("error_message", "text")
        .addColumn("error_type", "text")
        .addColumn("started_at", "integer")
        .addColumn("completed_at", "integer")
        .addColumn("processing_time_seconds", "real")
        .addColumn("records_processed", "integer")
        .addColumn("quality_score", "real")
        .addColumn("narrative_preview", "text")
        .addColumn("created_at", "integer", (c) => c.notNull())
        .addColumn("expires_at", "integer", (c) => c.notNull())
        .addColumn("owner", "text")
        .addColumn("lease_expires_at", "integer")
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex("idx_processed_messages_status").ifNotExists().on("processed_messages").column("status").execute();
      await db.schema.createIndex("idx_processed_messages_expires_at").ifNotExists().on("processed_messages").column("expires_at").execute();
      await db.schema.createIndex("idx_processed_messages_user_id").ifNotExists().on("processed_messages").column("user_id").execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("processed_messages").ifExists().execute();
    },
  },
};

/** Names of every migration, in order. */
export const SQLITE_MIGRATION_NAMES: readonly string[] = Object.keys(migrations).sort();

/** The in-code migrations of the SQLite store. */
export const sqliteMigrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
