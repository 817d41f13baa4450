/**
 * Owns the identities' personal-data guarantees through HTTP: nothing readable at rest in any
 * table, search by blind index only, `api_pii_fields` applied, erasure (DELETE) with its scope,
 * legal hold and second call, and the data-subject export.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { call, setOrgSettings } from "../helpers/sessions.ts";
import { createIdentity, decidedSession, IDENTITIES, identityRow, keyWithScopes } from "../helpers/identities.ts";

const SECRETS = [
  "Grace",
  "Hopper",
  "grace@navy.example",
  "(555) 0199",
  "N7654321",
  "123-45-6789",
  "1906-12-09",
  "Arlington",
];

/** Every row of every table in the test database, as text. */
async function allTableText(world: TestWorld): Promise<string> {
  const tables = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
  `.execute(world.db);
  let text = "";
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(table_name)} t`.execute(world.db);
    text += rows.rows.map((r) => r.row).join("\n");
  }
  return text;
}

Deno.test("identities keep personal data private", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const post = (path: string, body: unknown, k = key) => call(world, "POST", path, { key: k, body });
  try {
    const grace = await createIdentity(world, key, "person_gh");
    // Decided first: an approved session's data replaces what the identity held, the patch then corrects it.
    const session = await decidedSession(world, key, "person_gh", "approve");
    const patched = await call(world, "PATCH", `${IDENTITIES}/person_gh`, {
      key,
      body: {
        first_name: "Grace",
        last_name: "Hopper",
        date_of_birth: "1906-12-09",
        email: "Grace@Navy.example",
        phone: "+1 (555) 0199",
        document_number: "N7654321",
        ssn: "123-45-6789",
        city: "Arlington",
      },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));

    await t.step("no table holds the personal data as plaintext", async () => {
      const text = await allTableText(world);
      assert.ok(text.includes(grace.id), "the dump does not include the identities table");
      for (const secret of SECRETS) assert.ok(!text.toLowerCase().includes(secret.toLowerCase()), secret);
      // The sandbox preset's data (Jane Doe's licence) is stored too, encrypted.
      for (const secret of ["Jane", "D1234567"]) assert.ok(!text.includes(secret), secret);
    });

    await t.step("search finds by email, phone, document number and name + date of birth", async () => {
      const criteria = [
        { email: "grace@navy.example" },
        { email: " GRACE@navy.EXAMPLE " },
        { phone: "+15550199" },
        { document_number: "n7654321" },
        { first_name: "grace", last_name: "HOPPER", date_of_birth: "1906-12-09" },
        { email: "grace@navy.example", document_number: "N7654321" },
      ];
      for (const body of criteria) {
        const res = await post(`${IDENTITIES}/search`, body);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(res.body.data.map((i: { id: string }) => i.id), [grace.id], JSON.stringify(body));
      }
      for (
        const body of [
          { email: "grace@army.example" },
          { email: "grace@navy.example", document_number: "X1" },
          { first_name: "Grace", last_name: "Hopper", date_of_birth: "1906-12-10" },
          { phone: "55501" },
        ]
      ) {
        assert.deepEqual((await post(`${IDENTITIES}/search`, body)).body.data, [], JSON.stringify(body));
      }
      // The other environment searches its own identities only.
      const live = await post(`${IDENTITIES}/search`, { email: "grace@navy.example" }, world.org.live_secret_key);
      assert.deepEqual(live.body.data, []);
      for (
        const body of [{}, { first_name: "Grace" }, { email: "nope" }, { ssn: "123-45-6789" }, {
          limit: 0,
          email: "a@b.co",
        }]
      ) {
        const res = await post(`${IDENTITIES}/search`, body);
        assert.equal(res.status, 422, JSON.stringify(body));
      }
      const noScope = await keyWithScopes(world, ["sessions:read"]);
      assert.equal((await post(`${IDENTITIES}/search`, { email: "grace@navy.example" }, noScope)).status, 403);
    });

    await t.step("extracted_data follows the org's api_pii_fields", async () => {
      await setOrgSettings(world, world.org.org_id, { api_pii_fields: ["first_name", "date_of_birth"] });
      const res = await call(world, "GET", `${IDENTITIES}/person_gh`, { key });
      assert.deepEqual(res.body.extracted_data, { first_name: "Grace", date_of_birth: "1906-12-09" });
      const listed = await call(world, "GET", `${IDENTITIES}?q=person_gh`, { key });
      assert.deepEqual(listed.body.data[0].extracted_data, { first_name: "Grace", date_of_birth: "1906-12-09" });
      await setOrgSettings(world, world.org.org_id, {});
    });

    await t.step("export hands over the person's data with each session's full export", async () => {
      const exporter = await keyWithScopes(world, ["identities:read"]);
      const res = await call(world, "GET", `${IDENTITIES}/${grace.id}/export`, { key: exporter });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.identity.id, grace.id);
      assert.equal(res.body.identity.extracted_data.ssn, "123-45-6789");
      assert.equal(res.body.identity.extracted_data.email, "Grace@Navy.example");
      assert.equal(res.body.sessions.length, 1);
      assert.equal(res.body.sessions[0].session.id, session.id);
      assert.equal(res.body.sessions[0].result.status, "approved");
      assert.equal(res.body.sessions[0].result.extracted_data.last_name, "Doe");
      assert.ok(Array.isArray(res.body.sessions[0].documents));
      // The allowlist applies to exports as to every API response.
      await setOrgSettings(world, world.org.org_id, { api_pii_fields: ["first_name"] });
      const limited = await call(world, "GET", `${IDENTITIES}/${grace.id}/export`, { key: exporter });
      assert.equal(limited.body.identity.extracted_data.ssn, undefined);
      assert.deepEqual(Object.keys(limited.body.sessions[0].result.extracted_data), ["first_name"]);
      assert.deepEqual(res.body.identity_links, []);
      assert.equal(res.body.face_embeddings_count, 0);
      await setOrgSettings(world, world.org.org_id, {});
      assert.equal(
        (await call(world, "GET", `${IDENTITIES}/${grace.id}/export`, { key: world.org.live_secret_key })).status,
        404,
      );
    });

    await t.step("DELETE needs redact:write; identities:write is not enough", async () => {
      const writer = await keyWithScopes(world, ["identities:read", "identities:write"]);
      const res = await call(world, "DELETE", `${IDENTITIES}/${grace.id}`, { key: writer });
      assert.equal(res.status, 403);
      assert.equal(res.body.error, "insufficient_scope");
      assert.equal(
        (await call(world, "DELETE", `${IDENTITIES}/${grace.id}`, { key: world.org.live_secret_key })).status,
        404,
      );
      assert.equal((await call(world, "DELETE", `${IDENTITIES}/${grace.id}`, {})).status, 401);
    });

    await t.step("a legal hold blocks erasure until released", async () => {
      await call(world, "POST", `${IDENTITIES}/${grace.id}/legal-hold`, { key, body: {} });
      const held = await call(world, "DELETE", `${IDENTITIES}/${grace.id}`, { key });
      assert.equal(held.status, 409);
      assert.equal(held.body.error, "legal_hold");
      await call(world, "POST", `${IDENTITIES}/${grace.id}/legal-hold/release`, { key, body: { reason: "released" } });
    });

    await t.step("DELETE erases personal data and digests, keeps the record; a second call says so", async () => {
      await post(`${IDENTITIES}/${grace.id}/tags/add`, { tag: "vip" });
      const eraser = await keyWithScopes(world, ["redact:write"]);
      const res = await call(world, "DELETE", `${IDENTITIES}/${grace.id}`, { key: eraser });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.id, grace.id);
      assert.equal(res.body.status, "redacted");
      assert.equal(res.body.already_redacted, false);
      const row = await identityRow(world, grace.id);
      assert.equal(row.pii_enc, null);
      for (const column of ["email_bidx", "phone_bidx", "document_number_bidx", "name_dob_bidx"] as const) {
        assert.equal(row[column], null, column);
      }
      assert.deepEqual(row.tags, []);
      assert.ok(row.created_at && row.redacted_at);
      const shown = await call(world, "GET", `${IDENTITIES}/${grace.id}`, { key });
      assert.equal(shown.body.status, "redacted");
      assert.deepEqual(shown.body.extracted_data, {});
      const updated = await world.db.selectFrom("events").selectAll().where("identity_id", "=", grace.id)
        .where("type", "=", "identity.updated").orderBy("created_at", "desc").executeTakeFirstOrThrow();
      assert.equal(updated.payload.status, "redacted");
      assert.deepEqual((await post(`${IDENTITIES}/search`, { email: "grace@navy.example" })).body.data, []);

      const second = await call(world, "DELETE", `${IDENTITIES}/${grace.id}`, { key });
      assert.equal(second.status, 200);
      assert.equal(second.body.already_redacted, true);
      assert.equal(second.body.redacted_at, res.body.redacted_at);
    });
  } finally {
    await world.close();
  }
});
