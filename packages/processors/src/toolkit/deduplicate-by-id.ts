/** Anything with Health Connect metadata. */
export interface HasMetadataId {
  /** Health Connect metadata; `id` is unique per record and repeated by a re-export. */
  readonly metadata: { readonly id: string };
}

/** Result of {@link deduplicateById}. */
export interface DeduplicationResult<T> {
  /** Records kept, in input order. */
  readonly records: T[];
  /** How many records repeated an id already seen and were dropped. */
  readonly duplicatesRemoved: number;
}

/**
 * Keeps the first record of each `metadata.id` (input order decides, so the result is
 * deterministic for a given input) and drops later repeats — re-exported files repeat ids.
 */
export function deduplicateById<T extends HasMetadataId>(records: Iterable<T>): DeduplicationResult<T> {
  const seen = new Set<string>();
  // perf: an array input gets its result array sized once (trimmed at the end), not regrown.
  const kept: T[] = Array.isArray(records) ? new Array<T>((records as readonly T[]).length) : [];
  let k = 0;
  let duplicates = 0;
  for (const record of records) {
    // perf: one hash lookup per record instead of has + add; the set grows only for a new id.
    const size = seen.size;
    seen.add(record.metadata.id);
    if (seen.size === size) duplicates += 1;
    else kept[k++] = record;
  }
  kept.length = k;
  return { records: kept, duplicatesRemoved: duplicates };
}

/**
 * Keeps the first item of each key (e.g. a sample's timestamp) and drops later ones; for
 * de-duplicating flattened samples by timestamp.
 */
export function deduplicateByKey<T, K>(items: Iterable<T>, key: (item: T) => K): DeduplicationResult<T> {
  const seen = new Set<K>();
  const kept: T[] = [];
  let duplicates = 0;
  for (const item of items) {
    const size = seen.size;
    seen.add(key(item));
    if (seen.size === size) duplicates += 1;
    else kept.push(item);
  }
  return { records: kept, duplicatesRemoved: duplicates };
}
