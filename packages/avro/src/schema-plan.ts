import { RECORD_TYPES, parseRecordType, type RecordType } from "@narrative-engine/contracts";
import { SchemaError } from "@narrative-engine/errors";
import avro, { type Schema, type Type } from "avsc";
import { compileValidator, shapeOf, type CompiledValidator } from "./compile-validator.ts";
import { HEALTH_CONNECT_SCHEMAS, type AvroSchema } from "./health-connect-schemas.ts";

/** Everything needed to decode records written with one writer schema. */
export interface SchemaPlan {
  readonly recordType: RecordType;
  /** Full name of the writer's record schema. */
  readonly schemaName: string;
  /** Our schema for the record type; decoded values take its shape. */
  readonly reader: Type;
  /** Undefined when the writer schema is ours. */
  readonly resolver: Resolver | undefined;
  /** Bounded walk over the writer's encoding. */
  readonly validator: CompiledValidator;
}

/** What `Type.createResolver` returns (avsc does not export the class). */
export type Resolver = ReturnType<Type["createResolver"]>;

// A fresh object per call: avsc stores its name registry on the options object.
const typeOptions = () => ({ wrapUnions: "auto" as const });

// Files may name records without the "Avro" prefix; aliases let avsc's resolver match them.
function withUnprefixedAliases(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withUnprefixedAliases);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = key === "fields" && Array.isArray(value)
      ? value.map((f: Record<string, unknown>) => ({ ...f, type: withUnprefixedAliases(f["type"]) }))
      : key === "items" || key === "values" || key === "type" ? withUnprefixedAliases(value) : value;
  }
  const name = out["name"];
  if (typeof name === "string" && name.startsWith("Avro") && ["record", "enum", "fixed"].includes(out["type"] as string)) {
    out["aliases"] = [name.slice(4)];
  }
  return out;
}

const readers = new Map<RecordType, Type>();

/** Our avsc type for a record type (built once); it decodes records as plain objects. */
export function readerFor(recordType: RecordType): Type {
  let reader = readers.get(recordType);
  if (!reader) {
    const schema = withUnprefixedAliases(HEALTH_CONNECT_SCHEMAS[recordType]) as Schema;
    reader = avro.Type.forSchema(schema, { ...typeOptions(), omitRecordMethods: true });
    makeRecordsPlain(reader, new Set());
    readers.set(recordType, reader);
  }
  return reader;
}

/**
 * avsc builds each record with `new <generated constructor>(…)`. With `omitRecordMethods` the
 * constructor's prototype carries nothing, so pointing it at `Object.prototype` makes every
 * decoded record a plain object without a second copying pass (measured: the copy cost as much
 * as avsc's decoding itself). Checked by the "records are plain objects" test.
 */
function makeRecordsPlain(type: Type, seen: Set<Type>): void {
  if (seen.has(type)) return;
  seen.add(type);
  const shape = shapeOf(type);
  if (shape.recordConstructor) shape.recordConstructor.prototype = Object.prototype;
  for (const field of shape.fields ?? []) makeRecordsPlain(field.type, seen);
  for (const branch of shape.types ?? []) makeRecordsPlain(branch, seen);
  if (shape.itemsType) makeRecordsPlain(shape.itemsType, seen);
  if (shape.valuesType) makeRecordsPlain(shape.valuesType, seen);
}

const plans = new Map<string, SchemaPlan>();
const MAX_CACHED_PLANS = 32;

/** The decoding plan for a writer schema (cached by its JSON text). */
export function planFor(schemaJson: string): SchemaPlan {
  const cached = plans.get(schemaJson);
  if (cached) return cached;
  const plan = buildPlan(schemaJson);
  if (plans.size >= MAX_CACHED_PLANS) plans.delete(plans.keys().next().value!);
  plans.set(schemaJson, plan);
  return plan;
}

function buildPlan(schemaJson: string): SchemaPlan {
  let schema: unknown;
  try {
    schema = JSON.parse(schemaJson);
  } catch (error) {
    throw new SchemaError("the file's avro.schema header is not valid JSON", { cause: error });
  }
  const { name, recordType } = identify(schema);
  let writer: Type;
  try {
    writer = avro.Type.forSchema(schema as AvroSchema as Schema, typeOptions());
  } catch (error) {
    throw new SchemaError(`the file's schema ${name} is not a valid Avro schema: ${(error as Error).message}`, { cause: error });
  }
  const reader = readerFor(recordType);
  let resolver: Resolver | undefined;
  if (!writer.equals(reader)) {
    try {
      resolver = reader.createResolver(writer, { ignoreNamespaces: true });
    } catch (error) {
      throw new SchemaError(
        `the file's schema ${name} cannot be read as ${recordType}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  let validator: CompiledValidator;
  try {
    validator = compileValidator(writer);
  } catch (error) {
    throw new SchemaError(`the file's schema ${name} is not supported: ${(error as Error).message}`, { cause: error });
  }
  return { recordType, schemaName: name, reader, resolver, validator };
}

function identify(schema: unknown): { name: string; recordType: RecordType } {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) {
    throw new SchemaError("the file's schema is not a record schema (expected one of the Health Connect record schemas)");
  }
  const { type, name, namespace } = schema as Record<string, unknown>;
  if (type !== "record" || typeof name !== "string") {
    throw new SchemaError(`the file's schema is a ${JSON.stringify(type)}, not a record (expected one of the Health Connect record schemas)`);
  }
  const fullName = name.includes(".") || typeof namespace !== "string" || namespace === "" ? name : `${namespace}.${name}`;
  const simpleName = fullName.slice(fullName.lastIndexOf(".") + 1);
  const recordType = parseRecordType(simpleName);
  if (recordType === undefined) {
    throw new SchemaError(
      `unknown record schema ${fullName}: expected one of ${RECORD_TYPES.map((t) => `Avro${t}`).join(", ")} (the "Avro" prefix and namespace are optional)`,
    );
  }
  return { name: fullName, recordType };
}
