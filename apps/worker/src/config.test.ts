import { describe, expect, test } from "vitest";
import { CONFIG_DEFAULTS, CONFIG_VARIABLES, ConfigError, closestVariable, describeConfig, loadConfig, redactUrl } from "./config.ts";

function issuesOf(env: Record<string, string>): Map<string, string> {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return new Map((error as ConfigError).issues.map((i) => [i.variable, i.message]));
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  test("an empty environment gives the documented defaults", () => {
    const { config, warnings } = loadConfig({});
    expect(warnings).toEqual([]);
    expect(config.rabbitmq).toMatchObject({
      queueName: "health_data_processing",
      exchangeName: "health_data_exchange",
      routingKeyPattern: "health.processing.#",
      deadLetterQueue: "health_data_dlq",
      deadLetterExchange: "health_data_dlx",
      queueType: "classic",
      declareMode: "assert",
      prefetchCount: 32,
      maxRetries: 3,
      retryDelaysSeconds: [30, 300, 900],
    });
    expect(config.s3.allowedBuckets).toEqual(["health-data"]);
    expect(config.s3.forcePathStyle).toBe(false);
    expect(config.trainingDataPrefix).toBe("training/");
    expect(config.quarantinePrefix).toBe("quarantine/");
    expect(config.metricsPort).toBe(8004);
    expect(config.dataQualityThreshold).toBe(0.7);
    expect(config.tracingEnabled).toBe(false);
    expect(config.maxRecordsPerFile).toBe(100_000);
  });

  test.each([
    ["[30,300,900]", [30, 300, 900]],
    ["30,300,900", [30, 300, 900]],
    [" [ 5, 10 ] ", [5, 10]],
    ["60", [60]],
  ])("ETL_RETRY_DELAYS=%s", (raw, expected) => {
    expect(loadConfig({ ETL_RETRY_DELAYS: raw }).config.rabbitmq.retryDelaysSeconds).toEqual(expected);
  });

  test("values from the environment override defaults and are normalised", () => {
    const { config } = loadConfig({
      ETL_QUEUE_TYPE: "QUORUM",
      ETL_DECLARE_MODE: "passive",
      ETL_PREFETCH_COUNT: "8",
      ETL_S3_ENDPOINT_URL: "http://127.0.0.1:9000",
      ETL_S3_BUCKET_NAME: "uploads",
      ETL_S3_ALLOWED_BUCKETS: "uploads, archive",
      ETL_TRAINING_DATA_PREFIX: "llm",
      ETL_TRACING_ENABLED: "yes",
      ETL_DEDUPLICATION_STORE: "redis",
      ETL_MAX_RECORDS_PER_FILE: "1000000",
    });
    expect(config.maxRecordsPerFile).toBe(1_000_000);
    expect(config.rabbitmq.queueType).toBe("quorum");
    expect(config.rabbitmq.declareMode).toBe("passive");
    expect(config.rabbitmq.prefetchCount).toBe(8);
    expect(config.s3.forcePathStyle).toBe(true);
    expect(config.s3.allowedBuckets).toEqual(["uploads", "archive"]);
    expect(config.trainingDataPrefix).toBe("llm/");
    expect(config.tracingEnabled).toBe(true);
    expect(config.deduplication.store).toBe("redis");
  });

  test("every invalid variable is reported at once, by name", () => {
    const issues = issuesOf({
      ETL_PREFETCH_COUNT: "zero",
      ETL_QUEUE_TYPE: "stream",
      ETL_RETRY_DELAYS: "30,soon",
      ETL_DATA_QUALITY_THRESHOLD: "1.5",
      ETL_RABBITMQ_URL: "http://user:hunter2@host",
      ETL_METRICS_PORT: "70000",
      ETL_MAX_RECORDS_PER_FILE: "0",
    });
    expect([...issues.keys()].sort()).toEqual([
      "ETL_DATA_QUALITY_THRESHOLD",
      "ETL_MAX_RECORDS_PER_FILE",
      "ETL_METRICS_PORT",
      "ETL_PREFETCH_COUNT",
      "ETL_QUEUE_TYPE",
      "ETL_RABBITMQ_URL",
      "ETL_RETRY_DELAYS",
    ]);
    expect(issues.get("ETL_QUEUE_TYPE")).toContain("classic, quorum");
    expect(issues.get("ETL_RABBITMQ_URL")).not.toContain("hunter2");
  });

  test("a secret is never echoed in an error", () => {
    const issues = issuesOf({ ETL_S3_ACCESS_KEY: "AKIASECRETVALUE" });
    expect(issues.get("ETL_S3_SECRET_KEY")).toMatch(/together/);
    expect([...issues.values()].join(" ")).not.toContain("AKIASECRETVALUE");
  });

  test("unknown ETL_ variables are warned about with the closest name", () => {
    const { warnings } = loadConfig({ ETL_PREFETCH_CUONT: "4", ETL_TOTALLY_DIFFERENT_THING: "x", PATH: "/bin" });
    expect(warnings).toHaveLength(2);
    expect(warnings.find((w) => w.includes("ETL_PREFETCH_CUONT"))).toContain("did you mean ETL_PREFETCH_COUNT?");
    expect(warnings.find((w) => w.includes("ETL_TOTALLY_DIFFERENT_THING"))).not.toContain("did you mean");
  });

  test("closestVariable finds near misses only", () => {
    expect(closestVariable("ETL_QUEUE_NAM")).toBe("ETL_QUEUE_NAME");
    expect(closestVariable("ETL_S3_BUCKET")).toBe("ETL_S3_BUCKET_NAME");
    expect(closestVariable("ETL_SOMETHING_ELSE_ENTIRELY_DIFFERENT")).toBeUndefined();
  });
});

describe("printing", () => {
  test.each([
    ["amqp://user:hunter2@rabbit:5672/vhost", "amqp://user:***@rabbit:5672/vhost"],
    ["amqp://guest:guest@localhost:5672", "amqp://guest:***@localhost:5672"],
    ["redis://:p4ss@redis:6379", "redis://:***@redis:6379"],
    ["http://minio:9000", "http://minio:9000"],
  ])("redactUrl(%s)", (raw, shown) => {
    expect(redactUrl(raw)).toBe(shown);
  });

  test("describeConfig masks secrets and URL passwords and says where values came from", () => {
    const lines = describeConfig({ ETL_S3_SECRET_KEY: "topsecret", ETL_S3_ACCESS_KEY: "AKIA123", ETL_RABBITMQ_URL: "amqp://u:pw@h" });
    const text = JSON.stringify(lines);
    expect(text).not.toContain("topsecret");
    expect(text).not.toContain("AKIA123");
    expect(text).not.toContain(":pw@");
    expect(lines.find((l) => l.name === "ETL_QUEUE_NAME")).toEqual({ name: "ETL_QUEUE_NAME", value: "health_data_processing", source: "default" });
    expect(lines.find((l) => l.name === "ETL_S3_SECRET_KEY")).toEqual({ name: "ETL_S3_SECRET_KEY", value: "***", source: "env" });
  });

  test("the defaults table lists each variable once", () => {
    const names = CONFIG_VARIABLES.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    expect(CONFIG_DEFAULTS["ETL_PREFETCH_COUNT"]).toBe("32");
  });
});
