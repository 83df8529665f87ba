export type { GetOptions, ObjectInfo, ObjectLocation, ObjectStore, PutOptions, RequestOptions } from "./object-store.ts";
