import { randomBytes } from "node:crypto";
import { constants, realpathSync, type Stats } from "node:fs";
import { copyFile, type FileHandle, mkdir, open, readFile, readdir, realpath, rename, rm, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { Readable, addAbortSignal } from "node:stream";
import { EtlError, FileTooLargeError, NotFoundError, ValidationError, classifyError, fromUnknown } from "@narrative-engine/errors";
import { RESERVED_PREFIX, checkBucket, checkPrefix, keySegments } from "./object-key.ts";
import type { GetOptions, ObjectInfo, ObjectLocation, ObjectStore, PutOptions, RequestOptions } from "./object-store.ts";
import { abortReason } from "./read-bounded.ts";
import { normalizeUserMetadata } from "./user-metadata.ts";

/** Options of {@link FileObjectStore}. */
export interface FileObjectStoreOptions {
  /** Folder holding one sub-folder per bucket (created when missing). */
  readonly root: string;
}

interface Sidecar {
  readonly contentType?: string;
  readonly metadata?: Record<string, string>;
}

const META_DIR = `${RESERVED_PREFIX}meta`;
const TEMP_PREFIX = `${RESERVED_PREFIX}tmp-`;
// Reads open the resolved path without following a final symlink, and without blocking on a FIFO
// (a non-file is refused after fstat). Both flags are POSIX; elsewhere they are 0.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * {@link ObjectStore} on a local folder: `<root>/<bucket>/<key>`. Writes are atomic (temp file
 * in the same folder, then rename); content type and user metadata live in a parallel sidecar
 * tree `<root>/<bucket>/.ne-meta/<key>.json`. Keys are validated and every path is checked,
 * symlinks resolved, to stay inside the root.
 */
export class FileObjectStore implements ObjectStore {
  readonly #root: string;
  #rootReal: string | undefined;

  constructor(options: FileObjectStoreOptions) {
    this.#root = resolve(options.root);
  }

