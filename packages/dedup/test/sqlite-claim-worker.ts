// Child process of the cross-process test: opens `stores` connections on one SQLite file, says
// "ready", waits for "go" on stdin, races every key on every connection and prints the outcomes
// as one JSON line.
import { once } from "node:events";
import { SqliteDeduplicationStore } from "../src/sqlite-deduplication-store.ts";
import { testMessage } from "./test-message.ts";

const [path, label, storeCount, keyList] = process.argv.slice(2);
if (path === undefined || label === undefined || storeCount === undefined || keyList === undefined) {
  throw new Error("usage: sqlite-claim-worker <path> <label> <stores> <key,key,…>");
}
const keys = keyList.split(",");
const stores = Array.from({ length: Number(storeCount) }, () => new SqliteDeduplicationStore({ path }));
await Promise.all(stores.map((s) => s.ping()));
process.stdout.write("ready\n");
await once(process.stdin, "data");
const outcomes = await Promise.all(
  stores.flatMap((store, i) =>
    keys.map(async (key) => {
      const owner = `${label}-s${i}`;
      const result = await store.tryClaim(testMessage(key), key, owner, 60_000);
      return { key, owner, status: result.status };
    }),
  ),
);
await Promise.all(stores.map((s) => s.close()));
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
process.stdin.destroy();
