/**
 * Owns key casing: request keys in snake, camel or kebab case become snake_case, and response
 * keys follow the requested inflection. Customer-owned maps (metadata) keep their keys as sent.
 * Objects are rebuilt with Object.fromEntries, which defines keys, so "__proto__" stays a key.
 */
import { isPlainObject } from "./validation.ts";

export type Inflection = "snake" | "camel" | "kebab";
export const INFLECTIONS: readonly Inflection[] = ["snake", "camel", "kebab"];

/**
 * Keys whose values are maps keyed by data, not by field names: the customer's metadata, check
 * results keyed by check name (an identifier such as `document_ocr`, used in workflows), workflow
 * graphs and legacy steps (documents in their own snake_case format, with node ids as keys),
 * validation errors keyed by field path (as a 422's `fields`, which is never re-cased either), and
 * an organisation's risk_signal_actions (keyed by signal name, an identifier like a check name),
 * an identity's custom_fields and an external decision's metadata (the customer's keys), and a
 * workflow run's graph_snapshot.
 */
const OPAQUE_KEYS = new Set([
  "metadata",
  "check_results",
  "graph",
  "graph_snapshot",
  "steps",
  "errors",
  "risk_signal_actions",
  "custom_fields",
  "external_metadata",
]);

export function toSnakeKey(key: string): string {
  return key
    .replace(/-/g, "_")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

function inflectKey(key: string, to: Inflection): string {
  if (to === "snake") return key;
  const camel = key.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
  return to === "camel" ? camel : key.replace(/_/g, "-");
}

/** Snake-cases the keys of one object level (callers decide how deep customer data goes). */
export function snakeKeys(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [toSnakeKey(key), value]));
}

/** Snake-cases keys at every level except inside opaque customer maps. */
export function snakeKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeysDeep);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      const snake = toSnakeKey(key);
      return [snake, OPAQUE_KEYS.has(snake) ? inner : snakeKeysDeep(inner)];
    }),
  );
}

export function inflectKeysDeep(value: unknown, to: Inflection): unknown {
  if (to === "snake") return value;
  if (Array.isArray(value)) return value.map((v) => inflectKeysDeep(v, to));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      inflectKey(key, to),
      OPAQUE_KEYS.has(key) ? inner : inflectKeysDeep(inner, to),
    ]),
  );
}
