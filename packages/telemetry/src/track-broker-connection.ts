import type { EtlMetrics } from "./create-metrics.ts";

/** Anything that emits `connected` and `disconnected` (the consumer's `RabbitConsumer`, an amqplib connection wrapper…). */
export interface ConnectionEvents {
  /** Subscribes to an event. */
  on(event: "connected" | "disconnected", listener: (...args: unknown[]) => void): unknown;
  /** Unsubscribes (used by the returned stop function). */
  off?(event: "connected" | "disconnected", listener: (...args: unknown[]) => void): unknown;
}

/**
 * Keeps `etl_rabbitmq_connected` in step with a broker client's `connected` /
 * `disconnected` events; returns a function that stops listening.
 */
export function trackBrokerConnection(metrics: Pick<EtlMetrics, "setBrokerConnected">, source: ConnectionEvents): () => void {
  const up = (): void => {
    metrics.setBrokerConnected(true);
  };
  const down = (): void => {
    metrics.setBrokerConnected(false);
  };
  source.on("connected", up);
  source.on("disconnected", down);
  return () => {
    source.off?.("connected", up);
    source.off?.("disconnected", down);
  };
}
