/**
 * Owns the tests of what a publishable key (public: it ships in web pages) may put in a session
 * (issue #15, item 2): it names nobody, picks no workflow, checks, metadata, pre-fill or invitation,
 * and redirects only to its own allowed origins; its sessions, whatever their outcome, leave
 * another person's identity alone until a secret key attaches them with PATCH external_ref.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { type Body, call, createSession } from "../helpers/sessions.ts";
import { assertError, capture, captureDocuments, expectOk, SESSIONS, tokenOf } from "../helpers/capture.ts";
import { decidedSession, IDENTITIES } from "../helpers/identities.ts";

const VICTIM = "victim_user_42";

/** The applicant's side of a publishable session: capture, complete, and pick the sandbox outcome. */
async function completeInBrowser(world: TestWorld, session: Body, outcome: "approve" | "reject"): Promise<void> {
  const token = tokenOf(session);
  await captureDocuments(world, token);
  expectOk(await capture(world, token, "POST", "complete"), "complete");
  expectOk(await capture(world, token, "POST", "sandbox-outcome", { outcome }), "sandbox-outcome");
}

async function identity(world: TestWorld, key: string, ref: string): Promise<Body> {
  const res = await call(world, "GET", `${IDENTITIES}/${ref}`, { key });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

Deno.test("publishable-key sessions cannot name, steer or rewrite anyone", async (t) => {
  const world = await createTestWorld();
  const secret = world.org.sandbox_secret_key;
  const pub = world.org.sandbox_publishable_key;
  // A publishable key may make 10 calls a minute: each call here starts a fresh window.
  const create = (body: unknown, key = pub, headers?: Record<string, string>) => {
    world.clock.advance(60_000);
    return call(world, "POST", SESSIONS, { key, body, headers });
  };
  try {
    // The victim: verified through the customer's backend (a secret key), with personal data.
    const victimSession = await decidedSession(world, secret, VICTIM, "approve");
    const before = await identity(world, secret, VICTIM);
    assert.equal(before.status, "verified");
    assert.equal(before.latest_session_id, victimSession.id);
    assert.ok(Object.keys(before.extracted_data).length > 0, "the victim has personal data on file");

    await t.step(
      "external_ref, workflow_id, checks, metadata, fields and invitations are 422, each named",
      async () => {
        const refused: [Body, string][] = [
          [{ external_ref: VICTIM }, "external_ref"],
          [{ reference_id: VICTIM }, "external_ref"],
          [{ data: { attributes: { referenceId: VICTIM } } }, "external_ref"],
          [{ workflow_id: "wf_anything" }, "workflow_id"],
          [{ template_id: "wf_anything" }, "workflow_id"],
          [{ checks: ["document"] }, "checks"],
          [{ metadata: { plan: "gold" } }, "metadata"],
          [{ note: "hello" }, "metadata"],
          [{ fields: { name_first: "Mallory" } }, "fields"],
          [{ send_email: true, applicant_email: "someone@example.com" }, "send_email"],
          [{ redirect_url: "https://evil.example/phish" }, "redirect_url"],
        ];
        for (const [body, field] of refused) {
          const res = await create(body);
          const error = assertError(res, 422, "validation_error");
          assert.ok(error.fields[field], `${JSON.stringify(body)}: ${JSON.stringify(error.fields)}`);
          assert.match(error.fields[field], /publishable key/);
        }
        const all = await create({
          external_ref: VICTIM,
          workflow_id: "wf_x",
          metadata: { a: 1 },
          fields: { ssn: "123-45-6789" },
        });
        assert.deepEqual(
          Object.keys(assertError(all, 422, "validation_error").fields).sort(),
          ["external_ref", "fields", "metadata", "workflow_id"],
        );
        // Nothing a client sends as its defaults is refused, and a plain session is still a 201.
        const plain = await create({ external_ref: null, metadata: {}, send_email: false, country: "US" });
        assert.equal(plain.status, 201, JSON.stringify(plain.body));
        assert.equal(plain.body.external_ref, null);
      },
    );

    await t.step(
      "sessions naming the victim, rejected and approved, leave the victim's identity as it was",
      async () => {
        const statuses: number[] = [];
        for (const outcome of ["reject", "approve"] as const) {
          const res = await create({ reference_id: VICTIM });
          statuses.push(res.status);
          // Were one accepted, the applicant would take it to its outcome: do so, to see what it overwrites.
          if (res.status === 201) await completeInBrowser(world, res.body, outcome);
        }
        const after = await identity(world, secret, VICTIM);
        assert.equal(after.status, "verified");
        assert.equal(after.latest_session_id, victimSession.id);
        assert.equal(after.session_count, before.session_count);
        assert.deepEqual(after.extracted_data, before.extracted_data);
        assert.deepEqual(statuses, [422, 422]);
      },
    );

    await t.step("publishable sessions that complete (approved, rejected) touch no identity", async () => {
      for (const outcome of ["reject", "approve"] as const) {
        const session = (await create({})).body;
        await completeInBrowser(world, session, outcome);
        const row = await world.db.selectFrom("sessions").selectAll().where("id", "=", session.id)
          .executeTakeFirstOrThrow();
        assert.equal(row.status, "completed");
        assert.equal(row.external_ref, null);
        assert.equal(row.identity_id, null, `${outcome}: linked to nobody`);
      }
      const after = await identity(world, secret, VICTIM);
      assert.equal(after.status, "verified");
      assert.equal(after.latest_session_id, victimSession.id);
      assert.deepEqual(after.extracted_data, before.extracted_data);
      const identities = await world.db.selectFrom("identities").select("external_ref")
        .where("org_id", "=", world.org.org_id).execute();
      assert.deepEqual(identities.map((i) => i.external_ref), [VICTIM]);
    });

    await t.step("a secret key attaches a completed publishable session with PATCH external_ref", async () => {
      const session = (await create({})).body;
      await completeInBrowser(world, session, "approve");
      // The publishable key itself cannot attach it.
      const byPub = await call(world, "PATCH", `${SESSIONS}/${session.id}`, { key: pub, body: { external_ref: "u" } });
      assertError(byPub, 403, "insufficient_scope");
      const attached = await call(world, "PATCH", `${SESSIONS}/${session.id}`, {
        key: secret,
        body: { external_ref: "customer_user_7" },
      });
      assert.equal(attached.status, 200, JSON.stringify(attached.body));
      assert.equal(attached.body.external_ref, "customer_user_7");
      const linked = await identity(world, secret, "customer_user_7");
      assert.equal(linked.status, "verified");
      assert.equal(linked.latest_session_id, session.id);
      assert.equal(linked.session_count, 1);
      assert.equal(attached.body.identity_id, linked.id);
      // The victim is still untouched.
      assert.equal((await identity(world, secret, VICTIM)).latest_session_id, victimSession.id);
    });

    await t.step("a session attached before its outcome links when the outcome is recorded", async () => {
      const session = (await create({})).body;
      await call(world, "PATCH", `${SESSIONS}/${session.id}`, { key: secret, body: { external_ref: "early_user" } });
      await completeInBrowser(world, session, "reject");
      const linked = await identity(world, secret, "early_user");
      assert.equal(linked.status, "rejected");
      assert.equal(linked.latest_session_id, session.id);
    });

    await t.step("redirect_url only on one of the key's allowed origins", async () => {
      const minted = await call(world, "POST", "/api/v1/api-keys", {
        key: secret,
        body: { type: "publishable", allowed_origins: ["https://shop.example"] },
      });
      assert.equal(minted.status, 201, JSON.stringify(minted.body));
      const scoped = minted.body.secret as string;
      const origin = { Origin: "https://shop.example" };
      const ok = await create({ redirect_url: "https://shop.example/kyc/done?x=1" }, scoped, origin);
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(
        (await world.db.selectFrom("sessions").select("redirect_url").where("id", "=", ok.body.id)
          .executeTakeFirstOrThrow()).redirect_url,
        "https://shop.example/kyc/done?x=1",
      );
      for (const url of ["https://evil.example/", "https://shop.example.evil.example/", "http://shop.example/"]) {
        const res = await create({ redirect_url: url }, scoped, origin);
        const error = assertError(res, 422, "validation_error");
        assert.match(error.fields.redirect_url, /allowed origins \(https:\/\/shop\.example\)/, url);
      }
      // The starter publishable key has no allowed origins: no redirect at all.
      const none = assertError(await create({ redirect_url: "https://shop.example/done" }), 422, "validation_error");
      assert.match(none.fields.redirect_url, /no allowed_origins/);
    });

    await t.step("a secret key still sets all of it", async () => {
      const s = await createSession(world, secret, {
        external_ref: "backend_user",
        metadata: { plan: "gold" },
        fields: { first_name: "Jane" },
        checks: ["document"],
        redirect_url: "https://anywhere.example/done",
      });
      assert.equal(s.external_ref, "backend_user");
    });
  } finally {
    await world.close();
  }
});