  async get(bucket: string, key: string, options: GetOptions = {}): Promise<Buffer> {
    return this.#run("get", bucket, key, async () => {
      const { signal, maxBytes } = options;
      signal?.throwIfAborted();
      const real = await this.#existingPath(bucket, key);
      throwIfAborted(signal);
      // One handle: open, fstat (type and size), read, close.
      let handle: FileHandle;
      try {
        handle = await open(real, READ_FLAGS);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EISDIR") throw notFound(bucket, key, error);
        throw error;
      }
      try {
        const info = await handle.stat();
        if (!info.isFile()) throw notFound(bucket, key);
        if (maxBytes !== undefined && info.size > maxBytes) throw new FileTooLargeError(maxBytes, { actualBytes: info.size });
        throwIfAborted(signal);
        return await readSize(handle, info.size, signal);
      } finally {
        await handle.close();
      }
    });
  }

  async head(bucket: string, key: string, options: RequestOptions = {}): Promise<ObjectInfo> {
    return this.#run("head", bucket, key, async () => {
      options.signal?.throwIfAborted();
      const info = await this.#existingFileStat(bucket, key);
      const sidecar = await this.#readSidecar(bucket, key);
      return {
        key,
        size: info.size,
        lastModified: info.mtime,
        etag: etagOf(info),
        contentType: sidecar.contentType,
        metadata: { ...sidecar.metadata },
      };
    });
  }

  async put(bucket: string, key: string, body: Uint8Array | string | Readable, options: PutOptions = {}): Promise<void> {
    await this.#run("put", bucket, key, async () => {
      const { signal } = options;
      const sidecar = sidecarOf(options.contentType, normalizeUserMetadata(options.metadata));
      signal?.throwIfAborted();
      // Every path is checked before anything is written.
      const path = await this.#writablePath(bucket, key);
      if (sidecar === undefined) {
        const stale = await this.#staleSidecarPath(bucket, key);
        await writeAtomically(path, body, key, signal);
        if (stale !== undefined) await unlinkIfThere(stale);
        return;
      }
      // Object and sidecar are written and flushed concurrently (two fdatasyncs in flight, not
      // one after the other); the renames stay in order, object first, as before.
      const sidecarPath = await this.#writablePath(bucket, key, true);
      const temps = await Promise.allSettled([writeTemp(path, body, key, signal), writeTemp(sidecarPath, JSON.stringify(sidecar), key, signal)]);
      const written = temps.flatMap((temp) => (temp.status === "fulfilled" ? [temp.value] : []));
      const failed = temps.find((temp) => temp.status === "rejected");
      if (failed !== undefined) {
        await Promise.all(written.map((temp) => rm(temp, { force: true })));
        throw failed.reason;
      }
      const [objectTemp, sidecarTemp] = written as [string, string];
      try {
        await rename(objectTemp, path);
      } catch (error) {
        await Promise.all([rm(objectTemp, { force: true }), rm(sidecarTemp, { force: true })]);
        throw error;
      }
      await renameOrRemove(sidecarTemp, sidecarPath);
    });
  }

  async exists(bucket: string, key: string, options: RequestOptions = {}): Promise<boolean> {
    try {
      await this.head(bucket, key, options);
      return true;
    } catch (error) {
      if (error instanceof EtlError && error.errorType === "not_found") return false;
      throw error;
    }
  }

  async copy(source: ObjectLocation, target: ObjectLocation, options: RequestOptions = {}): Promise<void> {
    await this.#run("copy", source.bucket, source.key, async () => {
      options.signal?.throwIfAborted();
      const from = await this.#existingPath(source.bucket, source.key);
      if (!(await stat(from)).isFile()) throw notFound(source.bucket, source.key);
      const sidecar = await this.#readSidecar(source.bucket, source.key);
      const to = await this.#writablePath(target.bucket, target.key);
      const temp = tempPath(to);
      try {
        await copyFile(from, temp);
        await rename(temp, to);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      await this.#replaceSidecar(target.bucket, target.key, sidecarOf(sidecar.contentType, sidecar.metadata ?? {}), options.signal);
    });
  }

  async *list(bucket: string, prefix: string, options: RequestOptions = {}): AsyncGenerator<ObjectInfo> {
    let keys: { key: string; path: string }[];
    try {
      checkBucket(bucket);
      checkPrefix(prefix);
      const bucketDir = join(await this.#realRoot(), bucket);
      // Walk only below the folder the prefix names; the rest cannot match.
      const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
      const start = folder === "" ? bucketDir : join(bucketDir, ...folder.split("/"));
      await this.#assertInside(start);
      keys = (await walk(start, folder)).filter((entry) => entry.key.startsWith(prefix));
    } catch (error) {
      throw mapError("list", bucket, prefix, error);
    }
    // S3 lists in UTF-8 byte order; so does this store.
    keys.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    for (const entry of keys) {
      options.signal?.throwIfAborted();
      let info: Stats;
      try {
        info = await stat(entry.path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue; // deleted meanwhile
        throw mapError("list", bucket, entry.key, error);
      }
      yield { key: entry.key, size: info.size, lastModified: info.mtime, etag: etagOf(info), contentType: undefined, metadata: {} };
    }
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }

  async #run<T>(operation: string, bucket: string, key: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw mapError(operation, bucket, key, error);
    }
  }

  async #realRoot(): Promise<string> {
    if (this.#rootReal === undefined) {
      await mkdir(this.#root, { recursive: true });
      this.#rootReal = await realpath(this.#root);
    }
    return this.#rootReal;
  }

  /**
   * The real path of an existing key, after checking the key and that the real path (every
   * symlink resolved, in one `realpath`) is inside the root. It may still be a folder.
   */
  async #existingPath(bucket: string, key: string): Promise<string> {
    checkBucket(bucket);
    const path = join(await this.#realRoot(), bucket, ...keySegments(key));
    let real: string;
    try {
      real = realpathNative(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") throw notFound(bucket, key, error);
      throw error;
    }
    this.#checkInside(real, key);
    return real;
  }

  /** The stats of an existing object (not a folder), its path checked as {@link #existingPath} does. */
  async #existingFileStat(bucket: string, key: string): Promise<Stats> {
    const info = await stat(await this.#existingPath(bucket, key));
    if (!info.isFile()) throw notFound(bucket, key);
    return info;
  }

  /** The path to write an object (or its sidecar) to, with its folder created inside the root. */
  async #writablePath(bucket: string, key: string, sidecar = false): Promise<string> {
    checkBucket(bucket);
    const path = this.#lexicalPath(await this.#realRoot(), bucket, key, sidecar);
    await this.#ensureFolder(dirname(path), key);
    return path;
  }

  #lexicalPath(root: string, bucket: string, key: string, sidecar: boolean): string {
    const segments = keySegments(key);
    return sidecar ? join(root, bucket, META_DIR, ...segments) + ".json" : join(root, bucket, ...segments);
  }

  /**
   * Makes sure `folder` exists inside the root. Usually it does: then one `realpath` both finds
   * it and proves that it (every symlink on the way resolved) is inside the root. Nothing about
   * folders is remembered between calls, so a folder replaced meanwhile (say by a symlink to
   * outside) is seen. A missing folder is created only after its deepest existing ancestor is
   * checked, and checked again once created. If `folder` is a file, writing into it fails with
   * ENOTDIR, which {@link writeTemp} reports.
   */
  async #ensureFolder(folder: string, key: string): Promise<void> {
    const real = realpathIfExists(folder);
    if (real !== undefined) {
      this.#checkInside(real, key);
      return;
    }
    this.#checkInside(deepestExisting(dirname(folder)), key);
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST" || code === "ENOTDIR") throw parentIsObject(key, error);
      throw error;
    }
    this.#checkInside(realpathNative(folder), key);
  }

  /**
   * Writes the sidecar of a key or, when there is nothing to keep (see {@link sidecarOf}),
   * removes any sidecar an earlier put left. Called after the object is in place, as before: a
   * crash in between leaves the new object with the old metadata, never metadata without its object.
   */
  async #replaceSidecar(bucket: string, key: string, sidecar: Sidecar | undefined, signal: AbortSignal | undefined): Promise<void> {
    if (sidecar !== undefined) {
      await writeAtomically(await this.#writablePath(bucket, key, true), JSON.stringify(sidecar), key, signal);
      return;
    }
    const stale = await this.#staleSidecarPath(bucket, key);
    if (stale !== undefined) await unlinkIfThere(stale);
  }

  /**
   * Where a sidecar an earlier put left would be, its folder checked inside the root; undefined
   * when that folder does not exist (so there is none). Costs one `realpath(3)`, no write.
   */
  async #staleSidecarPath(bucket: string, key: string): Promise<string | undefined> {
    const path = this.#lexicalPath(await this.#realRoot(), bucket, key, true);
    const folder = realpathIfExists(dirname(path));
    if (folder === undefined) return undefined;
    this.#checkInside(folder, key);
    return join(folder, basename(path));
  }

  /** Refuses a real (symlink-free) path that is not the root or below it. */
  #checkInside(real: string, key?: string): void {
    const root = this.#rootReal!;
    if (real !== root && !real.startsWith(root + sep)) {
      throw new ValidationError(`invalid object key ${JSON.stringify(key ?? real)}: it resolves outside the store's root`);
    }
  }

  /** Like {@link #checkInside} for a path that may contain symlinks or not exist yet. */
  async #assertInside(path: string, key?: string): Promise<void> {
    await this.#realRoot();
    // Not there (yet): the lexical path was already checked.
    this.#checkInside(realpathIfExists(path) ?? path, key);
  }

  async #readSidecar(bucket: string, key: string): Promise<Sidecar> {
    const path = this.#lexicalPath(await this.#realRoot(), bucket, key, true);
    try {
      await this.#assertInside(path, key);
      return JSON.parse(await readFile(path, "utf8")) as Sidecar;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      if (error instanceof SyntaxError) return {}; // a torn sidecar only loses metadata, never the object
      throw error;
    }
  }
}

