import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parser } from "@prometheus-io/lezer-promql";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { metricFamilies } from "../test/parse-prometheus-text.ts";
import { createMetrics } from "./create-metrics.ts";

const deployDir = join(import.meta.dirname, "..", "deploy");

interface AlertRule {
  readonly alert?: unknown;
  readonly expr?: unknown;
  readonly for?: unknown;
  readonly labels?: Record<string, unknown>;
  readonly annotations?: Record<string, unknown>;
}

function alertRules(): AlertRule[] {
  const doc = parse(readFileSync(join(deployDir, "prometheus-alerts.yml"), "utf8")) as { groups?: Array<{ name?: unknown; rules?: AlertRule[] }> };
  expect(Array.isArray(doc.groups)).toBe(true);
  return (doc.groups ?? []).flatMap((g) => {
    expect(typeof g.name).toBe("string");
    return g.rules ?? [];
  });
}

function dashboardExprs(): string[] {
  const dashboard = JSON.parse(readFileSync(join(deployDir, "grafana-dashboard.json"), "utf8")) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
  return dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
}

const METRIC_NAME = /\b(?:etl|process|nodejs)_[a-z0-9_]+/g;
const HISTOGRAM_SUFFIX = /_(?:bucket|sum|count)$/;

/** Every metric name an expression refers to, with histogram series suffixes removed. */
function referencedMetrics(exprs: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const expr of exprs) for (const [name] of expr.matchAll(METRIC_NAME)) names.add(name.replace(HISTOGRAM_SUFFIX, ""));
  return names;
}

/** PromQL syntax errors in `expr`, as `offset: text` strings (empty when it parses). */
function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push(`${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 20), node.to + 20))}`);
    },
  });
  return errors;
}

async function registryFamilies(): Promise<Set<string>> {
  const metrics = createMetrics({ service: "s", version: "v", environment: "e" });
  metrics.setQueueDepthSource(() => ({ q: 1 }));
  return metricFamilies(await metrics.scrape());
}

describe("prometheus-alerts.yml", () => {
  test("parses as YAML into groups of well-formed alerting rules", () => {
    const rules = alertRules();
    expect(rules.length).toBeGreaterThan(5);
    for (const rule of rules) {
      expect(typeof rule.alert).toBe("string");
      expect(typeof rule.expr).toBe("string");
      expect(["info", "warning", "critical"]).toContain(rule.labels?.["severity"]);
      expect(typeof rule.annotations?.["summary"]).toBe("string");
      if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smh]$/);
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  test("every expression is valid PromQL", () => {
    for (const rule of alertRules()) expect(promqlErrors(String(rule.expr)), String(rule.alert)).toEqual([]);
  });

  test("the PromQL check catches a broken expression", () => {
    expect(promqlErrors("sum(rate(etl_messages_processed_total[5m])")).not.toEqual([]);
    expect(promqlErrors("etl_rabbitmq_connected == ")).not.toEqual([]);
  });

  test.each([
    ["success rate", "etl_messages_processed_total{status=\"completed\"}"],
    ["dead-letter growth", "etl_dead_letter_messages_total"],
    ["dead-letter queue depth", 'etl_queue_depth{queue=~".*dlq.*"}'],
    ["quarantine rate", "etl_records_quarantined_total"],
    ["queue depth", "etl_queue_depth{queue!~"],
    ["p95 duration", "histogram_quantile(0.95, sum by (le, record_type) (rate(etl_processing_duration_seconds_bucket"],
    ["broker disconnects", "etl_rabbitmq_connected == 0"],
  ])("has an alert for %s", (_what, fragment) => {
    expect(alertRules().some((r) => String(r.expr).includes(fragment))).toBe(true);
  });

  test("every metric it references exists in the registry", async () => {
    const families = await registryFamilies();
    const referenced = referencedMetrics(alertRules().map((r) => String(r.expr)));
    expect(referenced.size).toBeGreaterThan(5);
    for (const name of referenced) expect(families, name).toContain(name);
  });
});

describe("grafana-dashboard.json", () => {
  test("every panel query is valid PromQL", () => {
    for (const expr of dashboardExprs()) expect(promqlErrors(expr), expr).toEqual([]);
  });

  test("every metric a panel queries exists in the registry", async () => {
    const exprs = dashboardExprs();
    expect(exprs.length).toBeGreaterThan(15);
    const families = await registryFamilies();
    const referenced = referencedMetrics(exprs);
    for (const name of referenced) expect(families, name).toContain(name);
  });

  test("charts every etl_ metric the registry exposes", async () => {
    const families = [...(await registryFamilies())].filter((n) => n.startsWith("etl_"));
    const referenced = referencedMetrics(dashboardExprs());
    for (const name of families) expect(referenced, name).toContain(name);
  });
});
