import { z } from "zod";

/** One `ETL_` environment variable the worker understands. */
export interface ConfigVariable {
  /** The variable name, e.g. `ETL_QUEUE_NAME`. */
  readonly name: string;
  /** Default as it would be written in the environment; undefined when there is none. */
  readonly default: string | undefined;
  /** What it means, one line (the README table repeats it). */
  readonly description: string;
  /** True when the value must never be printed. */
  readonly secret?: boolean;
  /** True when the value is a URL whose password must be masked when printed. */
  readonly url?: boolean;
}

/**
 * Every variable with its default and meaning, in the order `config print` and the README
 * list them. The README configuration table is checked against this by a test.
 */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  { name: "ETL_ENVIRONMENT", default: "development", description: "Deployment name (development, staging, production); a label on `etl_service_info`." },
  { name: "ETL_RABBITMQ_URL", default: "amqp://guest:guest@localhost:5672", description: "AMQP URL of the broker; its password is masked wherever it is printed.", url: true },
  { name: "ETL_EXCHANGE_NAME", default: "health_data_exchange", description: "Durable topic exchange producers publish to." },
  { name: "ETL_QUEUE_NAME", default: "health_data_processing", description: "Main processing queue." },
  { name: "ETL_ROUTING_KEY_PATTERN", default: "health.processing.#", description: "Binding of the processing queue to the exchange." },
  { name: "ETL_DEAD_LETTER_EXCHANGE", default: "health_data_dlx", description: "Exchange dead letters go through." },
  { name: "ETL_DEAD_LETTER_QUEUE", default: "health_data_dlq", description: "Queue holding dead letters (`dlq list`, `dlq replay`)." },
  { name: "ETL_RETRY_QUEUE_PREFIX", default: "health_data_retry_", description: "Retry tier queues are named `{prefix}{delay}s` (`health_data_retry_30s`)." },
  { name: "ETL_QUEUE_TYPE", default: "classic", description: "Type of the processing queue: `classic` or `quorum`." },
  { name: "ETL_DECLARE_MODE", default: "assert", description: "`assert` declares the topology; `passive` only checks it exists (another service owns it)." },
  { name: "ETL_PREFETCH_COUNT", default: "32", description: "Unacknowledged deliveries per worker = how many files are processed concurrently." },
  { name: "ETL_MAX_RETRIES", default: "3", description: "Retries of a retriable failure before the message is dead-lettered." },
  { name: "ETL_RETRY_DELAYS", default: "30,300,900", description: "Delay of each retry tier in seconds: `30,300,900` or `[30,300,900]`; the last repeats." },
  { name: "ETL_LEASE_SECONDS", default: "300", description: "Claim lease on an idempotency key; renewed while the work runs." },
  { name: "ETL_SHUTDOWN_GRACE_SECONDS", default: "30", description: "On SIGTERM/SIGINT, how long in-flight messages may finish before the rest are requeued." },
  { name: "ETL_S3_ENDPOINT_URL", default: undefined, description: "S3 endpoint for MinIO or another S3-compatible server; unset means AWS.", url: true },
  { name: "ETL_S3_ACCESS_KEY", default: undefined, description: "S3 access key id; unset means the AWS default credential chain.", secret: true },
  { name: "ETL_S3_SECRET_KEY", default: undefined, description: "S3 secret access key.", secret: true },
  { name: "ETL_S3_BUCKET_NAME", default: "health-data", description: "Bucket of uploads (`publish`) and of training output and quarantine in worker mode." },
  { name: "ETL_S3_REGION", default: "us-east-1", description: "S3 region." },
  { name: "ETL_S3_FORCE_PATH_STYLE", default: undefined, description: "Path-style S3 URLs (`true`/`false`); unset means true when `ETL_S3_ENDPOINT_URL` is set." },
  { name: "ETL_S3_ALLOWED_BUCKETS", default: undefined, description: "Comma-separated buckets messages may point at; unset means only `ETL_S3_BUCKET_NAME`." },
  { name: "ETL_DEDUPLICATION_STORE", default: "sqlite", description: "Deduplication store: `sqlite` (one worker host) or `redis` (a fleet)." },
  { name: "ETL_DEDUPLICATION_DB_PATH", default: ".state/dedup.sqlite", description: "SQLite file of the deduplication store." },
  { name: "ETL_DEDUPLICATION_REDIS_URL", default: "redis://localhost:6379", description: "Redis URL of the deduplication store; its password is masked wherever it is printed.", url: true },
  { name: "ETL_DEDUPLICATION_REDIS_KEY_PREFIX", default: undefined, description: "Extra prefix before every Redis key (`{prefix}etl:processed:{key}`); unset means none." },
  { name: "ETL_DEDUPLICATION_RETENTION_HOURS", default: "168", description: "How long processed keys are remembered (duplicates detected)." },
  { name: "ETL_MAX_FILE_SIZE_MB", default: "100", description: "Files larger than this are a permanent error, never downloaded whole." },
  { name: "ETL_MAX_RECORDS_PER_FILE", default: "100000", description: "Files with more records than this are quarantined (`max_records_per_file`); decoding stops at the limit." },
  { name: "ETL_PROCESSING_TIMEOUT_SECONDS", default: "300", description: "Time limit of one message through the pipeline; over it is a retriable `timeout_error`." },
  { name: "ETL_DATA_QUALITY_THRESHOLD", default: "0.7", description: "Quality score (0–1) below which a file is quarantined." },
  { name: "ETL_TRAINING_DATA_PREFIX", default: "training/", description: "Key prefix of training examples in the bucket (or output folder)." },
  { name: "ETL_QUARANTINE_PREFIX", default: "quarantine/", description: "Key prefix of quarantined files and their metadata sidecars." },
  { name: "ETL_METRICS_PORT", default: "8004", description: "Port of `/metrics`, `/live`, `/ready` and `/health` (0 disables the server)." },
  { name: "ETL_METRICS_HOST", default: "0.0.0.0", description: "Address the metrics server listens on." },
  { name: "ETL_LOG_LEVEL", default: "info", description: "`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`; no level logs record values, user ids or narratives." },
  { name: "ETL_TRACING_ENABLED", default: "false", description: "Export OpenTelemetry spans (W3C trace context in AMQP headers)." },
  { name: "ETL_OTLP_ENDPOINT", default: "http://localhost:4318/v1/traces", description: "OTLP/HTTP traces endpoint, used when tracing is enabled.", url: true },
  { name: "ETL_SERVICE_NAME", default: "narrative-engine-worker", description: "Service name in logs, traces and `etl_service_info`." },
];

