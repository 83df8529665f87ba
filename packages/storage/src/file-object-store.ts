import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, realpathSync, type Stats } from "node:fs";
import { copyFile, mkdir, open, readFile, readdir, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { EtlError, FileTooLargeError, NotFoundError, ValidationError, classifyError, fromUnknown } from "@narrative-engine/errors";
import { RESERVED_PREFIX, checkBucket, checkPrefix, keySegments } from "./object-key.ts";
import type { GetOptions, ObjectInfo, ObjectLocation, ObjectStore, PutOptions, RequestOptions } from "./object-store.ts";
import { abortReason, readBounded } from "./read-bounded.ts";
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
      options.signal?.throwIfAborted();
      const path = await this.#existingFile(bucket, key);
      const info = await stat(path);
      if (options.maxBytes !== undefined && info.size > options.maxBytes) {
        throw new FileTooLargeError(options.maxBytes, { actualBytes: info.size });
      }
      return readBounded(createReadStream(path), options.maxBytes, options.signal);
    });
  }

  async head(bucket: string, key: string, options: RequestOptions = {}): Promise<ObjectInfo> {
    return this.#run("head", bucket, key, async () => {
      options.signal?.throwIfAborted();
      const path = await this.#existingFile(bucket, key);
      const info = await stat(path);
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
      const metadata = normalizeUserMetadata(options.metadata);
      options.signal?.throwIfAborted();
      const path = await this.#writablePath(bucket, key);
      await writeAtomically(path, body, options.signal);
      const sidecar: Sidecar = { ...(options.contentType === undefined ? {} : { contentType: options.contentType }), metadata };
      await writeAtomically(await this.#writablePath(bucket, key, true), JSON.stringify(sidecar), options.signal);
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
      const from = await this.#existingFile(source.bucket, source.key);
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
      await writeAtomically(await this.#writablePath(target.bucket, target.key, true), JSON.stringify(sidecar), options.signal);
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

  /** The path of an existing object, after checking the key and that its real path is inside the root. */
  async #existingFile(bucket: string, key: string): Promise<string> {
    checkBucket(bucket);
    const path = join(await this.#realRoot(), bucket, ...keySegments(key));
    let real: string;
    try {
      real = await realpath(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") throw new NotFoundError(`object ${bucket}/${key} does not exist`, { cause: error });
      throw error;
    }
    await this.#assertInside(real, key);
    const info = await stat(real);
    if (!info.isFile()) throw new NotFoundError(`object ${bucket}/${key} does not exist`);
    return real;
  }

  /** The path to write an object (or its sidecar) to, with its folder created inside the root. */
  async #writablePath(bucket: string, key: string, sidecar = false): Promise<string> {
    checkBucket(bucket);
    const segments = keySegments(key);
    const root = await this.#realRoot();
    const path = sidecar ? join(root, bucket, META_DIR, ...segments) + ".json" : join(root, bucket, ...segments);
    const folder = dirname(path);
    await this.#assertInside(await deepestExisting(folder), key);
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST" || code === "ENOTDIR") {
        throw new ValidationError(`invalid object key ${JSON.stringify(key)}: a parent of it is an object, not a folder`, { cause: error });
      }
      throw error;
    }
    await this.#assertInside(await realpath(folder), key);
    return path;
  }

  async #assertInside(path: string, key?: string): Promise<void> {
    const root = await this.#realRoot();
    let real = path;
    try {
      real = realpathSync(path);
    } catch {
      // Not there (yet): the lexical path was already checked.
    }
    if (real !== root && !real.startsWith(root + sep)) {
      throw new ValidationError(`invalid object key ${JSON.stringify(key ?? path)}: it resolves outside the store's root`);
    }
  }

  async #readSidecar(bucket: string, key: string): Promise<Sidecar> {
    const path = join(await this.#realRoot(), bucket, META_DIR, ...keySegments(key)) + ".json";
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

function etagOf(info: Stats): string {
  return `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
}

function tempPath(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${randomBytes(8).toString("hex")}`);
}

async function writeAtomically(path: string, body: Uint8Array | string | Readable, signal: AbortSignal | undefined): Promise<void> {
  const temp = tempPath(path);
  try {
    if (body instanceof Readable) {
      await pipeline(body, createWriteStream(temp, { flags: "wx" }), ...(signal ? [{ signal }] : []));
    } else {
      await writeFile(temp, body, { flag: "wx", ...(signal ? { signal } : {}) });
    }
    if (signal?.aborted) throw abortReason(signal);
    // Flush before the rename so a crash never leaves a renamed but empty file.
    const handle = await open(temp, "r+");
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function deepestExisting(path: string): Promise<string> {
  let current = path;
  for (;;) {
    try {
      await stat(current);
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
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
