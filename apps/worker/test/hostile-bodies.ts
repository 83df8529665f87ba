import { seededRandom } from "@narrative-engine/test-kit";

/** The message size cap of the contract (64 KiB). */
export const MESSAGE_CAP = 64 * 1024;

/** One generated hostile message body. */
export interface HostileBody {
  readonly category: string;
  readonly body: Buffer;
}

interface Context {
  readonly bucket: string;
  readonly foreignBucket: string;
  readonly foreignKey: string;
}

/**
 * `n` message bodies that a worker must dead-letter without crashing: random JSON, wrong types,
 * huge strings, deep nesting, prototype-pollution keys, invalid UTF-8, bodies over the cap, and
 * well-formed messages naming a bucket outside the allow-list. None of them may reach S3.
 */
export function hostileBodies(n: number, ctx: Context, seed = 11): HostileBody[] {
  const rand = seededRandom(seed);
  const int = (max: number) => Math.floor(rand() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const randomString = (len: number) => {
    let s = "";
    for (let i = 0; i < len; i++) s += String.fromCharCode(32 + int(95));
    return s;
  };
  const randomJson = (depth: number): unknown => {
    const kind = int(depth > 3 ? 4 : 6);
    switch (kind) {
      case 0:
        return rand() * 1e6 - 5e5;
      case 1:
        return randomString(int(40));
      case 2:
        return pick([true, false, null]);
      case 3:
        return int(2 ** 31);
      case 4:
        return Array.from({ length: int(5) }, () => randomJson(depth + 1));
      default:
        return Object.fromEntries(Array.from({ length: int(5) }, () => [randomString(1 + int(8)), randomJson(depth + 1)]));
    }
  };
  // A well-formed message; every hostile variant below breaks it in one way, or names the foreign bucket.
  const valid = (i: number): Record<string, unknown> => ({
    bucket: ctx.bucket,
    key: `raw/BloodGlucoseRecord/2026/01/05/hostile-${i}.avro`,
    user_id: `hostile-user-${i}`,
    record_type: "AvroBloodGlucoseRecord",
    upload_timestamp_utc: "2026-01-05T10:00:00Z",
    file_size_bytes: 1234,
    file_hash: "a".repeat(64),
    correlation_id: `hostile-${i}`,
  });
  const wrongTypes: ((m: Record<string, unknown>) => void)[] = [
    (m) => (m["bucket"] = 42),
    (m) => (m["key"] = ["raw", "x"]),
    (m) => (m["user_id"] = { id: 1 }),
    (m) => (m["record_type"] = 7),
    (m) => (m["record_type"] = "AvroMoodRecord"),
    (m) => (m["upload_timestamp_utc"] = "yesterday"),
    (m) => (m["file_size_bytes"] = "1234"),
    (m) => (m["file_size_bytes"] = -1),
    (m) => (m["file_size_bytes"] = 1.5),
    (m) => (m["file_hash"] = "zz"),
    (m) => (m["retry_count"] = "three"),
    (m) => (m["bucket"] = ""),
    (m) => delete m["key"],
    (m) => delete m["user_id"],
    (m) => (m["health_metadata"] = "not an object"),
  ];
  const json = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8");
  const out: HostileBody[] = [];
  for (let i = 0; i < n; i++) {
    const category = i % 10;
    switch (category) {
      case 0:
        out.push({ category: "random JSON", body: json(randomJson(0)) });
        break;
      case 1: {
        const m = valid(i);
        pick(wrongTypes)(m);
        out.push({ category: "wrong types", body: json(m) });
        break;
      }
      case 2: {
        // A huge string just under the cap in a message that is otherwise invalid.
        const m = valid(i);
        m["record_type"] = `Avro${"X".repeat(MESSAGE_CAP - 600)}Record`;
        out.push({ category: "huge string", body: json(m) });
        break;
      }
      case 3: {
        const m = valid(i);
        m["padding"] = "y".repeat(MESSAGE_CAP + int(8_192));
        out.push({ category: "over the size cap", body: json(m) });
        break;
      }
      case 4: {
        const depth = 1000 + int(9000);
        const nested = rand() < 0.5 ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
        out.push({ category: "deep nesting", body: Buffer.from(nested, "utf8") });
        break;
      }
      case 5: {
        // Prototype pollution: well-formed otherwise, so it passes parsing and stops at the allow-list.
        const m = JSON.stringify({ ...valid(i), bucket: ctx.foreignBucket, key: ctx.foreignKey });
        const payload = pick([
          `"__proto__":{"polluted":"yes","bucket":"${ctx.bucket}"}`,
          `"constructor":{"prototype":{"polluted":"yes"}}`,
          `"__proto__":{"__proto__":{"polluted":"yes"}},"constructor":{"prototype":{"allowedBuckets":["${ctx.foreignBucket}"]}}`,
        ]);
        out.push({ category: "prototype pollution", body: Buffer.from(`{${payload},${m.slice(1)}`, "utf8") });
        break;
      }
      case 6: {
        const text = JSON.stringify(valid(i));
        const bad = pick([Buffer.from([0xff, 0xfe]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from([0xe2, 0x82])]);
        const at = 1 + int(text.length - 2);
        out.push({ category: "invalid UTF-8", body: Buffer.concat([Buffer.from(text.slice(0, at), "utf8"), bad, Buffer.from(text.slice(at), "utf8")]) });
        break;
      }
      case 7: {
        const garbage = Buffer.alloc(1 + int(2000));
        for (let j = 0; j < garbage.length; j++) garbage[j] = int(256);
        out.push({ category: "binary garbage", body: garbage });
        break;
      }
      case 8:
        out.push({ category: "foreign bucket", body: json({ ...valid(i), bucket: ctx.foreignBucket, key: ctx.foreignKey }) });
        break;
      default: {
        const text = JSON.stringify(valid(i));
        out.push({ category: "truncated JSON", body: Buffer.from(text.slice(0, int(text.length - 1)), "utf8") });
      }
    }
  }
  return out;
}
