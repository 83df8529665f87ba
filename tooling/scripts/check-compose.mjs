#!/usr/bin/env node
// Checks docker-compose.yml with `docker compose config` when a docker client with the compose
// plugin (or the standalone docker-compose) is present — no engine needed; says so and passes when
// there is none.
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ok = (cmd, args) => {
  const p = spawnSync(cmd, args, { encoding: "utf8" });
  return !p.error && p.status === 0;
};
let command;
if (ok("docker", ["compose", "version"])) command = ["docker", ["compose", "-f", "docker-compose.yml", "config", "--quiet"]];
else if (ok("docker-compose", ["version"])) command = ["docker-compose", ["-f", "docker-compose.yml", "config", "--quiet"]];
if (!command) {
  console.log("no docker compose client here (neither `docker compose` nor `docker-compose`); compose check skipped");
  process.exit(0);
}
const r = spawnSync(command[0], command[1], { cwd: repoRoot, encoding: "utf8" });
if (r.status !== 0) {
  console.error(`docker compose config rejected docker-compose.yml:\n${r.stderr}`);
  process.exit(1);
}
console.log("docker compose config accepts docker-compose.yml");
