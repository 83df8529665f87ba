import type { RecordOf, RecordType } from "@narrative-engine/contracts";
import { ValidationError } from "@narrative-engine/errors";
import { writeContainer, type ContainerLayout } from "./container-writer.ts";
import { HEALTH_CONNECT_SCHEMAS } from "./health-connect-schemas.ts";
import { readerFor } from "./schema-plan.ts";

/** Options of {@link encodeHealthConnect}. */
export type EncodeOptions = ContainerLayout;

/**
 * Encodes records as a Health Connect Avro object container file (our schema in the header,
 * null codec unless asked otherwise), as the phone app writes them. A record that does not fit
 * the schema fails with a `ValidationError` naming the record and field, never the value.
 */
export function encodeHealthConnect<T extends RecordType>(
  type: T,
  records: readonly RecordOf<T>[],
  options: EncodeOptions = {},
): Buffer {
  const avroType = readerFor(type);
  const encoded = records.map((record, index) => {
    try {
      return avroType.toBuffer(record);
    } catch (error) {
      const problems: string[] = [];
      avroType.isValid(record, {
        errorHook: (path: string[], _value: unknown, fieldType: { typeName: string }) => {
          problems.push(`${path.join(".") || "(record)"} (expected ${fieldType.typeName})`);
        },
      });
      const detail = problems.length > 0 ? problems.slice(0, 5).join(", ") : "it does not match the schema";
      throw new ValidationError(`record ${index + 1} is not a valid ${type}: invalid ${detail}`, { cause: error });
    }
  });
  return writeContainer(JSON.stringify(HEALTH_CONNECT_SCHEMAS[type]), encoded, options);
}
