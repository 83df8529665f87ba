import { z } from "zod";
import { HEALTH_DOMAINS, RECORD_TYPES } from "./record-types.ts";


const jsonValue: z.ZodType = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** Schema of a training example's metadata (snake_case, as written to JSONL). */
export const trainingExampleMetadataSchema = z.looseObject({
  record_type: z.enum(RECORD_TYPES),
  health_domain: z.enum(HEALTH_DOMAINS),
  user_id: z.string(),
  correlation_id: z.string(),
  idempotency_key: z.string(),
  source_bucket: z.string(),
  source_key: z.string(),
  quality_score: z.number(),
  record_count: z.number().int().nonnegative(),
  processing_time_seconds: z.number().nonnegative(),
  processor_version: z.string(),
  data_start: z.string().nullable(),
  data_end: z.string().nullable(),
  clinical_insights: z.record(z.string(), jsonValue),
});

/** Schema of one JSONL training line: `{instruction, input, output, metadata}`. */
export const trainingExampleSchema = z.object({
  instruction: z.string().min(1),
  input: z.string(),
  output: z.string().min(1),
  metadata: trainingExampleMetadataSchema,
});

/** Metadata of a training example. */
export type TrainingExampleMetadata = z.infer<typeof trainingExampleMetadataSchema>;

/** One training example: a line of the JSONL the training team reads. */
export type TrainingExample = z.infer<typeof trainingExampleSchema>;
