import {
  RECORD_TYPES,
  isRecordType,
  type ClinicalProcessor,
  type HealthDataMessage,
  type ProcessingResult,
  type RecordOf,
  type RecordType,
  type ValidationResult,
} from "@narrative-engine/contracts";
import { runProcessor } from "./run-processor.ts";

/**
 * Holds at most one processor per record type. `initializeAll` and `cleanupAll` are safe to
 * call twice; a failed `initializeAll` can be retried (processors' own `initialize` is
 * idempotent per the contract).
 */
export class ProcessorRegistry {
  readonly #processors = new Map<RecordType, ClinicalProcessor>();

  /** Registers a processor; throws on an unknown record type or a second processor for a type. */
  register<T extends RecordType>(processor: ClinicalProcessor<T>): this {
    const type: unknown = processor.recordType;
    if (!isRecordType(type)) {
      throw new TypeError(`cannot register a processor for unknown record type ${JSON.stringify(type)}; expected one of ${RECORD_TYPES.join(", ")}`);
    }
    const existing = this.#processors.get(type);
    if (existing !== undefined) {
      throw new Error(`a processor for ${type} is already registered (version ${existing.version}); register one processor per record type`);
    }
    this.#processors.set(type, processor);
    return this;
  }

  /** True when a processor for `type` is registered. */
  has(type: RecordType): boolean {
    return this.#processors.has(type);
  }

  /** The processor for `type`; throws when none is registered. */
  get<T extends RecordType>(type: T): ClinicalProcessor<T> {
    const processor = this.#processors.get(type);
    if (processor === undefined) {
      const known = this.types();
      throw new Error(`no processor registered for ${type}; registered: ${known.length === 0 ? "none" : known.join(", ")}`);
    }
    return processor as unknown as ClinicalProcessor<T>;
  }

  /** Registered record types, in {@link RECORD_TYPES} order. */
  types(): RecordType[] {
    return RECORD_TYPES.filter((t) => this.#processors.has(t));
  }

  /** Initialises every processor, in {@link types} order. */
  async initializeAll(): Promise<void> {
    for (const type of this.types()) await this.get(type).initialize();
  }

  /** Cleans up every processor; attempts all and rethrows the first failure afterwards. */
  async cleanupAll(): Promise<void> {
    let firstError: unknown;
    let failed = false;
    for (const type of this.types()) {
      try {
        await this.get(type).cleanup();
      } catch (error) {
        if (!failed) firstError = error;
        failed = true;
      }
    }
    if (failed) throw firstError;
  }

  /** Runs the processor for `type` through {@link runProcessor} (DataQualityError propagates). */
  async process<T extends RecordType>(
    type: T,
    records: readonly RecordOf<T>[],
    message: HealthDataMessage,
    validation: ValidationResult,
  ): Promise<ProcessingResult> {
    return runProcessor(this.get(type), records, message, validation);
  }
}
