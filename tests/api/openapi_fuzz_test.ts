/**
 * Owns the property-based pass over the API document: for every documented operation, fast-check
 * builds requests from the document itself (path ids of real objects or junk, query parameters
 * and headers valid or not, bodies valid by the request schema or broken) and sends them to the
 * real app over a real Postgres. No answer may be a 5xx, and every answer must be one the
 * document describes for that operation and status (tests/helpers/openapi_validator.ts).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { openApiDocument } from "../../api/openapi/document.ts";
import { API_OPERATIONS } from "../../api/openapi/operations.ts";
import type { OperationSpec } from "../../api/openapi/spec.ts";
import { invalidValue, validValue } from "../helpers/schema_arbitrary.ts";
import { assertDocumentedResponse } from "../helpers/openapi_validator.ts";

type JsonSchema = Record<string, unknown>;
const RUNS_PER_OPERATION = 20;

const document = openApiDocument();
function resolve(ref: string): JsonSchema {
  return document.components.schemas[ref.replace("#/components/schemas/", "")];
}

/** Real objects of the world, by the path parameter names that take them. */
async function fixtures(world: TestWorld): Promise<Record<string, string[]>> {
  const key = world.org.sandbox_secret_key;
  type Created = { id: string; capture_url: string };
  type Page = { data: { id: string }[] };
  const post = async (path: string, body: unknown) => (await world.json<Created>("POST", path, { key, body })).body;
  const session = await post("/api/v1/sessions", { external_ref: "fuzz-1", country: "US" });
  const reviewed = await post("/api/v1/sessions", { external_ref: "fuzz-2" });
  await post(`/api/v1/sessions/${reviewed.id}/simulate`, { action: "needs_review" });
  const cases = (await world.json<Page>("GET", "/api/v1/cases", { key })).body.data;
  const workflow = await post("/api/v1/workflows", { name: "Fuzz" });
  const list = await post("/api/v1/lists", { name: "Fuzz", list_type: "email" });
  const item = await post(`/api/v1/lists/${list.id}/items`, { value: { email: "fuzz@example.com" } });
  const identity = await post("/api/v1/identities", { external_ref: "fuzz-person" });
  const endpoint = await post("/api/v1/webhooks/endpoints", { url: "http://127.0.0.1:9/hook" });
  const apiKey = await post("/api/v1/api-keys", { label: "fuzz" });
  const events = (await world.json<Page>("GET", "/api/v1/events?limit=1", { key })).body.data;
  const token = new URL(session.capture_url).pathname.split("/").pop()!;
  const ids = [
    session.id,
    reviewed.id,
    workflow.id,
    list.id,
    identity.id,
    endpoint.id,
    apiKey.id,
    ...cases.map((c) => c.id),
  ];
  return {
    id: ids,
    sessionId: [session.id, reviewed.id],
    item_id: [item.id],
    match_id: ["lm_0123456789abcdefghijklmn"],
    eventId: events.map((e) => e.id),
    token: [token],
    tag: ["vip"],
    slot: ["id_front", "selfie"],
    policy: ["document_ocr", "face_match"],
    version: ["1", "2"],
  };
}

const junk = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }),
  fc.constantFrom("x", "0", "-1", "ses_", "%2e%2e", "%C3%A9", "a".repeat(300), "null", "undefined"),
);

function pathArbitrary(op: OperationSpec, pool: Record<string, string[]>): fc.Arbitrary<string> {
  const names = op.path.match(/\{([^}]+)\}/g)?.map((m) => m.slice(1, -1)) ?? [];
  const values = names.map((name) =>
    pool[name]?.length
      ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool[name]) }, { weight: 1, arbitrary: junk })
      : junk
  );
  return fc.tuple(...values).map((filled) => {
    let path = op.path;
    names.forEach((name, i) => {
      const value = String(filled[i]);
      path = path.replace(`{${name}}`, /^%|^[\w.-]*$/.test(value) ? value : encodeURIComponent(value));
    });
    return path;
  });
}

function queryArbitrary(op: OperationSpec): fc.Arbitrary<string> {
  const params = Object.entries(document.paths[op.path][op.method].parameters as JsonSchema[])
    .map(([, p]) => p)
    .filter((p) => p.in === "query");
  if (params.length === 0) return fc.constant("");
  const entries = params.map((p) =>
    fc.option(
      fc.oneof(
        {
          weight: 3,
          arbitrary: validValue(p.schema as JsonSchema, resolve).map((v) => Array.isArray(v) ? v.join(",") : String(v)),
        },
        { weight: 1, arbitrary: junk },
      ).map((value) => `${encodeURIComponent(p.name as string)}=${encodeURIComponent(value)}`),
      { nil: undefined },
    )
  );
  return fc.tuple(...entries).map((parts) => {
    const present = parts.filter((p) => p !== undefined);
    return present.length ? `?${present.join("&")}` : "";
  });
}

