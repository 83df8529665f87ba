import {
  DataQualityError,
  ProcessingError,
  type ClinicalProcessor,
  type ProcessingResult,
  type RecordType,
} from "@narrative-engine/contracts";
import { describe, expect, test } from "vitest";
import { DEFAULT_PROCESSOR_FACTORIES, createDefaultRegistry } from "./create-default-registry.ts";
import { ProcessorRegistry } from "./processor-registry.ts";
import { runProcessor } from "./run-processor.ts";
import { glucoseSeries, message, validation } from "./__fixtures__/glucose-hrv-records.ts";

/** A small processor whose behaviour the test chooses (this is a test double of a processor, not of the registry under test). */
class StubProcessor implements ClinicalProcessor<"StepsRecord"> {
  readonly recordType = "StepsRecord" as const;
  readonly version = "0.0.1";
  initialized = 0;
  cleaned = 0;
  constructor(private readonly behaviour: () => ProcessingResult) {}
  async initialize(): Promise<void> {
    this.initialized += 1;
  }
  async cleanup(): Promise<void> {
    this.cleaned += 1;
  }
  async processWithClinicalInsights(): Promise<ProcessingResult> {
    return this.behaviour();
  }
}

const ok: ProcessingResult = { success: true, narrative: "fine", processingTimeSeconds: 0, recordsProcessed: 1, qualityScore: 0.9, clinicalInsights: {} };

describe("ProcessorRegistry", () => {
  test("register, has, get, types", () => {
    const registry = new ProcessorRegistry();
    const stub = new StubProcessor(() => ok);
    expect(registry.has("StepsRecord")).toBe(false);
    registry.register(stub);
    expect(registry.has("StepsRecord")).toBe(true);
    expect(registry.get("StepsRecord")).toBe(stub);
    expect(registry.types()).toEqual(["StepsRecord"]);
  });

  test("rejects a second processor for the same type", () => {
    const registry = new ProcessorRegistry().register(new StubProcessor(() => ok));
    expect(() => registry.register(new StubProcessor(() => ok))).toThrow(/already registered \(version 0\.0\.1\)/);
  });

  test("rejects an unknown record type", () => {
    const bogus = Object.assign(new StubProcessor(() => ok), { recordType: "WeightRecord" }) as unknown as ClinicalProcessor;
    expect(() => new ProcessorRegistry().register(bogus)).toThrow(/unknown record type "WeightRecord"/);
  });

  test("get of an unregistered type names what is registered", () => {
    expect(() => new ProcessorRegistry().get("SleepSessionRecord")).toThrow(/no processor registered for SleepSessionRecord; registered: none/);
    expect(() => createDefaultRegistry().get("WeightRecord" as RecordType)).toThrow(/registered: BloodGlucoseRecord/);
  });

  test("initializeAll and cleanupAll reach every processor and are safe twice", async () => {
    const stub = new StubProcessor(() => ok);
    const registry = new ProcessorRegistry().register(stub);
    await registry.initializeAll();
    await registry.initializeAll();
    await registry.cleanupAll();
    await registry.cleanupAll();
    expect([stub.initialized, stub.cleaned]).toEqual([2, 2]);
  });

  test("cleanupAll attempts every processor and rethrows the first failure", async () => {
    const registry = new ProcessorRegistry();
    const failing = Object.assign(new StubProcessor(() => ok), { cleanup: () => Promise.reject(new Error("boom")) });
    registry.register(failing);
    await expect(registry.cleanupAll()).rejects.toThrow("boom");
  });

  test("createDefaultRegistry registers every default factory, each as a fresh instance", () => {
    const a = createDefaultRegistry();
    const b = createDefaultRegistry();
    expect(a.types().length).toBe(DEFAULT_PROCESSOR_FACTORIES.length);
    expect(a.has("BloodGlucoseRecord")).toBe(true);
    expect(a.get("BloodGlucoseRecord")).not.toBe(b.get("BloodGlucoseRecord"));
    for (const type of a.types()) expect(a.get(type).version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test("process runs a real processor through runProcessor", async () => {
    const result = await createDefaultRegistry().process("BloodGlucoseRecord", glucoseSeries([100, 110]), message("BloodGlucoseRecord"), validation("BloodGlucoseRecord"));
    expect(result.success).toBe(true);
    expect(result.recordsProcessed).toBe(2);
  });
});

describe("runProcessor", () => {
  const steps = (p: ClinicalProcessor<"StepsRecord">) => runProcessor(p, [], message("StepsRecord"), validation("StepsRecord", 0.8));

  test("passes a result through with the measured wall time", async () => {
    const result = await steps(new StubProcessor(() => ({ ...ok, processingTimeSeconds: -1 })));
    expect(result).toMatchObject({ success: true, narrative: "fine", recordsProcessed: 1 });
    expect(result.processingTimeSeconds).toBeGreaterThanOrEqual(0);
  });

  test.each([
    ["a plain Error", () => new Error("level was 123 mg/dL"), "processing_error", "Error"],
    ["a ProcessingError", () => new ProcessingError("bad"), "processing_error", "ProcessingError"],
    ["a TypeError", () => new TypeError("x is undefined"), "processing_error", "TypeError"],
    ["a thrown string", () => "oops" as unknown as Error, "processing_error", "string"],
  ])("%s becomes success false without the error text", async (_label, make, errorType, name) => {
    const result = await steps(
      new StubProcessor(() => {
        throw make();
      }),
    );
    expect(result.success).toBe(false);
    expect(result.errorMessage).toBe(`StepsRecord processor 0.0.1 failed (${name})`);
    expect(result.errorMessage).not.toMatch(/123/);
    expect(result.clinicalInsights).toEqual({ error_type: errorType });
    expect(result.qualityScore).toBe(0.8);
    expect(result.recordsProcessed).toBe(0);
  });

  test("a DataQualityError propagates so the pipeline can quarantine", async () => {
    const stub = new StubProcessor(() => {
      throw new DataQualityError("nothing plausible");
    });
    await expect(steps(stub)).rejects.toBeInstanceOf(DataQualityError);
  });

  test("a data_quality error from another contracts copy also propagates", async () => {
    const foreign = Object.assign(new Error("foreign"), { errorType: "data_quality" });
    const stub = new StubProcessor(() => {
      throw foreign;
    });
    await expect(steps(stub)).rejects.toBe(foreign);
  });
});
