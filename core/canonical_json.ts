/**
 * Owns canonical JSON: one text per JSON value whatever the order of its object keys (jsonb does
 * not keep key order), for telling equal values apart from edits and for hashing stored values.
 */

/** Object keys sorted (by UTF-16 code unit), `undefined` members dropped as JSON.stringify drops them. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${
      Object.keys(record).sort().filter((k) => record[k] !== undefined).map((k) =>
        `${JSON.stringify(k)}:${canonicalJson(record[k])}`
      ).join(",")
    }}`;
  }
  return JSON.stringify(value ?? null);
}
