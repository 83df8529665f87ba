// Assertions every heart-rate, sleep, steps and active-calories narrative must pass.
import type { HealthConnectRecord, HealthDataMessage, ProcessingResult } from "@narrative-engine/contracts";
import { expect } from "vitest";
import { missingNarrativeNumbers, numbersInNarrative } from "../toolkit/index.ts";

/** Words that would turn a description into a diagnosis or a prescription. */
const FORBIDDEN = [/\byou have\b/i, /\bdiagnos/i, /\bprescri/i, /\bmedication\b/i, /\bSDNN\b/, /\bWHO\b/, /\bprediabet/i];

/**
 * The result is a narrative whose every number is in `clinicalInsights`, that names no record id,
 * client record id, device or user, and uses no diagnostic or prescriptive wording.
 */
export function expectSoundNarrative(result: ProcessingResult, records: readonly HealthConnectRecord[], message: HealthDataMessage): string {
  expect(result.success, result.errorMessage).toBe(true);
  const narrative = result.narrative ?? "";
  expect(narrative.length).toBeGreaterThan(0);
  expect(numbersInNarrative(narrative).length).toBeGreaterThan(0);
  expect(missingNarrativeNumbers(narrative, result.clinicalInsights)).toEqual([]);
  const identifiers = new Set<string>([message.userId, message.key, message.idempotencyKey, message.correlationId]);
  for (const r of records) {
    identifiers.add(r.metadata.id);
    if (r.metadata.clientRecordId !== null) identifiers.add(r.metadata.clientRecordId);
    if (r.metadata.device?.model) identifiers.add(r.metadata.device.model);
  }
  for (const id of identifiers) expect(narrative, `narrative contains identifier ${id}`).not.toContain(id);
  const insightsText = JSON.stringify(result.clinicalInsights);
  for (const r of records) expect(insightsText).not.toContain(r.metadata.id);
  expect(insightsText).not.toContain(message.userId);
  for (const pattern of FORBIDDEN) expect(narrative).not.toMatch(pattern);
  return narrative;
}

/** Insights read loosely in assertions (tests reach into nested JSON). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseInsights = Record<string, any>;
