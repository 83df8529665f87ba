import {
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  context as contextApi,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import type * as OtlpHttp from "@opentelemetry/exporter-trace-otlp-http";
import type * as Resources from "@opentelemetry/resources";
import type * as SdkTraceBase from "@opentelemetry/sdk-trace-base";
import { createRequire } from "node:module";

// The SDK and the OTLP exporter (~6 MB resident, ~150 ms to load) are loaded only when tracing is
// enabled; a worker with tracing off (the default) never loads them. These packages have no
// `exports` map, so `import` would load the same CommonJS build that `require` loads here.
const requireSdk = createRequire(import.meta.url);

/** AMQP message headers as a broker client hands them over (values may be strings or Buffers). */
export type AmqpHeaders = Readonly<Record<string, unknown>>;

/** Name of the span opened for each delivery. */
export const MESSAGE_SPAN_NAME = "narrative-engine.process_message";

/** Options of {@link createTracing}. */
export interface TracingOptions {
  /** Off by default: when false everything is a no-op and nothing is exported. */
  readonly enabled: boolean;
  /** `service.name` of the exported spans. */
  readonly serviceName: string;
  /** `service.version` of the exported spans. */
  readonly serviceVersion?: string;
  /** OTLP/HTTP endpoint (`http://collector:4318` or the full `…/v1/traces` URL); the exporter's default when omitted. */
  readonly otlpEndpoint?: string;
  /** Exporter to use instead of OTLP (tests pass an `InMemorySpanExporter`); spans are exported synchronously. */
  readonly exporter?: SdkTraceBase.SpanExporter;
}

/** A tracer with its W3C propagation helpers and lifecycle. */
export interface Tracing {
  /** Whether spans are recorded; false means a no-op tracer. */
  readonly enabled: boolean;
  /** The tracer spans are started from. */
  readonly tracer: Tracer;
  /** Exports every finished span not yet exported. */
  forceFlush(): Promise<void>;
  /** Flushes and stops exporting; safe to call twice. */
  shutdown(): Promise<void>;
}

const propagator = new W3CTraceContextPropagator();

function headerText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  if (value instanceof Uint8Array) return Buffer.from(value).toString("utf8");
  return undefined;
}

const headerGetter: TextMapGetter<AmqpHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const direct = headerText(carrier[key]);
    if (direct !== undefined) return direct;
    // AMQP header names are case-sensitive, but some producers capitalise them.
    const lower = key.toLowerCase();
    for (const [name, value] of Object.entries(carrier)) {
      if (name.toLowerCase() === lower) return headerText(value);
    }
    return undefined;
  },
};

const headerSetter: TextMapSetter<Record<string, unknown>> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

/** The trace context a producer put in AMQP headers (`traceparent`, `tracestate`); the root context when absent or malformed. */
export function extractTraceContext(headers: AmqpHeaders | undefined | null): Context {
  if (headers === undefined || headers === null) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, headers, headerGetter);
}

/**
 * Writes `traceparent` (and `tracestate`) for `ctx` into AMQP `headers`, so a republished
 * retry or dead letter continues the trace; returns the same object. Without a span in
 * `ctx` (tracing off) the headers are left as they are.
 */
export function injectTraceContext<H extends Record<string, unknown>>(headers: H, ctx: Context = contextApi.active()): H {
  propagator.inject(ctx, headers, headerSetter);
  return headers;
}

function tracesUrl(endpoint: string): string {
  const trimmed = endpoint.replace(/\/+$/, "");
  return trimmed.endsWith("/v1/traces") ? trimmed : `${trimmed}/v1/traces`;
}

function nonRecordingSpan(): Span {
  return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
}

// The API's own no-op tracer is not exported; this one never records and never exports.
const noopTracer = {
  startSpan: nonRecordingSpan,
  startActiveSpan(...args: unknown[]): unknown {
    const fn = args[args.length - 1] as (span: Span) => unknown;
    return fn(nonRecordingSpan());
  },
} as Tracer;

/** The OTLP/HTTP exporter, loaded on first use (only an enabled tracer without a test exporter needs it). */
function otlpExporter(endpoint: string | undefined): SdkTraceBase.SpanExporter {
  const { OTLPTraceExporter } = requireSdk("@opentelemetry/exporter-trace-otlp-http") as typeof OtlpHttp;
  return new OTLPTraceExporter(endpoint === undefined ? {} : { url: tracesUrl(endpoint) });
}

/**
 * Creates the tracer. Disabled (the default in the worker), it returns a no-op tracer and
 * never loads an exporter. Enabled, a `BasicTracerProvider` exports through OTLP/HTTP
 * with a batch processor, or through `exporter` with a simple processor. No global
 * provider, propagator or context manager is registered.
 */
export function createTracing(options: TracingOptions): Tracing {
  if (!options.enabled) {
    return { enabled: false, tracer: noopTracer, forceFlush: () => Promise.resolve(), shutdown: () => Promise.resolve() };
  }
  const { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } = requireSdk("@opentelemetry/sdk-trace-base") as typeof SdkTraceBase;
  const { resourceFromAttributes } = requireSdk("@opentelemetry/resources") as typeof Resources;
  const processor =
    options.exporter === undefined
      ? new BatchSpanProcessor(otlpExporter(options.otlpEndpoint))
      : new SimpleSpanProcessor(options.exporter);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": options.serviceName,
      ...(options.serviceVersion === undefined ? {} : { "service.version": options.serviceVersion }),
    }),
    spanProcessors: [processor],
  });
  let shutdown: Promise<void> | undefined;
  return {
    enabled: true,
    tracer: provider.getTracer("@narrative-engine/telemetry"),
    forceFlush: () => provider.forceFlush(),
    shutdown() {
      shutdown ??= provider.shutdown();
      return shutdown;
    },
  };
}
