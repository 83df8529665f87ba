const MAX_MESSAGE_LENGTH = 1_000;

/** A readable one-line message for anything thrown; never throws. */
export function errorMessage(error: unknown): string {
  return truncate(describe(error));
}

function describe(error: unknown): string {
  if (error === undefined) return "undefined was thrown (no error details)";
  if (error === null) return "null was thrown (no error details)";
  if (typeof error === "string") return error.length > 0 ? error : "an empty string was thrown";
  if (typeof error === "number" || typeof error === "boolean" || typeof error === "bigint") return `${typeof error} ${String(error)} was thrown`;
  if (typeof error === "symbol") return `${error.toString()} was thrown`;
  if (typeof error === "function") return "a function was thrown";
  try {
    const message = (error as { message?: unknown }).message;
    const name = (error as { name?: unknown }).name;
    if (typeof message === "string" && message.length > 0) return message;
    // AggregateError (e.g. a failed happy-eyeballs connect) has an empty message and the reasons inside.
    const errors = (error as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) return errors.map((e) => describe(e)).join("; ");
    const code = (error as { code?: unknown; Code?: unknown }).code ?? (error as { Code?: unknown }).Code;
    if (typeof code === "string" && code.length > 0) return typeof name === "string" && name.length > 0 ? `${name} (${code})` : code;
    if (typeof name === "string" && name.length > 0 && name !== "Error") return name;
    const json = JSON.stringify(error);
    if (typeof json === "string" && json !== "{}") return `non-error value was thrown: ${json}`;
    return error instanceof Error ? "error without a message" : "an object without a message was thrown";
  } catch {
    return "an unprintable value was thrown";
  }
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}
