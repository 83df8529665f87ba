import { describe, expect, test } from "vitest";
import { retryCountOf } from "./rabbit-consumer.ts";
import { prefixedTopology, resolveTopology, tierForDelay, tierForRetry, topologyExchanges, topologyQueues } from "./rabbit-topology.ts";

describe("resolveTopology", () => {
  test("defaults follow the architecture", () => {
    const t = resolveTopology();
    expect(t).toMatchObject({
      exchange: "health_data_exchange",
      queue: "health_data_processing",
      routingPattern: "health.processing.#",
      deadLetterExchange: "health_data_dlx",
      deadLetterQueue: "health_data_dlq",
      queueType: "classic",
      declareMode: "assert",
    });
    expect(t.retryTiers).toEqual([
      { queue: "health_data_retry_30s", delayMs: 30_000 },
      { queue: "health_data_retry_300s", delayMs: 300_000 },
      { queue: "health_data_retry_900s", delayMs: 900_000 },
    ]);
    expect(topologyQueues(t)).toHaveLength(5);
    expect(topologyExchanges(t)).toEqual(["health_data_exchange", "health_data_dlx"]);
  });

  test("sub-second delays are named in ms and every name takes a prefix", () => {
    const t = prefixedTopology("t.x", { retryDelaysMs: [150, 2_000] });
    expect(t.retryTiers.map((r) => r.queue)).toEqual(["t.x.health_data_retry_150ms", "t.x.health_data_retry_2s"]);
    expect(t.queue).toBe("t.x.health_data_processing");
  });

  test.each([[[]], [[0]], [[-5]], [[1.5]], [[100, 100]]])("rejects retry delays %j", (delays) => {
    expect(() => resolveTopology({ retryDelaysMs: delays })).toThrow(RangeError);
  });
});

describe("tier selection", () => {
  const t = resolveTopology({ retryDelaysMs: [100, 200, 300] });
  test.each([
    [1, 100],
    [50, 100],
    [100, 100],
    [101, 200],
    [300, 300],
    [10_000, 300],
  ])("a deferral of %i ms goes to the %i ms tier", (delay, tier) => {
    expect(tierForDelay(t, delay).delayMs).toBe(tier);
  });
  test.each([
    [0, 100],
    [1, 100],
    [2, 200],
    [3, 300],
    [7, 300],
  ])("retry number %i goes to the %i ms tier", (retry, tier) => {
    expect(tierForRetry(t, retry).delayMs).toBe(tier);
  });
});

describe("retryCountOf", () => {
  test.each([
    [{ "x-retry-count": 2 }, 2],
    [{ "x-retry-count": "3" }, 3],
    [{ "x-retry-count": -1 }, undefined],
    [{ "x-retry-count": "x" }, undefined],
    [{}, undefined],
    [undefined, undefined],
  ])("%j gives %s", (headers, expected) => {
    expect(retryCountOf(headers)).toBe(expected);
  });
});
