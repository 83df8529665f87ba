import { randomBytes } from "node:crypto";
import amqp from "amqplib";

/** The broker tests use (`TEST_RABBITMQ_URL` overrides it). */
export const rabbitUrl: string = process.env["TEST_RABBITMQ_URL"] ?? "amqp://guest:guest@127.0.0.1:5672";

/** A name prefix unique to one test file or case, so tests never touch each other's queues. */
export function uniquePrefix(label: string): string {
  return `t.${label.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.${randomBytes(4).toString("hex")}`;
}

/** Deletes the named queues and exchanges (missing ones are ignored). */
export async function deleteTopology(names: { queues?: readonly string[]; exchanges?: readonly string[] }): Promise<void> {
  const conn = await amqp.connect(rabbitUrl);
  conn.on("error", () => undefined);
  try {
    for (const queue of names.queues ?? []) {
      const ch = await conn.createChannel();
      ch.on("error", () => undefined);
      await ch.deleteQueue(queue).catch(() => undefined);
      await ch.close().catch(() => undefined);
    }
    for (const exchange of names.exchanges ?? []) {
      const ch = await conn.createChannel();
      ch.on("error", () => undefined);
      await ch.deleteExchange(exchange).catch(() => undefined);
      await ch.close().catch(() => undefined);
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** Messages in a queue right now (passive declare), or undefined when it does not exist. */
export async function queueDepth(queue: string): Promise<number | undefined> {
  const conn = await amqp.connect(rabbitUrl);
  conn.on("error", () => undefined);
  try {
    const ch = await conn.createChannel();
    ch.on("error", () => undefined);
    const ok = await ch.checkQueue(queue).catch(() => undefined);
    return ok?.messageCount;
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** Takes up to `limit` messages off a queue (acking them) and returns them. */
export async function drainQueue(queue: string, limit = 10_000): Promise<amqp.GetMessage[]> {
  const conn = await amqp.connect(rabbitUrl);
  conn.on("error", () => undefined);
  const out: amqp.GetMessage[] = [];
  try {
    const ch = await conn.createChannel();
    while (out.length < limit) {
      const msg = await ch.get(queue, { noAck: true });
      if (msg === false) break;
      out.push(msg);
    }
    return out;
  } finally {
    await conn.close().catch(() => undefined);
  }
}
