import type { DeduplicationStore } from "@narrative-engine/contracts";
import type { DeduplicationOptions } from "./deduplication-options.ts";
import { RedisDeduplicationStore } from "./redis-deduplication-store.ts";
import { SqliteDeduplicationStore } from "./sqlite-deduplication-store.ts";

/** Plain options choosing and configuring a store (what `apps/worker` builds from its config). */
export type DeduplicationStoreOptions = DeduplicationOptions &
  ({ readonly kind: "sqlite"; readonly path: string } | { readonly kind: "redis"; readonly url: string; readonly keyPrefix?: string });

/** Builds the store `options.kind` names. Connections open lazily on the first call. */
export function createDeduplicationStore(options: DeduplicationStoreOptions): DeduplicationStore {
  switch (options.kind) {
    case "sqlite":
      return new SqliteDeduplicationStore(options);
    case "redis":
      return new RedisDeduplicationStore(options);
    default: {
      const kind: unknown = (options as { kind?: unknown }).kind;
      throw new TypeError(`createDeduplicationStore: unknown kind ${JSON.stringify(kind)}; expected "sqlite" or "redis"`);
    }
  }
}
