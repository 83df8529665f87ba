import type { ConfirmChannel, Options } from "amqplib";

/**
 * Publishes on a confirm channel and resolves once the broker confirmed it. With `mandatory`
 * (the default) a message no queue accepts rejects instead of vanishing: the broker returns
 * it before the confirm, and the return is matched by a per-publish header.
 */
export async function publishConfirmed(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: Options.Publish = {},
): Promise<void> {
  const mandatory = options.mandatory ?? true;
  const publishId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const headers: Record<string, unknown> = { ...(options.headers as Record<string, unknown> | undefined) };
  let returned = false;
  const onReturn = (message: { properties: { headers?: Record<string, unknown> } }): void => {
    if (message.properties.headers?.["x-publish-id"] === publishId) returned = true;
  };
  if (mandatory) {
    headers["x-publish-id"] = publishId;
    channel.on("return", onReturn);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const onClose = (): void => {
        reject(new Error("channel closed before the publish was confirmed"));
      };
      channel.once("close", onClose);
      try {
        channel.publish(exchange, routingKey, content, { ...options, mandatory, persistent: true, headers }, (err: unknown) => {
          channel.removeListener("close", onClose);
          if (err) reject(err instanceof Error ? err : new Error("publish was nacked by the broker"));
          else resolve();
        });
      } catch (error) {
        channel.removeListener("close", onClose);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  } finally {
    if (mandatory) channel.removeListener("return", onReturn);
  }
  if (returned) {
    throw new Error(`message to exchange "${exchange}" with routing key "${routingKey}" was unroutable (no queue bound)`);
  }
}
