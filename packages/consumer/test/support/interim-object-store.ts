// INTERIM stand-in until @narrative-engine/storage ships its stores: a directory-backed ObjectStore.
import { mkdir, readFile, readdir, stat, writeFile, copyFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import type { Readable } from "node:stream";
import { FileTooLargeError, NotFoundError } from "@narrative-engine/errors";
import type { GetOptions, ObjectInfo, ObjectLocation, ObjectStore, PutOptions } from "@narrative-engine/storage";

export class InterimDirectoryStore implements ObjectStore {
  constructor(readonly root: string) {}
  #path(bucket: string, key: string): string {
    return join(this.root, bucket, key);
  }
  async get(bucket: string, key: string, options: GetOptions = {}): Promise<Buffer> {
    try {
      const s = await stat(this.#path(bucket, key));
      if (options.maxBytes !== undefined && s.size > options.maxBytes) throw new FileTooLargeError(options.maxBytes, { actualBytes: s.size });
      return await readFile(this.#path(bucket, key));
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") throw new NotFoundError(`object ${bucket}/${key} not found`);
      throw e;
    }
  }
  async head(bucket: string, key: string): Promise<ObjectInfo> {
    const s = await stat(this.#path(bucket, key)).catch(() => {
      throw new NotFoundError("not found");
    });
    return { key, size: s.size, lastModified: s.mtime, etag: undefined, contentType: undefined, metadata: {} };
  }
  async put(bucket: string, key: string, body: Uint8Array | string | Readable, _o?: PutOptions): Promise<void> {
    await mkdir(dirname(this.#path(bucket, key)), { recursive: true });
    await writeFile(this.#path(bucket, key), body as Uint8Array);
  }
  async exists(bucket: string, key: string): Promise<boolean> {
    return stat(this.#path(bucket, key)).then(
      () => true,
      () => false,
    );
  }
  async copy(source: ObjectLocation, target: ObjectLocation): Promise<void> {
    await mkdir(dirname(this.#path(target.bucket, target.key)), { recursive: true });
    await copyFile(this.#path(source.bucket, source.key), this.#path(target.bucket, target.key)).catch((e: unknown) => {
      if ((e as { code?: string }).code === "ENOENT") throw new NotFoundError("not found");
      throw e;
    });
  }
  async *list(bucket: string, prefix: string): AsyncIterable<ObjectInfo> {
    const base = join(this.root, bucket);
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const p = join(dir, entry.name);
        if (entry.isDirectory()) await walk(p);
        else out.push(relative(base, p));
      }
    };
    await walk(base);
    for (const key of out.filter((k) => k.startsWith(prefix)).sort()) yield await this.head(bucket, key);
  }
  async close(): Promise<void> {}
}
