export type { GetOptions, ObjectInfo, ObjectLocation, ObjectStore, PutOptions, RequestOptions } from "./object-store.ts";
export { S3ObjectStore, type S3ObjectStoreOptions } from "./s3-object-store.ts";
export { FileObjectStore, type FileObjectStoreOptions } from "./file-object-store.ts";
export { createObjectStore, type ObjectStoreOptions } from "./create-object-store.ts";
export { sha256Hex, verifySha256 } from "./sha256.ts";
