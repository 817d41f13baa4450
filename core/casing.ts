/**
 * Owns key casing: request keys in snake, camel or kebab case become snake_case, and response
 * keys follow the requested inflection. Customer-owned maps (metadata) keep their keys as sent.
 */

export type Inflection = "snake" | "camel" | "kebab";
export const INFLECTIONS: readonly Inflection[] = ["snake", "camel", "kebab"];

/** Keys whose values belong to the customer and are never renamed. */
const OPAQUE_KEYS = new Set(["metadata"]);

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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Snake-cases the keys of one object level (callers decide how deep customer data goes). */
export function snakeKeys(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) out[toSnakeKey(key)] = value;
  return out;
}

/** Snake-cases keys at every level except inside opaque customer maps. */
export function snakeKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeysDeep);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const snake = toSnakeKey(key);
    out[snake] = OPAQUE_KEYS.has(snake) ? inner : snakeKeysDeep(inner);
  }
  return out;
}

export function inflectKeysDeep(value: unknown, to: Inflection): unknown {
  if (to === "snake") return value;
  if (Array.isArray(value)) return value.map((v) => inflectKeysDeep(v, to));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[inflectKey(key, to)] = OPAQUE_KEYS.has(key) ? inner : inflectKeysDeep(inner, to);
  }
  return out;
}
