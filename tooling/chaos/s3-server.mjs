#!/usr/bin/env node
// s3rver in a process of its own, so the chaos run can stop it (SIGTERM) and bring it back on the
// same port with the same objects. Run with `node --openssl-legacy-provider` (s3rver encrypts
// ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers through that provider).
// Usage: s3-server.mjs --port N --dir DIR --bucket NAME [--bucket NAME…]
import { createRequire } from "node:module";
import { resolve } from "node:path";

const require = createRequire(resolve(import.meta.dirname, "../test-kit/package.json"));
const S3rver = require("s3rver");

const args = process.argv.slice(2);
const opt = (name) => {
  const values = [];
  for (let i = 0; i < args.length; i += 1) if (args[i] === `--${name}`) values.push(args[i + 1]);
  return values;
};
const port = Number(opt("port")[0] ?? 0);
const directory = opt("dir")[0];
if (directory === undefined) throw new Error("--dir is required");
const buckets = opt("bucket");

const server = new S3rver({ address: "127.0.0.1", port, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
const address = await server.run();
process.stdout.write(`s3rver listening on ${address.port}\n`);
const stop = () => {
  server.close().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
