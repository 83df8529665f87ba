#!/usr/bin/env node
// A real S3 server (s3rver) in its own process, for the benchmark.
// Usage: node tooling/bench/s3-server.mjs --port 0 --dir /tmp/x --bucket a,b
// Prints one JSON line {"port":N} when listening. Counts every S3 request it serves;
// GET /__bench/stats returns the counts as JSON, POST /__bench/reset zeroes them
// (those two paths never reach s3rver). SIGTERM/SIGINT stop it.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const S3rver = createRequire(join(root, "tooling/test-kit/package.json"))("s3rver");

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const port = Number(arg("port", "0"));
const directory = arg("dir", undefined);
const buckets = arg("bucket", "bench-data").split(",").filter(Boolean);
if (directory === undefined) {
  process.stderr.write("--dir is required\n");
  process.exit(2);
}

let stats = fresh();
function fresh() {
  return { total: 0, byMethod: {}, trainingPuts: 0, quarantinePuts: 0, other: 0 };
}

const server = new S3rver({ address: "127.0.0.1", port, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
const address = await server.run();
const http = server.httpServer;
const s3Listeners = http.listeners("request");
http.removeAllListeners("request");
http.on("request", (req, res) => {
  const url = req.url ?? "";
  if (url.startsWith("/__bench/")) {
    if (url.startsWith("/__bench/reset")) stats = fresh();
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(stats));
    return;
  }
  stats.total += 1;
  const method = req.method ?? "?";
  stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
  if (method === "PUT" && url.includes("/training/")) stats.trainingPuts += 1;
  else if (method === "PUT" && url.includes("/quarantine/")) stats.quarantinePuts += 1;
  for (const listener of s3Listeners) listener.call(http, req, res);
});
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
const stop = () => {
  server.close().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
