import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileObjectStore, S3ObjectStore, type ObjectStore } from "@narrative-engine/storage";
import { startS3Server } from "@narrative-engine/test-kit";

/** A real store to run the writer and export tests against, and how to tear it down. */
export interface StoreUnderTest {
  readonly store: ObjectStore;
  readonly bucket: string;
  /** Makes the backend unavailable so the next puts fail for real. */
  breakPuts(): Promise<void>;
  /** Brings the backend back. */
  repairPuts(): Promise<void>;
  close(): Promise<void>;
}

const BUCKET = "training-data";

/** The stores the output tests run against: FileObjectStore on a temp folder and S3ObjectStore on s3rver. */
export const STORE_FACTORIES: ReadonlyArray<readonly [string, () => Promise<StoreUnderTest>]> = [
  [
    "FileObjectStore",
    async () => {
      const root = await mkdtemp(join(tmpdir(), "ne-output-file-"));
      const store = new FileObjectStore({ root });
      const bucketDir = join(root, BUCKET);
      return {
        store,
        bucket: BUCKET,
        // A plain file where the bucket folder was: every put then fails with ENOTDIR/EEXIST.
        async breakPuts() {
          await store.put(BUCKET, ".keep", "").catch(() => undefined);
          await rename(bucketDir, `${bucketDir}.away`).catch(() => undefined);
          await writeFile(bucketDir, "not a folder");
        },
        async repairPuts() {
          await rm(bucketDir, { force: true });
          await rename(`${bucketDir}.away`, bucketDir).catch(() => undefined);
        },
        async close() {
          await store.close();
          await rm(root, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    "S3ObjectStore on s3rver",
    async () => {
      const server = await startS3Server({ buckets: [BUCKET] });
      const store = new S3ObjectStore({
        region: server.region,
        endpoint: server.endpoint,
        forcePathStyle: true,
        credentials: server.credentials,
        maxAttempts: 1,
        // Small pages: listing the 200-object prefix and the exports cross page boundaries.
        listPageSize: 50,
      });
      return {
        store,
        bucket: BUCKET,
        breakPuts: () => server.stop(),
        repairPuts: () => server.start(),
        async close() {
          await store.close();
          await server.close();
        },
      };
    },
  ],
];
