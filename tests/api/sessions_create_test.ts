/**
 * Owns the create-session contract through HTTP: the response shape, every create field, the
 * validation limits, key casing, the JSON:API envelope, the Persona aliases, encryption of
 * pre-filled fields, authentication and Idempotency-Key.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import {
  assertPngDataUrl,
  type Body,
  call,
  countSessions,
  createSession,
  insertWorkflow,
  isoPlusMinutes,
  sessionEventTypes,
  sessionRow,
  setOrgSettings,
} from "../helpers/sessions.ts";
import { hashSecret } from "../../core/crypto/hmac.ts";
import { sessionFieldContext } from "../../core/sessions/service.ts";

const SESSIONS = "/api/v1/sessions";

Deno.test("POST /api/v1/sessions", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const post = (body: unknown, headers?: Record<string, string>, k = key) =>
    call(world, "POST", SESSIONS, { key: k, body, headers });
  const get = async (id: string) => {
    const res = await call(world, "GET", `${SESSIONS}/${id}`, { key });
    assert.equal(res.status, 200);
    return res.body;
  };
  for (const id of ["wfl_custom", "wfl_1", "itmpl_abc"]) await insertWorkflow(world, world.org.org_id, "sandbox", id);
  await insertWorkflow(world, world.org.org_id, "live", "wfl_live_only");
  /** Fields are encrypted at rest; the test world holds the key ring, so it can read what was stored. */
  const storedFields = async (id: string) => {
    const row = await sessionRow(world, id);
    assert.ok(row.fields_enc, "fields_enc is empty");
    return world.deps.keyRing.decryptJson<Body>(row.fields_enc, sessionFieldContext(id, "fields_enc"));
  };
  try {
    await t.step(
      "an empty body creates a pending sandbox session with capture URL, QR and a 20-minute window",
      async () => {
        const res = await post({});
        assert.equal(res.status, 201);
        const s = res.body;
        assert.match(s.id, /^ses_[0-9a-z]+$/);
        assert.equal(s.status, "pending");
        assert.equal(s.is_sandbox, true);
        assert.match(s.capture_url, /^http:\/\/verifa\.test\/verify\/tok_[0-9a-z]{26,}$/);
        assertPngDataUrl(s.qr_code_data_url);
        assert.equal(new Date(s.created_at).toISOString(), s.created_at);
        assert.equal(s.expires_at, isoPlusMinutes(s.created_at, 20));
        assert.deepEqual(s.tags, []);
        assert.equal(s.external_ref, null);
        assert.deepEqual(await sessionEventTypes(world, s.id), ["session.created"]);
      },
    );

    await t.step(
      "workflow_id defaults to the org's default workflow and must name one in this environment",
      async () => {
        const defaultWorkflow = await world.db.selectFrom("workflows").select(["id", "name"])
          .where("org_id", "=", world.org.org_id).where("environment", "=", "sandbox").where("is_default", "=", true)
          .executeTakeFirstOrThrow();
        assert.equal(defaultWorkflow.name, "ID & Selfie + Age Verification");
        assert.equal((await createSession(world, key)).workflow_id, defaultWorkflow.id);
        for (const workflowId of ["wfl_nope", "wfl_live_only"]) {
          const res = await post({ workflow_id: workflowId });
          assert.equal(res.status, 422, workflowId);
          assert.equal(res.body.error, "validation_error");
          assert.ok(res.body.fields.workflow_id, JSON.stringify(res.body));
        }
      },
    );

    await t.step("the capture token is stored only as a hash and is unique per session", async () => {
      const a = await createSession(world, key);
      const b = await createSession(world, key);
      const tokenA = a.capture_url.split("/verify/")[1];
      const tokenB = b.capture_url.split("/verify/")[1];
      assert.notEqual(tokenA, tokenB);
      const row = await sessionRow(world, a.id);
      assert.equal(row.capture_token_hash, hashSecret(tokenA));
      assert.ok(!JSON.stringify(row).includes(tokenA), "the plaintext token is stored");
    });

    await t.step("every documented field is stored and returned", async () => {
      const body = {
        external_ref: "user_123",
        country: "CA",
        workflow_id: "wfl_custom",
        metadata: { plan: "gold", nested: { a: [1, 2] }, camelKey: true, "kebab-key": 1 },
        redirect_url: "https://example.com/done?x=1",
        checks: ["document_ocr", "face_match"],
      };
      const created = await createSession(world, key, body);
      for (const s of [created, await get(created.id)]) {
        assert.equal(s.external_ref, "user_123");
        assert.equal(s.country, "CA");
        assert.equal(s.workflow_id, "wfl_custom");
        assert.deepEqual(s.metadata, body.metadata);
        assert.equal(s.redirect_url, "https://example.com/done?x=1");
        assert.deepEqual(s.checks, ["document_ocr", "face_match"]);
      }
    });

    await t.step("country must be exactly 2 letters", async () => {
      for (const country of ["USA", "U", "", "1A", 12]) {
        const res = await post({ country });
        assert.equal(res.status, 422, `country ${JSON.stringify(country)} was accepted`);
        assert.equal(res.body.error, "validation_error");
        assert.equal(res.body.status_code, 422);
        assert.equal(typeof res.body.fields.country, "string");
      }
      assert.equal((await createSession(world, key, { country: "de" })).country, "DE");
    });

    await t.step("metadata is limited to 50 keys and 16 KB per value, and a refused body creates nothing", async () => {
      const before = await countSessions(world, world.org.org_id);
      const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
      assert.equal(Object.keys((await createSession(world, key, { metadata: fifty })).metadata).length, 50);

      const tooMany = await post({ metadata: { ...fifty, k50: 50 } });
      assert.equal(tooMany.status, 422);
      assert.ok(Object.keys(tooMany.body.fields).some((f) => f.startsWith("metadata")), JSON.stringify(tooMany.body));

      // 16 KB serialised: a string of 16,382 chars plus its two quotes fits; one more byte does not.
      assert.equal((await post({ metadata: { big: "x".repeat(16 * 1024 - 2) } })).status, 201);
      const tooBig = await post({ metadata: { big: "x".repeat(16 * 1024 - 1) } });
      assert.equal(tooBig.status, 422);
      assert.ok(Object.keys(tooBig.body.fields).some((f) => f.startsWith("metadata")), JSON.stringify(tooBig.body));
      // Multi-byte characters count as UTF-8 bytes.
      assert.equal((await post({ metadata: { big: "é".repeat(8 * 1024) } })).status, 422);

      const list = await call(world, "GET", `${SESSIONS}?limit=1`, { key });
      assert.equal(list.body.pagination.total, before + 2);
      assert.equal(await countSessions(world, world.org.org_id), before + 2);
    });

    await t.step("snake, camel and kebab keys are accepted; metadata keys are kept as sent", async () => {
      const metadata = { someKey: 1, "other-key": 2, third_key: 3 };
      for (
        const body of [
          { external_ref: "snake", redirect_url: "https://e.com/a", workflow_id: "wfl_1", metadata },
          { externalRef: "camel", redirectUrl: "https://e.com/a", workflowId: "wfl_1", metadata },
          { "external-ref": "kebab", "redirect-url": "https://e.com/a", "workflow-id": "wfl_1", metadata },
        ]
      ) {
        const s = await get((await createSession(world, key, body)).id);
        assert.equal(s.external_ref, Object.values(body)[0]);
        assert.equal(s.redirect_url, "https://e.com/a");
        assert.equal(s.workflow_id, "wfl_1");
        assert.deepEqual(s.metadata, metadata);
      }
    });

    await t.step("a JSON:API envelope is unwrapped and its sibling keys are ignored", async () => {
      const res = await post({
        data: { type: "inquiry", attributes: { externalRef: "env_1", country: "GB", metadata: { a: 1 } } },
        meta: { anything: true },
        included: [],
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const s = await get(res.body.id);
      assert.equal(s.external_ref, "env_1");
      assert.equal(s.country, "GB");
      assert.deepEqual(s.metadata, { a: 1 });
    });

    await t.step("every top-level Persona alias reaches the stored session", async () => {
      for (const refAlias of ["reference_id", "reference-id", "referenceId"]) {
        const s = await get((await createSession(world, key, { [refAlias]: `ref_${refAlias}` })).id);
        assert.equal(s.external_ref, `ref_${refAlias}`, refAlias);
      }
      for (const templateAlias of ["template_id", "inquiry_template_id", "inquiry-template-id", "inquiryTemplateId"]) {
        const s = await get((await createSession(world, key, { [templateAlias]: "itmpl_abc" })).id);
        assert.equal(s.workflow_id, "itmpl_abc", templateAlias);
      }
      const s = await get(
        (await createSession(world, key, {
          redirect_uri: "https://example.com/back",
          country_code: "fr",
          note: "migrated from Persona",
          metadata: { source: "persona" },
        })).id,
      );
      assert.equal(s.redirect_url, "https://example.com/back");
      assert.equal(s.country, "FR");
      assert.deepEqual(s.metadata, { source: "persona", note: "migrated from Persona" });
      assert.deepEqual((await get((await createSession(world, key, { note: "only" })).id)).metadata, { note: "only" });
    });

    await t.step("an alias and its canonical name with different values is refused", async () => {
      const res = await post({ reference_id: "a", external_ref: "b" });
      assert.equal(res.status, 422);
      assert.equal(typeof res.body.fields.external_ref, "string");
    });

    await t.step("fields are stored encrypted: no column holds the plaintext", async () => {
      const s = await createSession(world, key, {
        fields: { first_name: "Zebediah", last_name: "Quistgaard", email: "zeb@example.org", ssn: "123-45-6789" },
        applicant_email: "invitee@example.org",
      });
      const row = await sessionRow(world, s.id);
      assert.ok(row.fields_enc);
      const stored = JSON.stringify(row);
      for (const secret of ["Zebediah", "Quistgaard", "zeb@example.org", "123-45-6789", "invitee@example.org"]) {
        assert.ok(!stored.includes(secret), `${secret} is stored in plaintext`);
      }
      const responses = JSON.stringify([s, await get(s.id)]);
      assert.ok(!responses.includes("Zebediah"), "pre-filled fields are echoed in a response");
      const events = JSON.stringify(
        await world.db.selectFrom("events").selectAll().where("session_id", "=", s.id)
          .execute(),
      );
      assert.ok(!events.includes("Zebediah"), "an event carries PII");
    });

    await t.step("every Persona alias inside fields, plain or {type, value}, maps to the canonical field", async () => {
      const wrap = (value: string) => ({ type: "string", value });
      const res = await post({
        fields: {
          name_first: wrap("Alicia"),
          "name-last": "Marquez",
          nameMiddle: wrap("B"),
          birthdate: wrap("1990-02-03"),
          email_address: "alicia@example.org",
          phone_number: wrap("+1 415 555 0100"),
          address_street_1: wrap("1 Market St"),
          addressStreet2: "Suite 5",
          address_city: wrap("San Francisco"),
          address_subdivision: "CA",
          "address-postal-code": wrap("94105"),
          address_country_code: wrap("us"),
          identification_number: wrap("X1234567"),
        },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const row = await sessionRow(world, res.body.id);
      for (const plain of ["Alicia", "Marquez", "1 Market St", "X1234567", "alicia@example.org"]) {
        assert.ok(!(row.fields_enc ?? "").includes(plain), `${plain} is stored in plaintext`);
      }
      assert.deepEqual(await storedFields(res.body.id), {
        first_name: "Alicia",
        last_name: "Marquez",
        middle_name: "B",
        date_of_birth: "1990-02-03",
        email: "alicia@example.org",
        phone: "+1 415 555 0100",
        document_number: "X1234567",
        address: {
          line1: "1 Market St",
          line2: "Suite 5",
          city: "San Francisco",
          state: "CA",
          zip: "94105",
          country: "US",
        },
      });
    });

    await t.step("canonical field names are accepted as well, and an unknown field key is refused", async () => {
      const ok = await post({ fields: { first_name: "Ana", date_of_birth: "2000-01-31", address: { city: "Oslo" } } });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.deepEqual(await storedFields(ok.body.id), {
        first_name: "Ana",
        date_of_birth: "2000-01-31",
        address: { city: "Oslo" },
      });
      const bad = await post({ fields: { first_name: "Ana", favourite_colour: "blue" } });
      assert.equal(bad.status, 422);
      assert.equal(typeof bad.body.fields["fields.favourite_colour"], "string", JSON.stringify(bad.body));
      const badDate = await post({ fields: { birthdate: { type: "date", value: "1990-02-30" } } });
      assert.equal(badDate.status, 422);
      assert.equal(typeof badDate.body.fields["fields.date_of_birth"], "string", JSON.stringify(badDate.body));
    });

    await t.step("unknown top-level keys and wrong types are refused with a field path", async () => {
      const unknown = await post({ external_ref: "x", colour: "red" });
      assert.equal(unknown.status, 422);
      assert.equal(unknown.body.error, "validation_error");
      assert.equal(typeof unknown.body.fields.colour, "string");
      assert.equal(typeof unknown.body.detail, "string");

      const script = await post({ redirect_url: "javascript:alert(1)" });
      assert.equal(script.status, 422);
      assert.equal(typeof script.body.fields.redirect_url, "string");
      assert.equal((await post({ checks: "face_match" })).status, 422);
      assert.equal((await post({ metadata: ["a"] })).status, 422);
    });

    await t.step("send_email needs an applicant email at top level or in metadata", async () => {
      const res = await post({ send_email: true });
      assert.equal(res.status, 422);
      assert.equal(typeof res.body.fields.applicant_email, "string");
      assert.equal((await post({ send_email: true, applicant_email: "a@example.org" })).status, 201);
      assert.equal((await post({ send_email: true, metadata: { applicant_email: "a@example.org" } })).status, 201);
    });

    await t.step("malformed JSON is 400 invalid_json and a non-object body is 422", async () => {
      const malformed = await post('{"external_ref": ');
      assert.equal(malformed.status, 400);
      assert.deepEqual(malformed.body, {
        error: "invalid_json",
        detail: malformed.body.detail,
        status_code: 400,
      });
      for (const body of ["[1,2]", '"text"', "42", "true", "null"]) {
        const res = await post(body);
        assert.equal(res.status, 422, `body ${body} gave ${res.status}`);
        assert.equal(res.body.error, "validation_error");
      }
    });

    await t.step("the capture window follows the org's capture_token_ttl_minutes", async () => {
      await setOrgSettings(world, world.org.org_id, { capture_token_ttl_minutes: 5 });
      try {
        const s = await createSession(world, key);
        assert.equal(s.expires_at, isoPlusMinutes(s.created_at, 5));
      } finally {
        await setOrgSettings(world, world.org.org_id, {});
      }
    });

    await t.step(
      "settings and default-workflow changes through the API apply to the next session at once",
      async () => {
        // New sessions' defaults are remembered for a few seconds (core/orgs/session_defaults.ts); a
        // change made through the product must not wait for that.
        const live = world.org.live_secret_key;
        const postLive = (body: unknown) => call(world, "POST", SESSIONS, { key: live, body });
        const before = await postLive({});
        assert.equal(before.status, 201);
        const patched = await call(world, "PATCH", "/api/v1/settings", {
          key: live,
          body: { capture_token_ttl_minutes: 7 },
        });
        assert.equal(patched.status, 200, JSON.stringify(patched.body));
        const after = await postLive({});
        assert.equal(after.body.expires_at, isoPlusMinutes(after.body.created_at, 7));
        const workflow = await call(world, "POST", "/api/v1/workflows", {
          key: live,
          body: { name: "Moved default", template: "blank", is_default: true },
        });
        assert.equal(workflow.status, 201, JSON.stringify(workflow.body));
        const onNewDefault = await postLive({});
        assert.equal(onNewDefault.body.workflow_id, workflow.body.id);
        assert.notEqual(before.body.workflow_id, workflow.body.id);
        await call(world, "PATCH", "/api/v1/settings", { key: live, body: { capture_token_ttl_minutes: null } });
      },
    );

    await t.step("authentication: no key is 401; the publishable key can create but not list", async () => {
      const before = await countSessions(world, world.org.org_id);
      const anonymous = await call(world, "POST", SESSIONS, { body: {} });
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.body.error, "unauthorized");
      assert.equal(anonymous.body.status_code, 401);
      const badKey = await post({}, undefined, "vk_sandbox_notarealkey");
      assert.equal(badKey.status, 401);
      assert.equal(await countSessions(world, world.org.org_id), before);

      // A publishable key names nobody (issue #15): a secret key attaches the session later.
      const named = await post({ external_ref: "from_browser" }, undefined, world.org.sandbox_publishable_key);
      assert.equal(named.status, 422, JSON.stringify(named.body));
      assert.ok(named.body.fields.external_ref);
      const pub = await post({}, undefined, world.org.sandbox_publishable_key);
      assert.equal(pub.status, 201, JSON.stringify(pub.body));
      assert.equal(pub.body.is_sandbox, true);
      assert.match(pub.body.capture_url, /\/verify\/tok_/);

      const list = await call(world, "GET", SESSIONS, { key: world.org.sandbox_publishable_key });
      assert.equal(list.status, 403);
      assert.equal(list.body.error, "insufficient_scope");
      const read = await call(world, "GET", `${SESSIONS}/${pub.body.id}`, { key: world.org.sandbox_publishable_key });
      assert.equal(read.status, 403);
    });

    await t.step("Authorization: Bearer works like X-API-Key", async () => {
      const res = await call(world, "POST", SESSIONS, { body: {}, headers: { Authorization: `Bearer ${key}` } });
      assert.equal(res.status, 201);
    });

    await t.step("a live key creates live sessions", async () => {
      const s = await createSession(world, world.org.live_secret_key, { external_ref: "live_1" });
      assert.equal(s.is_sandbox, false);
      const got = await call(world, "GET", `${SESSIONS}/${s.id}`, { key: world.org.live_secret_key });
      assert.equal(got.body.environment, "live");
    });
  } finally {
    await world.close();
  }
});

Deno.test("POST /api/v1/sessions with Idempotency-Key", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const post = (body: unknown, idem: string, k = key) =>
    call(world, "POST", SESSIONS, { key: k, body, headers: { "Idempotency-Key": idem } });
  const sessionsWithRef = async (
    ref: string,
  ) => (await world.db.selectFrom("sessions").select(["id", "environment"]).where("external_ref", "=", ref).execute());
  try {
    await t.step("a replay returns the stored status and body and creates one session", async () => {
      const first = await post({ external_ref: "idem_1", metadata: { a: 1, b: 2 } }, "signup_user_1");
      assert.equal(first.status, 201);
      // Key order and whitespace do not make a different request.
      const replay = await call(world, "POST", SESSIONS, {
        key,
        body: '{ "metadata": {"b": 2, "a": 1}, "external_ref": "idem_1" }',
        headers: { "Idempotency-Key": "signup_user_1" },
      });
      assert.equal(replay.status, 201);
      assert.deepEqual(replay.body, first.body);
      assert.equal((await sessionsWithRef("idem_1")).length, 1);
      assert.deepEqual(await sessionEventTypes(world, first.body.id), ["session.created"]);
    });

    await t.step("the same key with a different body is 422 idempotency_mismatch", async () => {
      await post({ external_ref: "idem_2" }, "k2");
      const res = await post({ external_ref: "idem_2_changed" }, "k2");
      assert.equal(res.status, 422);
      assert.deepEqual(res.body, {
        error: "idempotency_mismatch",
        detail: "Idempotency key has already been used with different parameters.",
        status_code: 422,
      });
      assert.equal((await sessionsWithRef("idem_2_changed")).length, 0);
    });

    await t.step("identical requests racing create exactly one session", async () => {
      const replies = await Promise.all(Array.from({ length: 5 }, () => post({ external_ref: "idem_race" }, "race")));
      const created = replies.filter((r) => r.status === 201);
      const busy = replies.filter((r) => r.status === 409);
      assert.equal(created.length + busy.length, 5, JSON.stringify(replies.map((r) => r.status)));
      assert.ok(created.length >= 1);
      for (const r of created) assert.deepEqual(r.body, created[0].body);
      for (const r of busy) assert.equal(r.body.error, "idempotency_in_progress");
      assert.equal((await sessionsWithRef("idem_race")).length, 1);
      // Once the first has finished, a retry replays it.
      const later = await post({ external_ref: "idem_race" }, "race");
      assert.equal(later.status, 201);
      assert.equal(later.body.id, created[0].body.id);
    });

    await t.step("keys are at most 255 characters", async () => {
      const tooLong = await post({ external_ref: "idem_long" }, "k".repeat(256));
      assert.equal(tooLong.status, 400);
      assert.equal(tooLong.body.status_code, 400);
      assert.equal((await sessionsWithRef("idem_long")).length, 0);
      assert.equal((await post({ external_ref: "idem_long" }, "k".repeat(255))).status, 201);
    });

    await t.step("the live key's namespace is separate from the sandbox key's", async () => {
      const sandbox = await post({ external_ref: "idem_env" }, "shared-key");
      const live = await post({ external_ref: "idem_env" }, "shared-key", world.org.live_secret_key);
      assert.equal(sandbox.status, 201);
      assert.equal(live.status, 201);
      assert.notEqual(live.body.id, sandbox.body.id);
      assert.equal(live.body.is_sandbox, false);
      assert.equal((await sessionsWithRef("idem_env")).length, 2);
    });

    await t.step("another org's identical key is its own namespace", async () => {
      const other = await world.provisionOrg("idem-other-org");
      const mine = await post({ external_ref: "idem_org" }, "org-key");
      const theirs = await post({ external_ref: "idem_org" }, "org-key", other.sandbox_secret_key);
      assert.equal(theirs.status, 201);
      assert.notEqual(theirs.body.id, mine.body.id);
    });

    await t.step("a request without the header is never deduplicated", async () => {
      await createSession(world, key, { external_ref: "idem_none" });
      await createSession(world, key, { external_ref: "idem_none" });
      assert.equal((await sessionsWithRef("idem_none")).length, 2);
    });
  } finally {
    await world.close();
  }
});
