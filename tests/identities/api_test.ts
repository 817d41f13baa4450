/**
 * Owns the Identities API through HTTP: create stub and upsert, get by id or external_ref, patch,
 * archive and restore, flag and unflag, tags, sessions, audit log, list with offset and cursor
 * pages; and for each, the contract's errors (401, 403 scope, 404 other org or environment, 409,
 * 422).
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { call, ISO_TIMESTAMP } from "../helpers/sessions.ts";
import {
  createIdentity,
  decidedSession,
  IDENTITIES,
  identityEventTypes,
  identityRow,
  keyWithScopes,
} from "../helpers/identities.ts";

const NOT_FOUND = { error: "not_found", detail: "Identity not found.", status_code: 404 };

Deno.test("Identities API", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    const readOnly = await keyWithScopes(world, ["identities:read"]);
    const other = await world.provisionOrg("other-org");

    await t.step("POST /identities creates a stub (201) and fires identity.created", async () => {
      const res = await call(world, "POST", IDENTITIES, { key, body: { externalRef: "cust_1" } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.match(res.body.id, /^idn_/);
      assert.equal(res.body.external_ref, "cust_1");
      assert.equal(res.body.status, "pending");
      assert.equal(res.body.is_sandbox, true);
      assert.equal(res.body.upserted, false);
      assert.equal(res.body.session_count, 0);
      assert.deepEqual(res.body.extracted_data, {});
      assert.match(res.body.created_at, ISO_TIMESTAMP);
      assert.deepEqual(await identityEventTypes(world, res.body.id), ["identity.created"]);
    });

    await t.step("an existing external_ref is 409 conflict, or 200 with upserted: true", async () => {
      const conflict = await call(world, "POST", IDENTITIES, { key, body: { external_ref: "cust_1" } });
      assert.equal(conflict.status, 409);
      assert.equal(conflict.body.error, "conflict");
      const upsert = await call(world, "POST", IDENTITIES, { key, body: { external_ref: "cust_1", upsert: true } });
      assert.equal(upsert.status, 200);
      assert.equal(upsert.body.upserted, true);
      assert.equal(upsert.body.external_ref, "cust_1");
      assert.deepEqual(await identityEventTypes(world, upsert.body.id), ["identity.created"]);
      // The same external_ref is free in the other environment and in another org.
      const live = await call(world, "POST", IDENTITIES, {
        key: world.org.live_secret_key,
        body: { external_ref: "cust_1" },
      });
      assert.equal(live.status, 201);
      assert.equal(live.body.is_sandbox, false);
      const elsewhere = await call(world, "POST", IDENTITIES, {
        key: other.sandbox_secret_key,
        body: { external_ref: "cust_1" },
      });
      assert.equal(elsewhere.status, 201);
    });

    await t.step("create validates its body (422) and needs identities:write (403) and a key (401)", async () => {
      for (
        const body of [{}, { external_ref: "" }, { external_ref: 5 }, { external_ref: "x", extra: 1 }, {
          external_ref: "x",
          upsert: "yes",
        }]
      ) {
        const res = await call(world, "POST", IDENTITIES, { key, body });
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.equal(res.body.error, "validation_error");
        assert.ok(res.body.fields);
      }
      const denied = await call(world, "POST", IDENTITIES, { key: readOnly, body: { external_ref: "nope" } });
      assert.equal(denied.status, 403);
      assert.equal(denied.body.error, "insufficient_scope");
      const anonymous = await call(world, "POST", IDENTITIES, { body: { external_ref: "nope" } });
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.body.error, "unauthorized");
    });

    await t.step("GET /identities/{id} by id or external_ref; other org or environment is 404", async () => {
      const created = await createIdentity(world, key, "cust_get");
      const byId = await call(world, "GET", `${IDENTITIES}/${created.id}`, { key: readOnly });
      assert.equal(byId.status, 200);
      assert.equal(byId.body.id, created.id);
      for (const field of ["latest_session_id", "first_verified_at", "archived_at", "flag_reason", "country"]) {
        assert.equal(byId.body[field], null, field);
      }
      assert.deepEqual(byId.body.tags, []);
      assert.deepEqual(byId.body.custom_fields, {});
      assert.equal(byId.body.is_flagged, false);
      const byRef = await call(world, "GET", `${IDENTITIES}/cust_get`, { key });
      assert.equal(byRef.body.id, created.id);
      for (const k of [world.org.live_secret_key, other.sandbox_secret_key]) {
        const res = await call(world, "GET", `${IDENTITIES}/${created.id}`, { key: k });
        assert.equal(res.status, 404);
        assert.deepEqual(res.body, NOT_FOUND);
      }
      assert.equal((await call(world, "GET", `${IDENTITIES}/idn_missing`, { key })).status, 404);
      const noScope = await keyWithScopes(world, ["sessions:read"]);
      assert.equal((await call(world, "GET", `${IDENTITIES}/${created.id}`, { key: noScope })).status, 403);
      assert.equal((await call(world, "GET", `${IDENTITIES}/${created.id}`, {})).status, 401);
    });

    await t.step("PATCH re-encrypts personal data, recomputes indexes and reports the changed fields", async () => {
      const created = await createIdentity(world, key, "cust_patch");
      const res = await call(world, "PATCH", `${IDENTITIES}/${created.id}`, {
        key,
        body: {
          firstName: "Ada",
          last_name: "Lovelace",
          date_of_birth: "1815-12-10",
          email: "ada@example.com",
          phone: "+44 20 7946 0000",
          document_number: "P9988776",
          nationality: "gb",
          address_line1: "12 St James's Square",
          city: "London",
          zip_code: "SW1Y 4JH",
          country: "GB",
          custom_fields: { tier: "gold", note: "vip" },
        },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.extracted_data.first_name, "Ada");
      assert.equal(res.body.extracted_data.nationality, "GB");
      assert.equal(res.body.extracted_data.email, "ada@example.com");
      assert.deepEqual(res.body.extracted_data.address, {
        line1: "12 St James's Square",
        line2: null,
        city: "London",
        state: null,
        zip: "SW1Y 4JH",
      });
      assert.equal(res.body.country, "GB");
      assert.deepEqual(res.body.custom_fields, { tier: "gold", note: "vip" });
      const before = await identityRow(world, created.id);
      assert.ok(before.pii_enc && !before.pii_enc.includes("Ada"));
      assert.ok(before.email_bidx && before.phone_bidx && before.document_number_bidx && before.name_dob_bidx);

      const again = await call(world, "PATCH", `${IDENTITIES}/cust_patch`, {
        key,
        body: { email: "ada@lovelace.example", phone: null, custom_fields: { note: null } },
      });
      assert.equal(again.status, 200);
      assert.equal(again.body.extracted_data.email, "ada@lovelace.example");
      assert.equal(again.body.extracted_data.phone, undefined);
      assert.deepEqual(again.body.custom_fields, { tier: "gold" });
      const after = await identityRow(world, created.id);
      assert.notEqual(after.pii_enc, before.pii_enc);
      assert.notEqual(after.email_bidx, before.email_bidx);
      assert.equal(after.phone_bidx, null);
      assert.equal(after.document_number_bidx, before.document_number_bidx);

      const event = await world.db.selectFrom("events").selectAll().where("identity_id", "=", created.id)
        .where("type", "=", "identity.updated").orderBy("created_at", "desc").executeTakeFirstOrThrow();
      assert.deepEqual(event.payload.changed, ["custom_fields", "email", "phone"]);
      assert.ok(!JSON.stringify(event.payload).includes("lovelace"));
    });

    await t.step("PATCH errors: 422 bad fields, 409 taken external_ref, 404, 403", async () => {
      const id = (await createIdentity(world, key, "cust_patch_err")).id;
      for (
        const body of [
          { date_of_birth: "1990-02-30" },
          { email: "not-an-email" },
          { nationality: "GBR" },
          { status: "merged" },
          { status: "redacted" },
          { unknown_field: 1 },
          { custom_fields: [] },
        ]
      ) {
        const res = await call(world, "PATCH", `${IDENTITIES}/${id}`, { key, body });
        assert.equal(res.status, 422, JSON.stringify(body));
      }
      const taken = await call(world, "PATCH", `${IDENTITIES}/${id}`, { key, body: { external_ref: "cust_patch" } });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.error, "conflict");
      const renamed = await call(world, "PATCH", `${IDENTITIES}/${id}`, {
        key,
        body: { external_ref: "cust_renamed", status: "verified" },
      });
      assert.equal(renamed.status, 200);
      assert.equal(renamed.body.external_ref, "cust_renamed");
      assert.equal(renamed.body.status, "verified");
      const elsewhere = await call(world, "PATCH", `${IDENTITIES}/${id}`, {
        key: world.org.live_secret_key,
        body: { first_name: "X" },
      });
      assert.equal(elsewhere.status, 404);
      const denied = await call(world, "PATCH", `${IDENTITIES}/${id}`, { key: readOnly, body: { first_name: "X" } });
      assert.equal(denied.status, 403);
    });

    await t.step("archive hides from the list; restore brings it back; redacted refuses both", async () => {
      const id = (await createIdentity(world, key, "cust_archive")).id;
      const archived = await call(world, "POST", `${IDENTITIES}/${id}/archive`, { key });
      assert.equal(archived.status, 200);
      assert.deepEqual(Object.keys(archived.body).sort(), ["archived_at", "id", "status"]);
      assert.match(archived.body.archived_at, ISO_TIMESTAMP);
      const again = await call(world, "POST", `${IDENTITIES}/${id}/archive`, { key });
      assert.equal(again.body.archived_at, archived.body.archived_at);
      const listed = await call(world, "GET", `${IDENTITIES}?q=cust_archive`, { key });
      assert.equal(listed.body.data.length, 0);
      const withArchived = await call(world, "GET", `${IDENTITIES}?q=cust_archive&include_archived=true`, { key });
      assert.equal(withArchived.body.data.length, 1);
      const restored = await call(world, "POST", `${IDENTITIES}/${id}/restore`, { key });
      assert.equal(restored.status, 200);
      assert.equal(restored.body.archived_at, null);
      assert.equal(restored.body.id, id);
      assert.equal((await call(world, "GET", `${IDENTITIES}?q=cust_archive`, { key })).body.data.length, 1);
      assert.deepEqual(await identityEventTypes(world, id), [
        "identity.created",
        "identity.archived",
        "identity.restored",
      ]);

      assert.equal((await call(world, "POST", `${IDENTITIES}/${id}/archive`, { key: readOnly })).status, 403);
      assert.equal(
        (await call(world, "POST", `${IDENTITIES}/${id}/restore`, { key: other.sandbox_secret_key })).status,
        404,
      );
      assert.equal((await call(world, "DELETE", `${IDENTITIES}/${id}`, { key })).status, 200);
      const bodies: Record<string, unknown> = { flag: { reason: "r" }, "tags/add": { tags: ["t"] } };
      for (const action of ["archive", "restore", "flag", "unflag", "tags/add"]) {
        const res = await call(world, "POST", `${IDENTITIES}/${id}/${action}`, { key, body: bodies[action] });
        assert.equal(res.status, 409, action);
        assert.equal(res.body.error, "conflict");
      }
      const patch = await call(world, "PATCH", `${IDENTITIES}/${id}`, { key, body: { first_name: "X" } });
      assert.equal(patch.status, 409);
    });

    await t.step("flag and unflag", async () => {
      const id = (await createIdentity(world, key, "cust_flag")).id;
      const missing = await call(world, "POST", `${IDENTITIES}/${id}/flag`, { key, body: {} });
      assert.equal(missing.status, 422);
      assert.ok(missing.body.fields.reason);
      const flagged = await call(world, "POST", `${IDENTITIES}/${id}/flag`, { key, body: { reason: "chargeback" } });
      assert.equal(flagged.status, 200);
      assert.equal(flagged.body.is_flagged, true);
      assert.equal(flagged.body.flag_reason, "chargeback");
      assert.match(flagged.body.flagged_at, ISO_TIMESTAMP);
      assert.match(flagged.body.flagged_by, /^key_/);
      const unflagged = await call(world, "POST", `${IDENTITIES}/${id}/unflag`, { key });
      assert.equal(unflagged.body.is_flagged, false);
      assert.equal(unflagged.body.flag_reason, null);
      assert.equal(unflagged.body.flagged_by, null);
      assert.deepEqual(await identityEventTypes(world, id), [
        "identity.created",
        "identity.flagged",
        "identity.updated",
      ]);
      assert.equal(
        (await call(world, "POST", `${IDENTITIES}/${id}/flag`, { key: readOnly, body: { reason: "x" } })).status,
        403,
      );
      assert.equal(
        (await call(world, "POST", `${IDENTITIES}/${id}/flag`, {
          key: world.org.live_secret_key,
          body: { reason: "x" },
        })).status,
        404,
      );
    });

    await t.step("tags: add, remove and set de-duplicate, cap at 50 and report each change", async () => {
      const id = (await createIdentity(world, key, "cust_tags")).id;
      const tags = (op: string, body: unknown) => call(world, "POST", `${IDENTITIES}/${id}/tags/${op}`, { key, body });
      const added = await tags("add", { tags: ["vip", "vip", " b2b "] });
      assert.equal(added.status, 200);
      assert.deepEqual(added.body, { id, tags: ["vip", "b2b"] });
      assert.deepEqual((await tags("add", { tag: "vip" })).body.tags, ["vip", "b2b"]);
      assert.deepEqual((await tags("remove", { tags: ["vip", "absent"] })).body.tags, ["b2b"]);
      assert.deepEqual((await tags("set", { tags: ["x", "y", "x"] })).body.tags, ["x", "y"]);
      const tooMany = await tags("set", { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) });
      assert.equal(tooMany.status, 422);
      await tags("set", { tags: Array.from({ length: 50 }, (_, i) => `t${i}`) });
      assert.equal((await tags("add", { tags: ["one-more"] })).status, 422);
      assert.equal((await tags("add", {})).status, 422);
      assert.equal((await tags("add", { tags: [""] })).status, 422);
      const events = await world.db.selectFrom("events").select(["type", "payload"]).where("identity_id", "=", id)
        .where("type", "in", ["identity.tag-added", "identity.tag-removed"]).execute();
      const addedTags = events.filter((e) => e.type === "identity.tag-added").flatMap((e) => e.payload.tags);
      const removedTags = events.filter((e) => e.type === "identity.tag-removed").flatMap((e) => e.payload.tags);
      for (const tag of ["vip", "b2b", "x", "y", "t49"]) {
        assert.equal(addedTags.filter((t) => t === tag).length, 1, tag);
      }
      for (const tag of ["vip", "b2b", "x", "y"]) assert.equal(removedTags.filter((t) => t === tag).length, 1, tag);
      assert.equal(
        (await call(world, "POST", `${IDENTITIES}/${id}/tags/add`, { key: readOnly, body: { tag: "z" } })).status,
        403,
      );
    });

    await t.step("GET /identities/{id}/sessions lists its sessions, newest first", async () => {
      const first = await decidedSession(world, key, "cust_sessions", "approve");
      world.clock.advance(1000);
      const second = await decidedSession(world, key, "cust_sessions", "decline");
      const res = await call(world, "GET", `${IDENTITIES}/cust_sessions/sessions`, { key: readOnly });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.data.map((s: { id: string }) => s.id), [second.id, first.id]);
      assert.deepEqual(res.body.pagination, { total: 2, limit: 50, offset: 0 });
      assert.equal(res.body.data[0].identity_id, res.body.data[1].identity_id);
      const page = await call(world, "GET", `${IDENTITIES}/cust_sessions/sessions?limit=1&offset=1`, { key });
      assert.deepEqual(page.body.data.map((s: { id: string }) => s.id), [first.id]);
      assert.equal((await call(world, "GET", `${IDENTITIES}/cust_sessions/sessions?limit=0`, { key })).status, 400);
      assert.equal(
        (await call(world, "GET", `${IDENTITIES}/cust_sessions/sessions`, { key: world.org.live_secret_key })).status,
        404,
      );
    });

    await t.step("GET /identities/{id}/audit-log is the identity's events, oldest first", async () => {
      const id = (await createIdentity(world, key, "cust_audit")).id;
      world.clock.advance(1000);
      await call(world, "POST", `${IDENTITIES}/${id}/tags/add`, { key, body: { tag: "a" } });
      world.clock.advance(1000);
      await call(world, "POST", `${IDENTITIES}/${id}/flag`, { key, body: { reason: "r" } });
      world.clock.advance(1000);
      const session = await decidedSession(world, key, "cust_audit", "approve");
      const res = await call(world, "GET", `${IDENTITIES}/${id}/audit-log`, { key: readOnly });
      assert.equal(res.status, 200);
      const types = res.body.data.map((e: { type: string }) => e.type);
      assert.deepEqual(types.slice(0, 3), ["identity.created", "identity.tag-added", "identity.flagged"]);
      assert.deepEqual(types.slice(3).sort(), ["identity.updated", "session.approved"]);
      assert.equal(res.body.pagination.total, 5);
      const decision = res.body.data.find((e: { type: string }) => e.type === "session.approved");
      assert.equal(decision.session_id, session.id);
      assert.equal(res.body.data[0].identity_id, id);
      assert.match(res.body.data[0].created_at, ISO_TIMESTAMP);
      assert.equal(
        (await call(world, "GET", `${IDENTITIES}/${id}/audit-log`, { key: other.sandbox_secret_key })).status,
        404,
      );
    });

    await t.step("GET /identities: offset pages, status and q filters", async () => {
      const res = await call(world, "GET", `${IDENTITIES}?limit=2`, { key });
      assert.equal(res.status, 200);
      assert.equal(res.body.data.length, 2);
      assert.equal(res.body.pagination.limit, 2);
      assert.equal(res.body.pagination.offset, 0);
      assert.ok(res.body.pagination.total >= 8);
      const verified = await call(world, "GET", `${IDENTITIES}?status=verified&limit=100`, { key });
      assert.ok(verified.body.data.length > 0);
      assert.ok(verified.body.data.every((i: { status: string }) => i.status === "verified"));
      const q = await call(world, "GET", `${IDENTITIES}?q=${encodeURIComponent("CUST_T")}`, { key });
      assert.deepEqual(q.body.data.map((i: { external_ref: string }) => i.external_ref), ["cust_tags"]);
      const wildcard = await call(world, "GET", `${IDENTITIES}?q=${encodeURIComponent("%")}`, { key });
      assert.equal(wildcard.body.data.length, 0);
      assert.equal((await call(world, "GET", `${IDENTITIES}?status=approved`, { key })).status, 400);
      assert.equal((await call(world, "GET", `${IDENTITIES}?include_archived=maybe`, { key })).status, 400);
      assert.equal((await call(world, "GET", `${IDENTITIES}?limit=101`, { key })).status, 400);
      // Only the key's own org and environment.
      const live = await call(world, "GET", `${IDENTITIES}?limit=100`, { key: world.org.live_secret_key });
      assert.deepEqual(live.body.data.map((i: { external_ref: string }) => i.external_ref), ["cust_1"]);
      assert.equal((await call(world, "GET", IDENTITIES, {})).status, 401);
      assert.equal(
        (await call(world, "GET", IDENTITIES, { key: await keyWithScopes(world, ["sessions:read"]) })).status,
        403,
      );
    });

    await t.step("GET /identities: cursor pages with page[size], page[after] and page[before]", async () => {
      const cursorWorld = await world.provisionOrg("cursor-org");
      const k = cursorWorld.sandbox_secret_key;
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        ids.unshift((await createIdentity(world, k, `c_${i}`)).id); // newest first
        world.clock.advance(1000);
      }
      const seen: string[] = [];
      let next: string | null = `${IDENTITIES}?page[size]=3`;
      let pages = 0;
      let lastPage: Record<string, unknown> = {};
      while (next) {
        const res = await call(world, "GET", next, { key: k });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.pagination.total, 7);
        assert.equal(res.body.pagination.limit, 3);
        if (pages === 0) assert.equal(res.body.links.prev, null);
        seen.push(...res.body.data.map((i: { id: string }) => i.id));
        next = res.body.links.next;
        lastPage = res.body;
        pages++;
      }
      assert.equal(pages, 3);
      assert.deepEqual(seen, ids);
      // Walking back from the last page gives the page before it.
      const prev = await call(world, "GET", (lastPage.links as { prev: string }).prev, { key: k });
      assert.deepEqual(prev.body.data.map((i: { id: string }) => i.id), ids.slice(3, 6));
      const first = await call(world, "GET", `${IDENTITIES}?page[before]=${ids[3]}&page[size]=3`, { key: k });
      assert.deepEqual(first.body.data.map((i: { id: string }) => i.id), ids.slice(0, 3));
      assert.equal(first.body.links.prev, null);
      assert.ok(
        first.body.links.next.includes(`page%5Bafter%5D=${ids[2]}`) ||
          first.body.links.next.includes(`page[after]=${ids[2]}`),
      );
      // Filters carry over to the links.
      const filtered = await call(world, "GET", `${IDENTITIES}?page[size]=2&q=c_`, { key: k });
      assert.ok(filtered.body.links.next.includes("q=c_"));

      const bad = [
        `${IDENTITIES}?page[after]=${ids[0]}&page[before]=${ids[1]}`,
        `${IDENTITIES}?page[size]=0`,
        `${IDENTITIES}?page[size]=101`,
        `${IDENTITIES}?page[after]=${ids[0]}&offset=2`,
        `${IDENTITIES}?page[after]=idn_unknown`,
      ];
      for (const path of bad) assert.equal((await call(world, "GET", path, { key: k })).status, 400, path);
      // A cursor from another org names nothing here.
      assert.equal((await call(world, "GET", `${IDENTITIES}?page[after]=${ids[0]}`, { key })).status, 400);
    });

    await t.step("responses follow Key-Inflection", async () => {
      const res = await call(world, "GET", `${IDENTITIES}/cust_1`, { key, headers: { "Key-Inflection": "camel" } });
      assert.equal(res.status, 200);
      assert.ok("externalRef" in res.body && "sessionCount" in res.body && "isFlagged" in res.body);
    });
  } finally {
    await world.close();
  }
});
