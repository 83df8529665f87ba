import type { Readable } from "node:stream";

/** Where an object lives. */
export interface ObjectLocation {
  /** Bucket (for the local store: a sub-folder of the root). */
  readonly bucket: string;
  /** Object key. */
  readonly key: string;
}

/** What a store knows about one object without reading it. */
export interface ObjectInfo {
  /** Object key. */
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
  /** Last modification time, when known. */
  readonly lastModified: Date | undefined;
  /** Entity tag, when the store has one. */
  readonly etag: string | undefined;
  /** Content type, when known (not filled by `list`). */
  readonly contentType: string | undefined;
  /** User metadata (not filled by `list`). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Options of a download. */
export interface GetOptions {
  /** Fail with a permanent error as soon as the object passes this many bytes. */
  readonly maxBytes?: number;
  /** Cancels the request. */
  readonly signal?: AbortSignal;
}

/** Options of an upload. */
export interface PutOptions {
  /** Content type to store. */
  readonly contentType?: string;
  /** User metadata to store (ASCII keys and values). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Cancels the request. */
  readonly signal?: AbortSignal;
}

/** Options of requests that only take a signal. */
export interface RequestOptions {
  /** Cancels the request. */
  readonly signal?: AbortSignal;
}

/**
 * Object storage as the engine uses it. Every method rejects with an error of the errors
 * package (`not_found`, `network_error`, `rate_limit`, `auth_error`, …), never a raw SDK error.
 */
export interface ObjectStore {
  /** Downloads a whole object. */
  get(bucket: string, key: string, options?: GetOptions): Promise<Buffer>;
  /** Reads an object's size, type and metadata; rejects with `not_found` when it is missing. */
  head(bucket: string, key: string, options?: RequestOptions): Promise<ObjectInfo>;
  /** Writes an object, replacing any object at the key. */
  put(bucket: string, key: string, body: Uint8Array | string | Readable, options?: PutOptions): Promise<void>;
  /** True when the object exists. */
  exists(bucket: string, key: string, options?: RequestOptions): Promise<boolean>;
  /** Copies an object (server-side where the store can). */
  copy(source: ObjectLocation, target: ObjectLocation, options?: RequestOptions): Promise<void>;
  /** Lists the objects under a prefix, in key order. */
  list(bucket: string, prefix: string, options?: RequestOptions): AsyncIterable<ObjectInfo>;
  /** Releases sockets and handles; safe to call twice. */
  close(): Promise<void>;
}