const VARIABLE_NAMES: ReadonlySet<string> = new Set(CONFIG_VARIABLES.map((v) => v.name));

/** The defaults by variable name (unset variables without a default are absent). */
export const CONFIG_DEFAULTS: Readonly<Record<string, string>> = Object.fromEntries(
  CONFIG_VARIABLES.filter((v) => v.default !== undefined).map((v) => [v.name, v.default as string]),
);

/** Queue types of the processing queue. */
export const QUEUE_TYPES = ["classic", "quorum"] as const;
/** Topology declare modes. */
export const DECLARE_MODES = ["assert", "passive"] as const;
/** Deduplication store kinds. */
export const DEDUP_STORES = ["sqlite", "redis"] as const;
/** Log levels. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** The parsed configuration of the worker and the CLI. */
export interface WorkerConfig {
  readonly environment: string;
  readonly serviceName: string;
  readonly rabbitmq: {
    readonly url: string;
    readonly exchangeName: string;
    readonly queueName: string;
    readonly routingKeyPattern: string;
    readonly deadLetterExchange: string;
    readonly deadLetterQueue: string;
    readonly retryQueuePrefix: string;
    readonly queueType: (typeof QUEUE_TYPES)[number];
    readonly declareMode: (typeof DECLARE_MODES)[number];
    readonly prefetchCount: number;
    readonly maxRetries: number;
    readonly retryDelaysSeconds: readonly number[];
  };
  readonly leaseSeconds: number;
  readonly shutdownGraceSeconds: number;
  readonly s3: {
    readonly endpointUrl: string | undefined;
    readonly accessKey: string | undefined;
    readonly secretKey: string | undefined;
    readonly bucketName: string;
    readonly region: string;
    readonly forcePathStyle: boolean;
    readonly allowedBuckets: readonly string[];
  };
  readonly deduplication: {
    readonly store: (typeof DEDUP_STORES)[number];
    readonly dbPath: string;
    readonly redisUrl: string;
    readonly redisKeyPrefix: string | undefined;
    readonly retentionHours: number;
  };
  readonly maxFileSizeMb: number;
  /** Records one file may hold (decoder and validator limit). */
  readonly maxRecordsPerFile: number;
  readonly processingTimeoutSeconds: number;
  readonly dataQualityThreshold: number;
  readonly trainingDataPrefix: string;
  readonly quarantinePrefix: string;
  readonly metricsPort: number;
  readonly metricsHost: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly tracingEnabled: boolean;
  readonly otlpEndpoint: string;
}