function mapError(operation: string, bucket: string, key: string, error: unknown): EtlError {
  if (error instanceof EtlError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return new NotFoundError(`object ${bucket}/${key} does not exist`, { cause: error });
  if (code === "EISDIR" || code === "ENOTDIR") {
    return new ValidationError(`invalid object key ${JSON.stringify(key)}: it names a folder of other objects`, { cause: error });
  }
  const classified = classifyError(error);
  return fromUnknown(error, classified.errorType, `file store ${operation} ${bucket}/${key} failed: ${classified.message}`);
}

function notFound(bucket: string, key: string, cause?: unknown): NotFoundError {
  return new NotFoundError(`object ${bucket}/${key} does not exist`, cause === undefined ? undefined : { cause });
}

function parentIsObject(key: string, cause: unknown): ValidationError {
  return new ValidationError(`invalid object key ${JSON.stringify(key)}: a parent of it is an object, not a folder`, { cause });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/**
 * realpath(3) in one synchronous call: a few µs on a local disk (the directory entries are
 * cached), where the asynchronous `realpath` costs a thread-pool round trip, about 5× the CPU.
 * The store always made its symlink checks synchronously; now it makes one per path instead of
 * two with Node's JavaScript `realpathSync` (an lstat per path component each).
 */
function realpathNative(path: string): string {
  return realpathSync.native(path);
}

/** The real path of `path`, or undefined when it (or a folder on the way) does not exist. */
function realpathIfExists(path: string): string | undefined {
  try {
    return realpathNative(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

/**
 * Reads the `size` bytes fstat reported, as `fs.readFile` does for a regular file. Objects are
 * only ever replaced by a rename, so an open file keeps its size.
 */
async function readSize(handle: FileHandle, size: number, signal: AbortSignal | undefined): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
    throwIfAborted(signal);
    if (bytesRead === 0) return Buffer.from(buffer.subarray(0, filled)); // shrank meanwhile: never hand out unread memory
    filled += bytesRead;
  }
  return buffer;
}

function etagOf(info: Stats): string {
  return `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
}

function tempPath(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${randomBytes(8).toString("hex")}`);
}

/**
 * The sidecar to keep for a content type and metadata, or undefined when there is nothing to keep:
 * no content type and no metadata is what `head` reports for a key without a sidecar.
 */
function sidecarOf(contentType: string | undefined, metadata: Record<string, string>): Sidecar | undefined {
  if (contentType === undefined && Object.keys(metadata).length === 0) return undefined;
  return { ...(contentType === undefined ? {} : { contentType }), metadata };
}

/** Writes `path` atomically: {@link writeTemp}, then rename over `path`. */
async function writeAtomically(path: string, body: Uint8Array | string | Readable, key: string, signal: AbortSignal | undefined): Promise<void> {
  await renameOrRemove(await writeTemp(path, body, key, signal), path);
}

/**
 * Writes a new temp file next to `path` through one file handle (open `wx`, write, fdatasync,
 * close) and returns its path; removes it on any failure. The data is flushed before the caller
 * renames it, so a crash never leaves a renamed but empty or torn file.
 */
async function writeTemp(path: string, body: Uint8Array | string | Readable, key: string, signal: AbortSignal | undefined): Promise<string> {
  const temp = tempPath(path);
  let handle: FileHandle;
  try {
    handle = await open(temp, "wx");
  } catch (error) {
    // The folder check passed, so the folder is there: ENOTDIR means it is an object.
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") throw parentIsObject(key, error);
    throw error;
  }
  try {
    try {
      if (body instanceof Readable) await writeStream(handle, body, signal);
      else await handle.writeFile(body, signal ? { signal } : {});
      throwIfAborted(signal);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return temp;
}

async function unlinkIfThere(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

async function renameOrRemove(temp: string, path: string): Promise<void> {
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Writes a stream's chunks in order; the stream is destroyed on any failure and when the signal aborts. */
async function writeStream(handle: FileHandle, body: Readable, signal: AbortSignal | undefined): Promise<void> {
  // Aborting destroys the stream, which ends the loop below even while it waits for a chunk.
  if (signal) addAbortSignal(signal, body);
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    for (let offset = 0; offset < bytes.length; ) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
  }
}

/** The real path of the deepest existing folder on the way to `path` (it included). */
function deepestExisting(path: string): string {
  for (let current = path; ; ) {
    const real = realpathIfExists(current);
    if (real !== undefined) return real;
    const parent = dirname(current);
    if (parent === current) return current;
    current = parent;
  }
}

async function walk(dir: string, keyPrefix: string): Promise<{ key: string; path: string }[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw error;
  }
  const out: { key: string; path: string }[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(RESERVED_PREFIX)) continue;
    const key = keyPrefix === "" ? entry.name : `${keyPrefix}/${entry.name}`;
    const path = join(dir, entry.name);
    // Symlinks are not followed: a link could lead outside the root.
    if (entry.isDirectory()) out.push(...(await walk(path, key)));
    else if (entry.isFile()) out.push({ key, path });
  }
  return out;
}
