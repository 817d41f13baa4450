/**
 * The dashboard's Identities pages over HTTP, signed in as real operators: the list (status
 * filter, external_ref search, archived toggle, pages), an identity's page (status, PII as the API
 * shows it under `api_pii_fields`, sessions linking to their pages, tags, flag state), flag/unflag
 * and archive/restore, and the refusals: a viewer's posts (403), another org's identity (404).
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { call, setOrgSettings } from "../helpers/sessions.ts";
import { createIdentity, decidedSession, identityRow } from "../helpers/identities.ts";
import { signIn } from "../helpers/dashboard_pages.ts";

Deno.test("dashboard identities", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const reviewer = await signIn(world, world.org.org_id, "reviewer");
  const viewer = await signIn(world, world.org.org_id, "viewer");
  const other = await world.provisionOrg("other-org");
  const outsider = await signIn(world, other.org_id, "admin");

  const listed = (page: string) => [...page.matchAll(/<tr data-identity-id="([^"]+)"/g)].map((m) => m[1]);

  try {
    const approved = await decidedSession(world, key, "cust-jane", "approve");
    const declined = await decidedSession(world, key, "cust-other", "decline");
    const jane = (await call(world, "GET", "/api/v1/identities/cust-jane", { key })).body;
    const otherId = (await call(world, "GET", "/api/v1/identities/cust-other", { key })).body.id;
    await call(world, "POST", `/api/v1/identities/${jane.id}/tags/add`, { key, body: { tags: ["vip", "kyc-2"] } });

    await t.step("the list filters by status, searches external_ref and pages", async () => {
      const all = await viewer.page("/dashboard/identities");
      assert.equal(all.status, 200);
      assert.deepEqual(listed(all.html), [otherId, jane.id]);
      assert.deepEqual(listed((await viewer.page("/dashboard/identities?status=verified")).html), [jane.id]);
      assert.deepEqual(listed((await viewer.page("/dashboard/identities?status=rejected")).html), [otherId]);
      assert.deepEqual(listed((await viewer.page("/dashboard/identities?q=JANE")).html), [jane.id]);
      for (let i = 0; i < 25; i++) await createIdentity(world, key, `bulk-${i}`);
      const first = await viewer.page("/dashboard/identities");
      assert.equal(listed(first.html).length, 25);
      assert.match(first.html, /rel="next"/);
      assert.deepEqual(listed((await viewer.page("/dashboard/identities?page=2")).html), [otherId, jane.id]);
    });

    await t.step("an identity's page: status, PII as the API shows it, sessions, tags, flag state", async () => {
      const page = await viewer.page(`/dashboard/identities/${jane.id}`);
      assert.equal(page.status, 200);
      assert.match(page.html, /data-identity-status="verified"/);
      assert.match(page.html, /<dd data-pii="first_name">Jane<\/dd>/);
      assert.match(page.html, /<dd data-pii="last_name">Doe<\/dd>/);
      assert.match(page.html, /<dd data-pii="address">line1: 123 Main St, city: San Francisco/);
      assert.ok(page.html.includes(`href="/dashboard/verifications/${approved.id}"`));
      assert.doesNotMatch(page.html, new RegExp(declined.id));
      assert.match(page.html, /<span class="badge tag">vip<\/span><span class="badge tag">kyc-2<\/span>/);
      assert.match(page.html, /data-flag-state="not_flagged"/);
      assert.doesNotMatch(page.html, /data-action="flag"/, "viewers see no actions");
      // The external_ref names the identity too, as in the API.
      assert.equal((await viewer.page("/dashboard/identities/cust-jane")).status, 200);

      await setOrgSettings(world, world.org.org_id, { api_pii_fields: ["first_name"] });
      const filtered = await viewer.page(`/dashboard/identities/${jane.id}`);
      assert.match(filtered.html, /data-pii="first_name"/);
      assert.doesNotMatch(filtered.html, /data-pii="last_name"/);
      assert.doesNotMatch(filtered.html, /Doe/);
      await setOrgSettings(world, world.org.org_id, {});
    });

    await t.step("a reviewer flags and unflags; an empty reason is refused", async () => {
      const empty = await reviewer.post(`/dashboard/identities/${jane.id}/flag`, { reason: " " });
      assert.equal(empty.status, 422);
      assert.match(empty.html, /data-field-errors="reason"/);
      const flagged = await reviewer.post(`/dashboard/identities/${jane.id}/flag`, { reason: "Chargeback" });
      assert.equal(flagged.status, 303);
      assert.equal(flagged.location, `/dashboard/identities/${jane.id}?notice=flagged`);
      const row = await identityRow(world, jane.id);
      assert.equal(row.is_flagged, true);
      assert.equal(row.flag_reason, "Chargeback");
      assert.equal(row.flagged_by, reviewer.operator.id);
      const page = await reviewer.page(`/dashboard/identities/${jane.id}?notice=flagged`);
      assert.match(page.html, /data-flag-state="flagged">Flagged [^<]*: Chargeback/);
      assert.match(page.html, /data-action="unflag"/);
      assert.match((await reviewer.page("/dashboard/identities?q=cust-jane")).html, /data-flagged/);
      assert.equal((await reviewer.post(`/dashboard/identities/${jane.id}/unflag`, {})).status, 303);
      assert.equal((await identityRow(world, jane.id)).is_flagged, false);
    });

    await t.step("archive hides the identity from the list until restored", async () => {
      const archived = await reviewer.post(`/dashboard/identities/${otherId}/archive`, {});
      assert.equal(archived.status, 303);
      assert.ok((await identityRow(world, otherId)).archived_at);
      assert.ok(!listed((await reviewer.page("/dashboard/identities?page=2")).html).includes(otherId));
      const withArchived = await reviewer.page("/dashboard/identities?q=cust-other&archived=1");
      assert.deepEqual(listed(withArchived.html), [otherId]);
      assert.match((await reviewer.page(`/dashboard/identities/${otherId}`)).html, /data-action="restore"/);
      assert.equal((await reviewer.post(`/dashboard/identities/${otherId}/restore`, {})).status, 303);
      assert.equal((await identityRow(world, otherId)).archived_at, null);
    });

    await t.step("a viewer gets 403 on every change", async () => {
      for (const action of ["flag", "unflag", "archive", "restore"]) {
        const res = await viewer.post(`/dashboard/identities/${jane.id}/${action}`, { reason: "x" });
        assert.equal(res.status, 403, action);
      }
      const row = await identityRow(world, jane.id);
      assert.equal(row.is_flagged, false);
      assert.equal(row.archived_at, null);
    });

    await t.step("another organisation's identity is a 404", async () => {
      assert.equal((await outsider.page(`/dashboard/identities/${jane.id}`)).status, 404);
      assert.equal((await outsider.page("/dashboard/identities/cust-jane")).status, 404);
      for (const action of ["flag", "archive"]) {
        const res = await outsider.post(`/dashboard/identities/${jane.id}/${action}`, { reason: "x" });
        assert.equal(res.status, 404, action);
      }
      assert.deepEqual(listed((await outsider.page("/dashboard/identities")).html), []);
      assert.equal((await identityRow(world, jane.id)).is_flagged, false);
    });
  } finally {
    await world.close();
  }
});
