/**
 * Owns generating values from the API document's JSON Schemas with fast-check: `valid` values the
 * schema accepts (objects with their required keys and some optional ones, strings within their
 * length, pattern and format, numbers within their bounds), and `invalid` ones that break it
 * (a wrong type, a missing required key, an unknown key, any JSON at all). The property-based
 * pass (tests/api/openapi_fuzz_test.ts) sends both to every operation.
 */
import fc from "fast-check";

type JsonSchema = Record<string, unknown>;
type Resolve = (ref: string) => JsonSchema;

const MAX_DEPTH = 5;

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = Math.min((schema.maxLength as number | undefined) ?? 40, minLength + 40);
  const fits = (s: string) => s.length >= minLength && s.length <= ((schema.maxLength as number) ?? Infinity);
  switch (schema.format) {
    case "date-time":
      return fc.date({ noInvalidDate: true, min: new Date("2000-01-01"), max: new Date("2100-01-01") })
        .map((d) => d.toISOString());
    case "date":
      return fc.date({ noInvalidDate: true, min: new Date("2000-01-01"), max: new Date("2100-01-01") })
        .map((d) => d.toISOString().slice(0, 10));
    case "email":
      return fc.emailAddress().filter(fits);
    case "uri":
      return fc.webUrl().filter(fits);
  }
  if (typeof schema.pattern === "string") return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  return fc.string({ minLength, maxLength, unit: "grapheme" });
}

function numberOf(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = Math.max((schema.minimum as number | undefined) ?? -1e6, -1e9);
  const max = Math.min((schema.maximum as number | undefined) ?? 1e6, 1e9);
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Values the schema accepts (as far as the schema says: refinements in code may still refuse them). */
export function validValue(schema: JsonSchema, resolve: Resolve, depth = 0): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === "string") return validValue(resolve(schema.$ref), resolve, depth);
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  if (Array.isArray(schema.anyOf)) return fc.oneof(...schema.anyOf.map((s) => validValue(s, resolve, depth)));
  if (Array.isArray(schema.oneOf)) return fc.oneof(...schema.oneOf.map((s) => validValue(s, resolve, depth)));
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) return validValue(schema.allOf[0], resolve, depth);
  if (depth > MAX_DEPTH) return fc.constant(null);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      return stringOf(schema);
    case "integer":
      return numberOf(schema, true);
    case "number":
      return numberOf(schema, false);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const items = (schema.items as JsonSchema | undefined) ?? {};
      const minLength = (schema.minItems as number | undefined) ?? 0;
      const maxLength = Math.min((schema.maxItems as number | undefined) ?? 3, minLength + 3);
      return fc.array(validValue(items, resolve, depth + 1), { minLength, maxLength });
    }
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      if (Object.keys(properties).length === 0) {
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
      }
      const required = (schema.required as string[] | undefined) ?? [];
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, inner] of Object.entries(properties)) {
        // `{not: {}}` is a field the schema refuses by name (e.g. legal_hold on PATCH): never valid.
        if (!("not" in inner)) record[key] = validValue(inner, resolve, depth + 1);
      }
      return fc.record(record, { requiredKeys: required.filter((key) => key in record) });
    }
  }
  return fc.jsonValue({ maxDepth: 2 });
}

/** Values that break the schema somewhere (or, for `any`, arbitrary JSON). */
export function invalidValue(schema: JsonSchema, resolve: Resolve): fc.Arbitrary<unknown> {
  const resolved = typeof schema.$ref === "string" ? resolve(schema.$ref) : schema;
  const wrongType = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constant(null),
    fc.string(),
    fc.integer(),
    fc.array(fc.jsonValue({ maxDepth: 1 })),
  );
  if (resolved.type !== "object" || !resolved.properties) return wrongType;
  const properties = resolved.properties as Record<string, JsonSchema>;
  const keys = Object.keys(properties);
  return fc.oneof(
    wrongType,
    // A known key with a value of any type.
    fc.record({ key: fc.constantFrom(...keys), value: fc.jsonValue({ maxDepth: 2 }) })
      .chain(({ key, value }) => validValue(resolved, resolve).map((base) => ({ ...(base as object), [key]: value }))),
    // An unknown key beside valid ones.
    fc.tuple(validValue(resolved, resolve), fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }))
      .map(([base, key, value]) => ({ ...(base as object), [`x_${key}`]: value })),
    // A required key left out.
    validValue(resolved, resolve).map((base) => {
      const copy = { ...(base as Record<string, unknown>) };
      delete copy[((resolved.required as string[] | undefined) ?? keys)[0]];
      return copy;
    }),
  );
}