/** One problem with one variable. */
export interface ConfigIssue {
  /** The variable, e.g. `ETL_PREFETCH_COUNT`. */
  readonly variable: string;
  /** What is wrong (never the value of a secret). */
  readonly message: string;
}

/** Thrown by {@link loadConfig} with every problem found, not just the first. */
export class ConfigError extends Error {
  override readonly name: string = "ConfigError";
  /** Every problem, one per variable. */
  readonly issues: readonly ConfigIssue[];
  /** Warnings found on the way (an unknown variable may explain a problem). */
  readonly warnings: readonly string[];

  constructor(issues: readonly ConfigIssue[], warnings: readonly string[] = []) {
    super(`invalid configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join("\n")}`);
    this.issues = issues;
    this.warnings = warnings;
  }
}

/** A parsed configuration and the warnings found on the way (unknown `ETL_` variables). */
export interface LoadedConfig {
  readonly config: WorkerConfig;
  readonly warnings: readonly string[];
}

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

const nonEmpty = z.string().trim().min(1, "must not be empty");
const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, "must be an integer")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const positiveNumber = z
  .string()
  .trim()
  .refine((v) => v !== "" && Number.isFinite(Number(v)), "must be a number")
  .transform(Number)
  .pipe(z.number().positive("must be greater than 0"));
const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => TRUE.has(v) || FALSE.has(v), "must be true or false")
  .transform((v) => TRUE.has(v));
const url = (protocols: readonly string[]) =>
  z.string().trim().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`);
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v): v is T[number] => values.includes(v), `must be one of ${values.join(", ")}`)
    .transform((v) => v);
const prefix = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .refine((v) => !v.startsWith("/"), "must not start with /")
  .transform((v) => (v.endsWith("/") ? v : `${v}/`));
/** `[30,300,900]` or `30,300,900`, positive integer seconds. */
const delays = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const inner = v.startsWith("[") && v.endsWith("]") ? v.slice(1, -1) : v;
    const parts = inner.split(",").map((p) => p.trim());
    if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p) || Number(p) <= 0)) {
      ctx.addIssue({ code: "custom", message: "must be positive whole seconds, like 30,300,900 or [30,300,900]" });
      return z.NEVER;
    }
    if (new Set(parts).size !== parts.length) {
      ctx.addIssue({ code: "custom", message: "must not repeat a delay (one retry queue per delay)" });
      return z.NEVER;
    }
    return parts.map(Number);
  });
const bucketList = z
  .string()
  .transform((v) => v.split(",").map((b) => b.trim()).filter((b) => b.length > 0))
  .pipe(z.array(z.string()).min(1, "must name at least one bucket"));

const schema = z.object({
  ETL_ENVIRONMENT: nonEmpty,
  ETL_SERVICE_NAME: nonEmpty,
  ETL_RABBITMQ_URL: url(["amqp:", "amqps:"]),
  ETL_EXCHANGE_NAME: nonEmpty,
  ETL_QUEUE_NAME: nonEmpty,
  ETL_ROUTING_KEY_PATTERN: nonEmpty,
  ETL_DEAD_LETTER_EXCHANGE: nonEmpty,
  ETL_DEAD_LETTER_QUEUE: nonEmpty,
  ETL_RETRY_QUEUE_PREFIX: nonEmpty,
  ETL_QUEUE_TYPE: oneOf(QUEUE_TYPES),
  ETL_DECLARE_MODE: oneOf(DECLARE_MODES),
  ETL_PREFETCH_COUNT: int(1, 65_535),
  ETL_MAX_RETRIES: int(0, 100),
  ETL_RETRY_DELAYS: delays,
  ETL_LEASE_SECONDS: int(1),
  ETL_SHUTDOWN_GRACE_SECONDS: int(0),
  ETL_S3_ENDPOINT_URL: url(["http:", "https:"]).optional(),
  ETL_S3_ACCESS_KEY: nonEmpty.optional(),
  ETL_S3_SECRET_KEY: nonEmpty.optional(),
  ETL_S3_BUCKET_NAME: nonEmpty,
  ETL_S3_REGION: nonEmpty,
  ETL_S3_FORCE_PATH_STYLE: bool.optional(),
  ETL_S3_ALLOWED_BUCKETS: bucketList.optional(),
  ETL_DEDUPLICATION_STORE: oneOf(DEDUP_STORES),
  ETL_DEDUPLICATION_DB_PATH: nonEmpty,
  ETL_DEDUPLICATION_REDIS_URL: url(["redis:", "rediss:"]),
  ETL_DEDUPLICATION_REDIS_KEY_PREFIX: nonEmpty.optional(),
  ETL_DEDUPLICATION_RETENTION_HOURS: positiveNumber,
  ETL_MAX_FILE_SIZE_MB: positiveNumber,
  ETL_MAX_RECORDS_PER_FILE: int(1, 100_000_000),
  ETL_PROCESSING_TIMEOUT_SECONDS: positiveNumber,
  ETL_DATA_QUALITY_THRESHOLD: z
    .string()
    .trim()
    .refine((v) => v !== "" && Number.isFinite(Number(v)), "must be a number")
    .transform(Number)
    .pipe(z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1")),
  ETL_TRAINING_DATA_PREFIX: prefix,
  ETL_QUARANTINE_PREFIX: prefix,
  ETL_METRICS_PORT: int(0, 65_535),
  ETL_METRICS_HOST: nonEmpty,
  ETL_LOG_LEVEL: oneOf(LOG_LEVELS),
  ETL_TRACING_ENABLED: bool,
  ETL_OTLP_ENDPOINT: url(["http:", "https:"]),
});

/** Masks the password (and a bare user token) of a URL: `amqp://user:***@host`. */
export function redactUrl(value: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.password === "" && parsed.username === "") return value;
    if (parsed.password !== "") parsed.password = "***";
    else parsed.username = "***";
    return parsed.toString().replace(/\/$/, value.endsWith("/") ? "/" : "");
  } catch {
    // Not a URL we can parse: anything between "//" and "@" may be credentials.
    return value.replace(/\/\/[^@/]*@/, "//***@");
  }
}

