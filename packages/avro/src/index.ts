export {
  DEFAULT_MAX_INFLATED_BYTES,
  DEFAULT_MAX_RECORDS,
  decodeHealthConnect,
  type AnyDecodedHealthConnect,
  type DecodedHealthConnect,
  type DecodeOptions,
  type DecodeStats,
} from "./decode-health-connect.ts";
export { encodeHealthConnect, type EncodeOptions } from "./encode-health-connect.ts";
export type { ContainerCodec, ContainerLayout } from "./container-writer.ts";
export { HEALTH_CONNECT_SCHEMAS, schemaFor, schemaNameFor, type AvroSchema } from "./health-connect-schemas.ts";
