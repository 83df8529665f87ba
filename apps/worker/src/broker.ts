import type { RabbitTopologyOptions } from "@narrative-engine/consumer";
import amqp, { type ChannelModel } from "amqplib";
import { CommandFailed } from "./cli-context.ts";
import { redactUrl, type WorkerConfig } from "./config.ts";

/** The consumer's topology options from the configuration. */
export function topologyOptions(config: WorkerConfig): RabbitTopologyOptions {
  const r = config.rabbitmq;
  return {
    exchange: r.exchangeName,
    queue: r.queueName,
    routingPattern: r.routingKeyPattern,
    retryDelaysMs: r.retryDelaysSeconds.map((s) => s * 1000),
    retryQueuePrefix: r.retryQueuePrefix,
    deadLetterExchange: r.deadLetterExchange,
    deadLetterQueue: r.deadLetterQueue,
    queueType: r.queueType,
    declareMode: r.declareMode,
  };
}

/** Opens a connection for a one-shot command; failures name the broker with its password masked. */
export async function connectBroker(config: WorkerConfig, name: string): Promise<ChannelModel> {
  try {
    const connection = await amqp.connect(config.rabbitmq.url, { clientProperties: { connection_name: `narrative-engine ${name}` } });
    // An unhandled 'error' event would crash the process; the command notices the closed connection instead.
    connection.on("error", () => undefined);
    return connection;
  } catch (error) {
    throw new CommandFailed(`cannot connect to RabbitMQ at ${redactUrl(config.rabbitmq.url)}: ${(error as Error).message}`);
  }
}
