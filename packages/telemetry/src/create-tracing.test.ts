import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, test } from "vitest";
import { createTracing, extractTraceContext, injectTraceContext, type Tracing } from "./create-tracing.ts";

const PRODUCER_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PRODUCER_SPAN_ID = "00f067aa0ba902b7";
const PRODUCER_TRACEPARENT = `00-${PRODUCER_TRACE_ID}-${PRODUCER_SPAN_ID}-01`;

const tracings: Tracing[] = [];
afterEach(async () => {
  await Promise.all(tracings.splice(0).map((t) => t.shutdown()));
});

function enabled(): { tracing: Tracing; exporter: InMemorySpanExporter } {
  const exporter = new InMemorySpanExporter();
  const tracing = createTracing({ enabled: true, serviceName: "narrative-engine-test", serviceVersion: "0.0.1", exporter });
  tracings.push(tracing);
  return { tracing, exporter };
}

describe("extractTraceContext", () => {
  test("reads a producer's traceparent and tracestate from AMQP headers", () => {
    const ctx = extractTraceContext({ traceparent: PRODUCER_TRACEPARENT, tracestate: "vendor=abc" });
    const span = trace.getSpanContext(ctx);
    expect(span?.traceId).toBe(PRODUCER_TRACE_ID);
    expect(span?.spanId).toBe(PRODUCER_SPAN_ID);
    expect(span?.isRemote).toBe(true);
    expect(span?.traceState?.get("vendor")).toBe("abc");
  });

  test.each([
    ["a Buffer value (as amqplib may deliver it)", { traceparent: Buffer.from(PRODUCER_TRACEPARENT) }],
    ["a capitalised header name", { Traceparent: PRODUCER_TRACEPARENT }],
  ])("accepts %s", (_label, headers) => {
    expect(trace.getSpanContext(extractTraceContext(headers))?.traceId).toBe(PRODUCER_TRACE_ID);
  });

  test.each([
    ["no headers", undefined],
    ["no traceparent", { "x-retry-count": 2 }],
    ["a malformed traceparent", { traceparent: "00-zz-yy-01" }],
    ["a non-string traceparent", { traceparent: 42 }],
  ])("gives the root context for %s", (_label, headers) => {
    expect(trace.getSpanContext(extractTraceContext(headers))).toBeUndefined();
  });
});

describe("createTracing", () => {
  test("a span started from a producer's headers shares the producer's trace id", async () => {
    const { tracing, exporter } = enabled();
    const parent = extractTraceContext({ traceparent: PRODUCER_TRACEPARENT });
    tracing.tracer.startSpan("consume", {}, parent).end();
    await tracing.forceFlush();
    const [span] = exporter.getFinishedSpans();
    expect(span?.spanContext().traceId).toBe(PRODUCER_TRACE_ID);
    expect(span?.parentSpanContext?.spanId).toBe(PRODUCER_SPAN_ID);
    expect(span?.resource.attributes["service.name"]).toBe("narrative-engine-test");
  });

  test("injectTraceContext writes a traceparent that continues the trace on the next delivery", async () => {
    const { tracing, exporter } = enabled();
    const first = tracing.tracer.startSpan("first delivery", {}, extractTraceContext({ traceparent: PRODUCER_TRACEPARENT }));
    const retryHeaders: Record<string, unknown> = { "x-retry-count": 1 };
    const returned = injectTraceContext(retryHeaders, trace.setSpan(ROOT_CONTEXT, first));
    first.end();
    expect(returned).toBe(retryHeaders);
    expect(retryHeaders["traceparent"]).toMatch(new RegExp(`^00-${PRODUCER_TRACE_ID}-${first.spanContext().spanId}-01$`));
    expect(retryHeaders["x-retry-count"]).toBe(1);

    tracing.tracer.startSpan("retry delivery", {}, extractTraceContext(retryHeaders)).end();
    const [firstSpan, retrySpan] = exporter.getFinishedSpans();
    expect(retrySpan?.spanContext().traceId).toBe(PRODUCER_TRACE_ID);
    expect(retrySpan?.parentSpanContext?.spanId).toBe(firstSpan?.spanContext().spanId);
  });

  test("without a span in the context, injectTraceContext leaves the headers alone", () => {
    const headers: Record<string, unknown> = { a: 1 };
    injectTraceContext(headers, ROOT_CONTEXT);
    injectTraceContext(headers);
    expect(headers).toEqual({ a: 1 });
  });

  test("disabled tracing is a no-op tracer whose spans record nothing", async () => {
    const tracing = createTracing({ enabled: false, serviceName: "x", otlpEndpoint: "http://127.0.0.1:1" });
    expect(tracing.enabled).toBe(false);
    const span = tracing.tracer.startSpan("nothing");
    expect(span.isRecording()).toBe(false);
    expect(tracing.tracer.startActiveSpan("active", (s) => s.isRecording())).toBe(false);
    span.end();
    await tracing.forceFlush();
    await tracing.shutdown();
  });

  test("enabled with an OTLP endpoint builds an exporter without sending anything until spans end", async () => {
    const tracing = createTracing({ enabled: true, serviceName: "x", otlpEndpoint: "http://127.0.0.1:1/" });
    expect(tracing.enabled).toBe(true);
    await tracing.shutdown();
    await tracing.shutdown();
  });
});
