import { randomUUID } from "node:crypto";
import { mkdtemp, mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { Readable } from "node:stream";
import type { ObjectInfo, ObjectLocation, ObjectStore, PutOptions } from "@narrative-engine/storage";

/** A store to run the writer and export tests against, and how to tear it down. */
export interface StoreUnderTest {
  readonly store: ObjectStore;
  readonly bucket: string;
  /** Makes the next puts fail the way the real store fails when its backend is gone. */
  breakPuts(): Promise<void>;
  /** Undoes {@link breakPuts}. */
  repairPuts(): Promise<void>;
  close(): Promise<void>;
}

/**
 * TEMPORARY stand-in until `@narrative-engine/storage` ships FileObjectStore: a directory
 * store that follows the ObjectStore contract (atomic put by rename, key-ordered list).
 */
class TempDirectoryStore implements ObjectStore {
  readonly #root: string;
  broken = false;
  constructor(root: string) {
    this.#root = root;
  }
  #path(bucket: string, key: string): string {
    return join(this.#root, bucket, "objects", ...key.split("/"));
  }
  async get(bucket: string, key: string): Promise<Buffer> {
    return readFile(this.#path(bucket, key));
  }
  async head(bucket: string, key: string): Promise<ObjectInfo> {
    const s = await stat(this.#path(bucket, key));
    const meta = JSON.parse(await readFile(`${this.#path(bucket, key)}.meta`.replace(`${sep}objects${sep}`, `${sep}meta${sep}`), "utf8")) as {
      contentType?: string;
      metadata?: Record<string, string>;
    };
    return { key, size: s.size, lastModified: s.mtime, etag: undefined, contentType: meta.contentType, metadata: meta.metadata ?? {} };
  }
  async put(bucket: string, key: string, body: Uint8Array | string | Readable, options: PutOptions = {}): Promise<void> {
    if (this.broken) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const target = this.#path(bucket, key);
    const metaTarget = `${target}.meta`.replace(`${sep}objects${sep}`, `${sep}meta${sep}`);
    await mkdir(dirname(target), { recursive: true });
    await mkdir(dirname(metaTarget), { recursive: true });
    const data = body instanceof Readable ? Buffer.concat(await body.toArray()) : body;
    const tmp = `${target}.${randomUUID()}.tmp`;
    await writeFile(tmp, data);
    await writeFile(metaTarget, JSON.stringify({ contentType: options.contentType, metadata: options.metadata }));
    await rename(tmp, target);
  }
  async exists(bucket: string, key: string): Promise<boolean> {
    return stat(this.#path(bucket, key)).then(
      () => true,
      () => false,
    );
  }
  async copy(source: ObjectLocation, target: ObjectLocation): Promise<void> {
    await this.put(target.bucket, target.key, await this.get(source.bucket, source.key));
  }
  async *list(bucket: string, prefix: string): AsyncIterable<ObjectInfo> {
    const base = join(this.#root, bucket, "objects");
    const files = (await readdir(base, { recursive: true, withFileTypes: true }).catch(() => []))
      .filter((d) => d.isFile() && !d.name.endsWith(".tmp"))
      .map((d) => relative(base, join(d.parentPath, d.name)).split(sep).join("/"))
      .filter((k) => k.startsWith(prefix))
      .sort();
    for (const key of files) {
      const s = await stat(join(base, ...key.split("/")));
      yield { key, size: s.size, lastModified: s.mtime, etag: undefined, contentType: undefined, metadata: {} };
    }
  }
  async close(): Promise<void> {}
}

/** The stores the output tests run against. */
export const STORE_FACTORIES: ReadonlyArray<readonly [string, () => Promise<StoreUnderTest>]> = [
  [
    "temporary directory store",
    async () => {
      const root = await mkdtemp(join(tmpdir(), "ne-output-"));
      const store = new TempDirectoryStore(root);
      return {
        store,
        bucket: "training-data",
        breakPuts() {
          store.broken = true;
          return Promise.resolve();
        },
        repairPuts() {
          store.broken = false;
          return Promise.resolve();
        },
        async close() {
          await store.close();
          await rm(root, { recursive: true, force: true });
        },
      };
    },
  ],
];
