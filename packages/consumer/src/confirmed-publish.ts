import type { ConfirmChannel, Message, Options } from "amqplib";

// One `return` listener per channel (not per publish, which would pile up listeners): ids of
// returned (unroutable) publishes wait here until their confirm arrives.
const returnedByChannel = new WeakMap<ConfirmChannel, Set<string>>();

function returnedIds(channel: ConfirmChannel): Set<string> {
  let ids = returnedByChannel.get(channel);
  if (ids === undefined) {
    const set = new Set<string>();
    channel.on("return", (message: Message) => {
      const id: unknown = message.properties.headers?.["x-publish-id"];
      if (typeof id === "string") set.add(id);
    });
    returnedByChannel.set(channel, set);
    ids = set;
  }
  return ids;
}

let sequence = 0;

/**
 * Publishes on a confirm channel and resolves once the broker confirmed it. With `mandatory`
 * (the default) a message no queue accepts rejects instead of vanishing: the broker returns
 * it before the confirm, matched by a per-publish `x-publish-id` header. Rejects when the
 * broker nacks or the channel closes first (amqplib fails outstanding confirms on close).
 */
export async function publishConfirmed(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: Options.Publish = {},
): Promise<void> {
  const mandatory = options.mandatory ?? true;
  const headers: Record<string, unknown> = { ...(options.headers as Record<string, unknown> | undefined) };
  const publishId = `${process.pid.toString(36)}-${Date.now().toString(36)}-${(sequence++).toString(36)}`;
  const returned = mandatory ? returnedIds(channel) : undefined;
  if (mandatory) headers["x-publish-id"] = publishId;
  await new Promise<void>((resolve, reject) => {
    try {
      channel.publish(exchange, routingKey, content, { ...options, mandatory, persistent: true, headers }, (err: unknown) => {
        if (err) reject(err instanceof Error ? err : new Error("publish was nacked by the broker"));
        else resolve();
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
  if (returned?.delete(publishId)) {
    throw new Error(`message to exchange "${exchange}" with routing key "${routingKey}" was unroutable (no queue bound)`);
  }
}
