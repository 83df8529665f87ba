import type { ClinicalProcessor } from "@narrative-engine/contracts";
import { BloodGlucoseProcessor } from "./blood-glucose-processor.ts";
import { HrvProcessor } from "./hrv-processor.ts";
import { HeartRateProcessor } from "./heart-rate-processor.ts";
import { SleepProcessor } from "./sleep-processor.ts";
import { StepsProcessor } from "./steps-processor.ts";
import { ActiveCaloriesProcessor } from "./active-calories-processor.ts";
import { ProcessorRegistry } from "./processor-registry.ts";

/**
 * Factories of the processors {@link createDefaultRegistry} registers, one line each: a new
 * processor is added by appending its factory here.
 */
export const DEFAULT_PROCESSOR_FACTORIES: readonly (() => ClinicalProcessor)[] = [
  () => new BloodGlucoseProcessor(),
  () => new HrvProcessor(),
  () => new HeartRateProcessor(),
  () => new SleepProcessor(),
  () => new StepsProcessor(),
  () => new ActiveCaloriesProcessor(),
];

/** A registry holding a fresh instance of every available processor. */
export function createDefaultRegistry(): ProcessorRegistry {
  const registry = new ProcessorRegistry();
  for (const create of DEFAULT_PROCESSOR_FACTORIES) registry.register(create());
  return registry;
}
