import { EtlError, type EtlErrorOptions } from "./etl-error.ts";

/** The object or resource does not exist (permanent). */
export class NotFoundError extends EtlError {
  override readonly name: string = "NotFoundError";
  constructor(message: string, options?: EtlErrorOptions) {
    super("not_found", message, options);
  }
}

/** Credentials are missing, wrong or lack permission (permanent; operators are alerted). */
export class AuthError extends EtlError {
  override readonly name: string = "AuthError";
  constructor(message: string, options?: EtlErrorOptions) {
    super("auth_error", message, options);
  }
}

/** The data does not match the expected schema, e.g. an Avro file of the wrong type (permanent). */
export class SchemaError extends EtlError {
  override readonly name: string = "SchemaError";
  constructor(message: string, options?: EtlErrorOptions) {
    super("schema_error", message, options);
  }
}

/** An input (message, file, option) is invalid (permanent). */
export class ValidationError extends EtlError {
  override readonly name: string = "ValidationError";
  constructor(message: string, options?: EtlErrorOptions) {
    super("validation_error", message, options);
  }
}

/** The records are too poor to describe; the file is quarantined (permanent). */
export class DataQualityError extends EtlError {
  override readonly name: string = "DataQualityError";
  constructor(message: string, options?: EtlErrorOptions) {
    super("data_quality", message, options);
  }
}

/** Processing failed for a reason no retry will fix; also what unknown failures become (permanent). */
export class ProcessingError extends EtlError {
  override readonly name: string = "ProcessingError";
  constructor(message: string, options?: EtlErrorOptions) {
    super("processing_error", message, options);
  }
}
