import type { Type } from "avsc";
import { DecodeFault, readInt, readLength, readLong, skipBytes, type Cursor } from "./bounded-reader.ts";

/** Walks one encoded value, checking every length, count, index and long against the bytes that remain. */
export type ValueCheck = (c: Cursor) => void;

/** A compiled check and the fewest bytes any value of the type takes. */
export interface CompiledValidator {
  readonly check: ValueCheck;
  /** Lower bound of the encoded size of one value (0 for e.g. `null`). */
  readonly minBytes: number;
}

// Items that take no bytes (e.g. an array of nulls) cannot be bounded by the bytes left.
const MAX_ZERO_BYTE_ITEMS = 1_000_000;
// Recursive schemas nest through unions and arrays; a forged file must not blow the stack.
const MAX_DEPTH = 128;

/** The public properties of avsc's parsed types that the walker reads (avsc types them per class). */
export interface AvscTypeShape {
  readonly typeName: string;
  readonly size?: number;
  readonly symbols?: readonly string[];
  readonly types?: readonly Type[];
  readonly itemsType?: Type;
  readonly valuesType?: Type;
  readonly fields?: readonly { readonly name: string; readonly type: Type }[];
  readonly underlyingType?: Type;
  readonly recordConstructor?: { prototype: object };
}

/** Views an avsc type through {@link AvscTypeShape}. */
export const shapeOf = (type: Type): AvscTypeShape => type;

interface Node {
  check: ValueCheck;
  minBytes: number;
}

/**
 * Compiles a bounded walker for an avsc type. It allocates nothing while walking, so it can run
 * over untrusted bytes before avsc decodes them: avsc itself trusts counts and lengths.
 */
export function compileValidator(type: Type): CompiledValidator {
  const compiled = new Map<Type, Node>();
  let depth = 0;

  const compile = (t: Type, path: string): Node => {
    const cached = compiled.get(t);
    if (cached) return cached;
    const typeName = t.typeName;
    switch (typeName) {
      case "null":
        return { check: () => undefined, minBytes: 0 };
      case "boolean":
        return {
          check: (c) => {
            if (c.pos >= c.end) throw new DecodeFault("truncated", `${path} runs past the end of the data`);
            if (c.buf[c.pos]! > 1) throw new DecodeFault("boolean", `invalid boolean byte ${c.buf[c.pos]} at ${path}`);
            c.pos++;
          },
          minBytes: 1,
        };
      case "int":
        return { check: (c) => void readInt(c, path), minBytes: 1 };
      case "long":
        return { check: (c) => void readLong(c, path), minBytes: 1 };
      case "float":
        return { check: (c) => skipBytes(c, 4, path), minBytes: 4 };
      case "double":
        return { check: (c) => skipBytes(c, 8, path), minBytes: 8 };
      case "string":
      case "bytes":
        return {
          check: (c) => {
            const length = readLength(c, path);
            c.pos += length;
          },
          minBytes: 1,
        };
      case "fixed": {
        const size = shapeOf(t).size!;
        return { check: (c) => skipBytes(c, size, path), minBytes: size };
      }
      case "enum": {
        const count = shapeOf(t).symbols!.length;
        return {
          check: (c) => {
            const i = readLong(c, path);
            if (i < 0 || i >= count) {
              throw new DecodeFault("enum", `invalid enum symbol index ${i} at ${path} (the enum has ${count} symbols)`);
            }
          },
          minBytes: 1,
        };
      }
      case "union:unwrapped":
      case "union:wrapped": {
        const branches = shapeOf(t).types!.map((b) => compile(b, path));
        const count = branches.length;
        return {
          check: (c) => {
            const i = readLong(c, path);
            if (i < 0 || i >= count) {
              throw new DecodeFault("union", `invalid union branch index ${i} at ${path} (the union has ${count} branches)`);
            }
            branches[i]!.check(c);
          },
          minBytes: 1 + Math.min(...branches.map((b) => b.minBytes)),
        };
      }
      case "array":
        return repeated(compile(shapeOf(t).itemsType!, `${path}[]`), path, false);
      case "map":
        return repeated(compile(shapeOf(t).valuesType!, `${path}{}`), path, true);
      case "record":
      case "error": {
        // Register before compiling fields so a recursive reference finds this node.
        const node: Node = { check: () => undefined, minBytes: 0 };
        compiled.set(t, node);
        const fields = shapeOf(t).fields!.map((f) => compile(f.type, path === "" ? f.name : `${path}.${f.name}`));
        const checks = fields.map((f) => f.check);
        const n = checks.length;
        node.minBytes = fields.reduce((sum, f) => sum + f.minBytes, 0);
        node.check = (c) => {
          if (++depth > MAX_DEPTH) {
            throw new DecodeFault("depth", `values nested more than ${MAX_DEPTH} deep at ${path || "record"}`);
          }
          for (let i = 0; i < n; i++) checks[i]!(c);
          depth--;
        };
        return node;
      }
      default:
        if (typeName.startsWith("logical:")) return compile(shapeOf(t).underlyingType!, path);
        throw new DecodeFault("union", `unsupported Avro type ${typeName} at ${path}`);
    }
  };

  const repeated = (item: Node, path: string, keyed: boolean): Node => {
    const itemMin = item.minBytes + (keyed ? 1 : 0);
    const what = keyed ? "map" : "array";
    return {
      check: (c) => {
        let zeroByteItems = 0;
        for (;;) {
          let n = readLong(c, `${path} item count`);
          if (n === 0) return;
          let blockEnd = -1;
          if (n < 0) {
            n = -n;
            const size = readLength(c, `${path} block size`);
            blockEnd = c.pos + size;
          }
          const remaining = c.end - c.pos;
          if (itemMin > 0 ? n > remaining / itemMin : (zeroByteItems += n) > MAX_ZERO_BYTE_ITEMS) {
            throw new DecodeFault("count", `${what} ${path} claims ${n} items but only ${remaining} bytes remain`);
          }
          for (let i = 0; i < n; i++) {
            if (keyed) {
              const keyLength = readLength(c, `${path} key`);
              c.pos += keyLength;
            }
            item.check(c);
          }
          if (blockEnd >= 0 && c.pos !== blockEnd) {
            throw new DecodeFault("count", `${what} ${path} block size does not match its items`);
          }
        }
      },
      minBytes: 1,
    };
  };

  const root = compile(type, "");
  return {
    check: (c) => {
      depth = 0;
      root.check(c);
    },
    minBytes: root.minBytes,
  };
}
