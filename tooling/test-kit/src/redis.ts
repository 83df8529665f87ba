import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

/** The Redis tests use (`TEST_REDIS_URL` overrides it). */
export const redisUrl: string = process.env["TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379";

/** A key prefix unique to one test file or case. */
export function redisKeyPrefix(label: string): string {
  return `t:${label.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}:${randomBytes(4).toString("hex")}:`;
}

/** Deletes every key under a prefix (SCAN, never KEYS). */
export async function deleteRedisPrefix(prefix: string, url: string = redisUrl): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    await client.connect();
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) deleted += await client.del(...keys);
    } while (cursor !== "0");
    return deleted;
  } finally {
    client.disconnect();
  }
}