/** How a variable's value may be shown: secrets as `***`, URLs with the password masked. */
export function displayValue(variable: ConfigVariable, value: string): string {
  if (variable.secret === true) return "***";
  if (variable.url === true) return redactUrl(value);
  return value;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The known variable closest to `name`, when it is close enough to be a typo. */
export function closestVariable(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  // A truncated or extended name (ETL_S3_BUCKET for ETL_S3_BUCKET_NAME) is the likeliest typo.
  const partial = [...VARIABLE_NAMES].find((known) => known.startsWith(name) || name.startsWith(`${known}_`));
  if (partial) return partial;
  for (const known of VARIABLE_NAMES) {
    const distance = levenshtein(name, known);
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  // A typo is a few edits; a different word altogether is not worth suggesting.
  return bestDistance <= Math.max(3, Math.floor(name.length / 4)) ? best : undefined;
}

/** The effective raw values: the environment's `ETL_` values over the defaults. */
export function effectiveValues(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  for (const variable of CONFIG_VARIABLES) {
    const raw = env[variable.name];
    values[variable.name] = raw !== undefined && raw.trim() !== "" ? raw : variable.default;
  }
  return values;
}

/**
 * Parses the configuration once from an environment object. Unset or empty variables take
 * their defaults. Every invalid variable is reported together in one {@link ConfigError};
 * unknown `ETL_` variables become warnings naming the closest known variable.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): LoadedConfig {
  const warnings: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith("ETL_") || VARIABLE_NAMES.has(name)) continue;
    const suggestion = closestVariable(name);
    warnings.push(`unknown variable ${name} is ignored${suggestion ? `; did you mean ${suggestion}?` : ""}`);
  }
  const values = effectiveValues(env);
  const parsed = schema.safeParse(values);
  const issues: ConfigIssue[] = [];
  if (!parsed.success) {
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? "(config)");
      if (seen.has(variable)) continue;
      seen.add(variable);
      const spec = CONFIG_VARIABLES.find((v) => v.name === variable);
      const raw = values[variable];
      const shown = spec && raw !== undefined ? ` (got ${JSON.stringify(displayValue(spec, raw))})` : "";
      issues.push({ variable, message: `${issue.message}${shown}` });
    }
  }
  // Checks across variables run on the raw values too, so they are reported with the rest.
  if ((values["ETL_S3_ACCESS_KEY"] === undefined) !== (values["ETL_S3_SECRET_KEY"] === undefined)) {
    issues.push({
      variable: values["ETL_S3_ACCESS_KEY"] === undefined ? "ETL_S3_ACCESS_KEY" : "ETL_S3_SECRET_KEY",
      message: "ETL_S3_ACCESS_KEY and ETL_S3_SECRET_KEY must be set together",
    });
  }
  if (!parsed.success || issues.length > 0) throw new ConfigError(issues, warnings);
  const v = parsed.data;
  const config: WorkerConfig = {
    environment: v.ETL_ENVIRONMENT,
    serviceName: v.ETL_SERVICE_NAME,
    rabbitmq: {
      url: v.ETL_RABBITMQ_URL,
      exchangeName: v.ETL_EXCHANGE_NAME,
      queueName: v.ETL_QUEUE_NAME,
      routingKeyPattern: v.ETL_ROUTING_KEY_PATTERN,
      deadLetterExchange: v.ETL_DEAD_LETTER_EXCHANGE,
      deadLetterQueue: v.ETL_DEAD_LETTER_QUEUE,
      retryQueuePrefix: v.ETL_RETRY_QUEUE_PREFIX,
      queueType: v.ETL_QUEUE_TYPE,
      declareMode: v.ETL_DECLARE_MODE,
      prefetchCount: v.ETL_PREFETCH_COUNT,
      maxRetries: v.ETL_MAX_RETRIES,
      retryDelaysSeconds: v.ETL_RETRY_DELAYS,
    },
    leaseSeconds: v.ETL_LEASE_SECONDS,
    shutdownGraceSeconds: v.ETL_SHUTDOWN_GRACE_SECONDS,
    s3: {
      endpointUrl: v.ETL_S3_ENDPOINT_URL,
      accessKey: v.ETL_S3_ACCESS_KEY,
      secretKey: v.ETL_S3_SECRET_KEY,
      bucketName: v.ETL_S3_BUCKET_NAME,
      region: v.ETL_S3_REGION,
      forcePathStyle: v.ETL_S3_FORCE_PATH_STYLE ?? v.ETL_S3_ENDPOINT_URL !== undefined,
      allowedBuckets: v.ETL_S3_ALLOWED_BUCKETS ?? [v.ETL_S3_BUCKET_NAME],
    },
    deduplication: {
      store: v.ETL_DEDUPLICATION_STORE,
      dbPath: v.ETL_DEDUPLICATION_DB_PATH,
      redisUrl: v.ETL_DEDUPLICATION_REDIS_URL,
      redisKeyPrefix: v.ETL_DEDUPLICATION_REDIS_KEY_PREFIX,
      retentionHours: v.ETL_DEDUPLICATION_RETENTION_HOURS,
    },
    maxFileSizeMb: v.ETL_MAX_FILE_SIZE_MB,
    maxRecordsPerFile: v.ETL_MAX_RECORDS_PER_FILE,
    processingTimeoutSeconds: v.ETL_PROCESSING_TIMEOUT_SECONDS,
    dataQualityThreshold: v.ETL_DATA_QUALITY_THRESHOLD,
    trainingDataPrefix: v.ETL_TRAINING_DATA_PREFIX,
    quarantinePrefix: v.ETL_QUARANTINE_PREFIX,
    metricsPort: v.ETL_METRICS_PORT,
    metricsHost: v.ETL_METRICS_HOST,
    logLevel: v.ETL_LOG_LEVEL,
    tracingEnabled: v.ETL_TRACING_ENABLED,
    otlpEndpoint: v.ETL_OTLP_ENDPOINT,
  };
  return { config, warnings };
}

/** One line of `config print`: the variable, its shown value and where it came from. */
export interface ConfigLine {
  readonly name: string;
  readonly value: string;
  readonly source: "env" | "default" | "unset";
}

/** The effective configuration as printable lines, secrets masked. */
export function describeConfig(env: Readonly<Record<string, string | undefined>>): ConfigLine[] {
  return CONFIG_VARIABLES.map((variable) => {
    const raw = env[variable.name];
    if (raw !== undefined && raw.trim() !== "") return { name: variable.name, value: displayValue(variable, raw), source: "env" };
    if (variable.default !== undefined) return { name: variable.name, value: displayValue(variable, variable.default), source: "default" };
    return { name: variable.name, value: "", source: "unset" };
  });
}