function headersArbitrary(op: OperationSpec): fc.Arbitrary<Record<string, string>> {
  if (op.auth !== "api_key") return fc.constant({});
  const optional = (valid: string[], invalid: fc.Arbitrary<string>) =>
    fc.option(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: invalid }), {
      nil: undefined,
      freq: 2,
    });
  return fc.record({
    "Key-Inflection": optional(["snake", "camel", "kebab"], fc.constantFrom("pascal", "")),
    "Verifa-Version": optional(["2026-01-01", "2026-02-01"], fc.constantFrom("1999-01-01", "latest")),
    "Idempotency-Key": op.method === "post"
      ? fc.option(fc.oneof(fc.uuid(), fc.constant("k".repeat(256))), { nil: undefined, freq: 3 })
      : fc.constant(undefined),
  }).map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);
}

function bodyArbitrary(op: OperationSpec): fc.Arbitrary<unknown> {
  if (!op.body) return fc.constant(undefined);
  const content =
    (document.paths[op.path][op.method].requestBody as { content: Record<string, { schema: JsonSchema }> })
      .content;
  const json = content["application/json"]?.schema;
  if (json) {
    return fc.oneof({ weight: 3, arbitrary: validValue(json, resolve) }, {
      weight: 2,
      arbitrary: invalidValue(json, resolve),
    });
  }
  if (content["text/csv"]) return fc.string({ maxLength: 200 });
  const form = resolve(content["multipart/form-data"]!.schema.$ref as string);
  return fc.tuple(validValue(form, resolve), fc.uint8Array({ minLength: 0, maxLength: 2048 })).map(
    ([fields, bytes]) => {
      const data = new FormData();
      for (const [name, value] of Object.entries(fields as Record<string, unknown>)) {
        if (name !== "file") data.set(name, String(value));
      }
      data.set("file", new File([bytes], "upload.jpg", { type: "image/jpeg" }));
      return data;
    },
  );
}

Deno.test("property-based pass: requests generated from the API document", async (t) => {
  const world = await createTestWorld();
  try {
    // The dry run waits for a worker this world does not run: a short wait answers 202 at once.
    world.deps.dryRunWaitMs = 20;
    world.setPublicUrl(world.deps.publicUrl);
    // One key sends every request: its own rate limit must not cut the pass short.
    await world.db.updateTable("api_keys").set({ rate_limit_per_minute: 1_000_000 })
      .where("org_id", "=", world.org.org_id).execute();
    const pool = await fixtures(world);
    let sent = 0;
    const statuses = new Map<number, number>();
    for (const op of API_OPERATIONS) {
      await t.step(`${op.method.toUpperCase()} ${op.path}`, async () => {
        const request = fc.record({
          path: pathArbitrary(op, pool),
          query: queryArbitrary(op),
          headers: headersArbitrary(op),
          body: bodyArbitrary(op),
          // One request in six without a valid key: the rest reach the route.
          authorised: fc.integer({ min: 0, max: 5 }).map((n) => n > 0 || op.auth !== "api_key"),
        });
        await fc.assert(
          fc.asyncProperty(request, async ({ path, query, headers, body, authorised }) => {
            const response = await world.request(op.method.toUpperCase(), `${path}${query}`, {
              key: op.auth === "api_key" ? (authorised ? world.org.sandbox_secret_key : "vk_sandbox_wrong") : undefined,
              headers,
              body: body as never,
            });
            sent++;
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            assert.ok(response.status < 500, `${op.method} ${path}${query} answered ${response.status}`);
            await assertDocumentedResponse(op.method.toUpperCase(), `${path}${query}`, response);
            if (!response.bodyUsed) await response.body?.cancel();
          }),
          { numRuns: RUNS_PER_OPERATION, seed: Number(Deno.env.get("FUZZ_SEED") ?? 16) },
        );
      });
    }
    assert.ok(sent >= API_OPERATIONS.length * RUNS_PER_OPERATION);
    // The pass reached past validation, not only the 4xx.
    assert.ok(
      (statuses.get(200) ?? 0) + (statuses.get(201) ?? 0) > API_OPERATIONS.length,
      JSON.stringify([...statuses]),
    );
  } finally {
    await world.close();
  }
});
