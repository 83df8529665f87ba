import type { ConfirmChannel } from "amqplib";
import { publishConfirmed } from "./confirmed-publish.ts";

/** Routing key the health-api producer uses: `health.processing.<record type lowercased>`. */
export function healthDataRoutingKey(recordType: string): string {
  return `health.processing.${recordType.toLowerCase()}`;
}

/** Options of {@link publishHealthDataMessage}. */
export interface PublishHealthDataOptions {
  /** AMQP message id. */
  readonly messageId?: string;
  /** AMQP correlation id. */
  readonly correlationId?: string;
  /** Extra headers (e.g. trace context). */
  readonly headers?: Readonly<Record<string, unknown>>;
}

/**
 * Publishes a message body (an object is JSON-encoded) persistent and mandatory, and resolves
 * once the broker confirmed it; rejects when it was unroutable or nacked.
 */
export async function publishHealthDataMessage(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  body: Uint8Array | string | object,
  options: PublishHealthDataOptions = {},
): Promise<void> {
  const content =
    body instanceof Uint8Array ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : Buffer.from(typeof body === "string" ? body : JSON.stringify(body), "utf8");
  await publishConfirmed(channel, exchange, routingKey, content, {
    contentType: "application/json",
    timestamp: Math.floor(Date.now() / 1000),
    ...(options.messageId === undefined ? {} : { messageId: options.messageId }),
    ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
    headers: { ...options.headers },
  });
}
