#!/usr/bin/env node
// Makes sure RabbitMQ and Redis answer on their test addresses, starting them when they do not:
// first the local server binaries, else `docker compose up -d <service>`. Exits non-zero with a
// message naming what is missing and how to provide it.
import { execFileSync, spawnSync } from "node:child_process";
import { connect } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const SERVICES = [
  {
    name: "RabbitMQ",
    compose: "rabbitmq",
    port: 5672,
    probe: probeAmqp,
    local: [
      ["rabbitmq-server", ["-detached"]],
      ["rabbitmqctl", ["await_startup", "--timeout", "60"]],
    ],
    how: "install rabbitmq-server (apt-get install rabbitmq-server) or run `docker compose up -d rabbitmq`; tests expect amqp://guest:guest@127.0.0.1:5672",
  },
  {
    name: "Redis",
    compose: "redis",
    port: 6379,
    probe: probeRedis,
    local: [
      [
        "redis-server",
        ["--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "", "--appendonly", "no"],
      ],
    ],
    how: "install redis-server (apt-get install redis-server) or run `docker compose up -d redis`; tests expect redis://127.0.0.1:6379",
  },
];

function probeSocket(port, hello, check, timeoutMs = 1500) {
  return new Promise((res) => {
    const socket = connect({ host: "127.0.0.1", port });
    let buf = Buffer.alloc(0);
    const done = (ok) => {
      socket.destroy();
      res(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write(hello));
    socket.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      const verdict = check(buf);
      if (verdict !== undefined) done(verdict);
    });
    socket.on("close", () => done(false));
  });
}

// AMQP 0-9-1: after the protocol header a live broker answers with a Connection.Start frame (type 1).
function probeAmqp(port) {
  return probeSocket(port, Buffer.from("AMQP\x00\x00\x09\x01", "latin1"), (b) => (b.length >= 1 ? b[0] === 1 : undefined));
}

function probeRedis(port) {
  return probeSocket(port, "PING\r\n", (b) => (b.includes("\r\n") ? b.toString().startsWith("+PONG") : undefined));
}

function has(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

async function waitFor(service, seconds) {
  for (let i = 0; i < seconds * 2; i++) {
    if (await service.probe(service.port)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function ensure(service) {
  if (await service.probe(service.port)) return { ok: true, how: "already running" };
  const tried = [];
  if (service.local.every(([cmd]) => has(cmd))) {
    tried.push("local binaries");
    try {
      for (const [cmd, args] of service.local) execFileSync(cmd, args, { stdio: "ignore", timeout: 90_000 });
    } catch {
      // fall through to the wait, then to docker
    }
    if (await waitFor(service, 30)) return { ok: true, how: "started from local binaries" };
  }
  if (has("docker")) {
    tried.push("docker compose");
    const r = spawnSync("docker", ["compose", "up", "-d", service.compose], { cwd: repoRoot, stdio: "ignore", timeout: 180_000 });
    if (r.status === 0 && (await waitFor(service, 60))) return { ok: true, how: "started with docker compose" };
  }
  return { ok: false, tried };
}

export async function ensureServices({ quiet = false } = {}) {
  const problems = [];
  for (const service of SERVICES) {
    const result = await ensure(service);
    if (result.ok) {
      if (!quiet) console.log(`${service.name} on 127.0.0.1:${service.port}: ${result.how}`);
    } else {
      problems.push(
        `${service.name} is not answering on 127.0.0.1:${service.port} (tried: ${result.tried.join(", ") || "nothing available"}); ${service.how}`,
      );
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = await ensureServices();
  if (problems.length > 0) {
    for (const p of problems) console.error(`error: ${p}`);
    process.exit(1);
  }
}
