import type { RecordType } from "@narrative-engine/contracts";

/** The instruction of each record type's training example: the task the narrative answers. */
export const TRAINING_INSTRUCTIONS: Readonly<Record<RecordType, string>> = {
  BloodGlucoseRecord: "Summarise this person's continuous glucose monitoring data and describe glucose control.",
  HeartRateRecord: "Summarise this person's heart-rate data, including resting heart rate and periods of elevated heart rate.",
  SleepSessionRecord: "Summarise this person's sleep sessions and describe sleep duration, timing and quality.",
  StepsRecord: "Summarise this person's daily step counts and describe their level of physical activity.",
  ActiveCaloriesBurnedRecord: "Summarise this person's active energy expenditure as estimated by their wearable devices.",
  HeartRateVariabilityRmssdRecord: "Summarise this person's heart-rate variability (RMSSD) data and describe it against their own baseline.",
};
