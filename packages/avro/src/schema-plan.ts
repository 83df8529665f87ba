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
  /** Turns avsc's record instances into plain objects. */
  readonly toPlain: (value: unknown) => unknown;
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

const readers = new Map<RecordType, { type: Type; toPlain: (value: unknown) => unknown }>();

/** Our avsc type for a record type (built once). */
export function readerFor(recordType: RecordType): { type: Type; toPlain: (value: unknown) => unknown } {
  let reader = readers.get(recordType);
  if (!reader) {
    const type = avro.Type.forSchema(withUnprefixedAliases(HEALTH_CONNECT_SCHEMAS[recordType]) as Schema, typeOptions());
    reader = { type, toPlain: compilePlainConverter(type) };
    readers.set(recordType, reader);
  }
  return reader;
}

const identity = (value: unknown): unknown => value;

// Our schemas use records, arrays of records, ["null", X] unions, enums and primitives only.
function compilePlainConverter(type: Type): (value: unknown) => unknown {
  switch (type.typeName) {
    case "record": {
      const fields = shapeOf(type).fields!.map((f) => ({ name: f.name, convert: compilePlainConverter(f.type) }));
      const n = fields.length;
      return (value) => {
        const source = value as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const field = fields[i]!;
          out[field.name] = field.convert(source[field.name]);
        }
        return out;
      };
    }
    case "array": {
      const convert = compilePlainConverter(shapeOf(type).itemsType!);
      if (convert === identity) return identity;
      return (value) => {
        const items = value as unknown[];
        for (let i = 0; i < items.length; i++) items[i] = convert(items[i]);
        return items;
      };
    }
    case "union:unwrapped": {
      const branches = shapeOf(type).types!.filter((t) => t.typeName !== "null");
      const only = branches.length === 1 ? branches[0] : undefined;
      if (only?.typeName !== "record") return identity;
      const convert = compilePlainConverter(only);
      return (value) => (value === null ? null : convert(value));
    }
    default:
      return identity;
  }
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
  if (!writer.equals(reader.type)) {
    try {
      resolver = reader.type.createResolver(writer, { ignoreNamespaces: true });
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
  return { recordType, schemaName: name, reader: reader.type, resolver, validator, toPlain: reader.toPlain };
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
