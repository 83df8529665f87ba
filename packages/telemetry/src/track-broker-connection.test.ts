import { EventEmitter } from "node:events";
import { describe, expect, test } from "vitest";
import { parsePrometheusText, sampleValue } from "../test/parse-prometheus-text.ts";
import { createMetrics } from "./create-metrics.ts";
import { trackBrokerConnection } from "./track-broker-connection.ts";

describe("trackBrokerConnection", () => {
  test("follows connected / disconnected events until stopped", async () => {
    const metrics = createMetrics({ service: "s", version: "v", environment: "e", defaultMetrics: false });
    const consumer = new EventEmitter();
    const connected = async () => sampleValue(parsePrometheusText(await metrics.scrape()), "etl_rabbitmq_connected");
    const stop = trackBrokerConnection(metrics, consumer);
    expect(await connected()).toBe(0);
    consumer.emit("connected");
    expect(await connected()).toBe(1);
    consumer.emit("disconnected", new Error("socket closed"));
    expect(await connected()).toBe(0);
    consumer.emit("connected");
    stop();
    consumer.emit("disconnected");
    expect(await connected()).toBe(1);
    expect(consumer.listenerCount("connected")).toBe(0);
  });
});
