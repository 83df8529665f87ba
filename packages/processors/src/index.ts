export * from "./toolkit/index.ts";
export { ProcessorRegistry } from "./processor-registry.ts";
export { isDataQualityError, runProcessor } from "./run-processor.ts";
export { DEFAULT_PROCESSOR_FACTORIES, createDefaultRegistry } from "./create-default-registry.ts";
export { BLOOD_GLUCOSE_PROCESSOR_VERSION, BloodGlucoseProcessor, analyzeBloodGlucose, type GlucoseAnalysis } from "./blood-glucose-processor.ts";
export {
  GLUCOSE_TARGETS,
  glucoseBand,
  glucoseManagementIndicator,
  glycemiaRiskIndex,
  griZone,
  inTightRange,
  type BandPercents,
  type GlucoseBand,
  type GriZone,
} from "./glucose-ranges.ts";
export { HRV_PROCESSOR_VERSION, HrvProcessor, analyzeHrv, nightOf, type HrvAnalysis } from "./hrv-processor.ts";
export { HEART_RATE_PROCESSOR_VERSION, HeartRateProcessor, analyzeHeartRate, heartRateZone, restingHeartRateBand, tanakaMaxHeartRate, type RestingBand, type RestingBasis } from "./heart-rate-processor.ts";
export { SLEEP_PROCESSOR_VERSION, SleepProcessor, analyzeSleep, isNap, nsfRange, positionInRange, type RangePosition } from "./sleep-processor.ts";
export { STEPS_CATEGORIES, STEPS_PROCESSOR_VERSION, StepsProcessor, analyzeSteps, tudorLockeCategory, type StepsCategory } from "./steps-processor.ts";
export { ACTIVE_CALORIES_PROCESSOR_VERSION, ActiveCaloriesProcessor, analyzeActiveCalories, isLegacyCalories, kilocaloriesOf } from "./active-calories-processor.ts";
