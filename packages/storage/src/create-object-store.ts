import { FileObjectStore, type FileObjectStoreOptions } from "./file-object-store.ts";
import type { ObjectStore } from "./object-store.ts";
import { S3ObjectStore, type S3ObjectStoreOptions } from "./s3-object-store.ts";

/** What {@link createObjectStore} builds: S3 (or MinIO, s3rver) or a local folder. */
export type ObjectStoreOptions = ({ readonly kind: "s3" } & S3ObjectStoreOptions) | ({ readonly kind: "file" } & FileObjectStoreOptions);

/** Builds the object store the options describe. */
export function createObjectStore(options: ObjectStoreOptions): ObjectStore {
  if (options.kind === "s3") return new S3ObjectStore(options);
  return new FileObjectStore(options);
}
