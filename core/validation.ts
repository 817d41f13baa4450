/** Owns turning zod failures into the contract's 422 body, with one message per field path. */
import type { z } from "zod";
import { AppError, validationError } from "./errors.ts";

export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[[...issue.path, key].join(".")] ??= "is not a recognised field";
      continue;
    }
    fields[issue.path.join(".")] ??= issue.message;
  }
  throw validationError(fields);
}

/** A JSON object: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function requireObject(body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) {
    throw new AppError("validation_error", "The request body must be a JSON object.", { "": "must be a JSON object" });
  }
  return body as Record<string, unknown>;
}
