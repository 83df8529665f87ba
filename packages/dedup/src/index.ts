export {
  DEFAULT_RETENTION_HOURS,
  NARRATIVE_PREVIEW_LENGTH,
  type DeduplicationOptions,
} from "./deduplication-options.ts";
export { SqliteDeduplicationStore, type SqliteDeduplicationStoreOptions } from "./sqlite-deduplication-store.ts";
export { RedisDeduplicationStore, type RedisDeduplicationStoreOptions } from "./redis-deduplication-store.ts";
export { createDeduplicationStore, type DeduplicationStoreOptions } from "./create-deduplication-store.ts";
