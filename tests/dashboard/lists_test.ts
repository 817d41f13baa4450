/**
 * The dashboard's Lists pages over HTTP, signed in as real operators: the lists (type, match mode,
 * item count), creating one (admins; field errors), a list's page with its items decrypted, adding
 * items through the per-type fields and the JSON value, duplicates refused, deleting, archiving
 * refused with core's message while a workflow uses the list, and the refusals: reviewers cannot
 * create or archive lists, viewers cannot change anything (403), another org's list is a 404.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { call } from "../helpers/sessions.ts";
import { signIn } from "../helpers/dashboard_pages.ts";
import { listCheckGraph } from "../helpers/lists.ts";

Deno.test("dashboard lists", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const admin = await signIn(world, world.org.org_id, "admin");
  const reviewer = await signIn(world, world.org.org_id, "reviewer");
  const viewer = await signIn(world, world.org.org_id, "viewer");
  const other = await world.provisionOrg("other-org");
  const outsider = await signIn(world, other.org_id, "admin");

  const listRow = (id: string) =>
    world.db.selectFrom("custom_lists").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const items = (id: string) =>
    world.db.selectFrom("custom_list_items").selectAll().where("list_id", "=", id).orderBy("created_at").execute();
  const itemValues = (page: string) => [...page.matchAll(/<td data-item-value="true">([^<]*)<\/td>/g)].map((m) => m[1]);

  try {
    let emailList = "";

    await t.step("an admin creates a list; field errors are shown", async () => {
      const refused = await admin.post("/dashboard/lists", { name: " ", list_type: "email" });
      assert.equal(refused.status, 422);
      assert.match(refused.html, /data-field-errors="name"/);
      const created = await admin.post("/dashboard/lists", {
        name: "Fraud emails",
        list_type: "email",
        match_mode: "block",
        description: "Seen in chargebacks",
      });
      assert.equal(created.status, 303);
      emailList = /\/dashboard\/lists\/(list_[a-z0-9]+)\?notice=created$/.exec(created.location ?? "")?.[1] ?? "";
      assert.ok(emailList, String(created.location));
      const row = await listRow(emailList);
      assert.equal(row.org_id, world.org.org_id);
      assert.equal(row.environment, "sandbox");
      assert.equal(row.match_mode, "block");
      const page = await viewer.page("/dashboard/lists");
      assert.match(
        page.html,
        new RegExp(`<tr data-list-id="${emailList}">.*?Fraud emails.*?email.*?block.*?data-item-count="true">0<`),
      );
      assert.doesNotMatch(page.html, /data-form="new-list"/, "viewers do not see the form");
    });

    await t.step("items are added through the type's fields and shown decrypted", async () => {
      const added = await reviewer.post(`/dashboard/lists/${emailList}/items`, {
        email: "Fraudster@Example.com",
        notes: "chargeback 2026-10",
      });
      assert.equal(added.status, 303);
      const domain = await reviewer.post(`/dashboard/lists/${emailList}/items`, {
        email: "mailinator.com",
        match_domain_only: "1",
      });
      assert.equal(domain.status, 303, domain.html);
      const stored = await items(emailList);
      assert.equal(stored.length, 2);
      assert.equal(stored[0].created_by, reviewer.operator.id);
      assert.ok(!stored[0].value_enc.includes("Fraudster"), "stored encrypted");
      const page = await viewer.page(`/dashboard/lists/${emailList}`);
      assert.deepEqual(itemValues(page.html).sort(), ["Fraudster@Example.com", "mailinator.com (whole domain)"]);
      assert.match(page.html, /chargeback 2026-10/);
      assert.match(page.html, /data-item-count="true">2</);
      // The API shows the same values.
      const api = await call(world, "GET", `/api/v1/lists/${emailList}/items`, { key });
      assert.deepEqual(api.body.data.map((i: { value: { email: string } }) => i.value.email).sort(), [
        "Fraudster@Example.com",
        "mailinator.com",
      ]);
    });

    await t.step("a bad value and a duplicate are refused on the page", async () => {
      const bad = await reviewer.post(`/dashboard/lists/${emailList}/items`, { email: "not an email" });
      assert.equal(bad.status, 422);
      assert.match(bad.html, /data-field-errors="value.email"/);
      assert.match(bad.html, /value="not an email"/, "what was typed is kept");
      const duplicate = await reviewer.post(`/dashboard/lists/${emailList}/items`, {
        email: "fraudster@example.com",
      });
      assert.equal(duplicate.status, 409);
      assert.match(duplicate.html, /already on the list/);
      assert.equal((await items(emailList)).length, 2);
    });

    await t.step("other types: name fields, and a JSON value for the rest", async () => {
      const names = await admin.post("/dashboard/lists", { name: "PEPs", list_type: "name" });
      const nameList = /lists\/(list_[a-z0-9]+)/.exec(names.location!)![1];
      assert.match((await admin.page(`/dashboard/lists/${nameList}`)).html, /name="first_name"/);
      assert.equal(
        (await admin.post(`/dashboard/lists/${nameList}/items`, {
          first_name: "John",
          last_name: "Smith",
          date_of_birth: "1970-01-02",
        })).status,
        303,
      );
      assert.deepEqual(itemValues((await admin.page(`/dashboard/lists/${nameList}`)).html), [
        "John Smith (born 1970-01-02)",
      ]);

      const ips = await admin.post("/dashboard/lists", { name: "Bad IPs", list_type: "ip_address" });
      const ipList = /lists\/(list_[a-z0-9]+)/.exec(ips.location!)![1];
      assert.match((await admin.page(`/dashboard/lists/${ipList}`)).html, /name="value_json"/);
      const notJson = await admin.post(`/dashboard/lists/${ipList}/items`, { value_json: "{ip" });
      assert.equal(notJson.status, 422);
      assert.match(notJson.html, /must be a JSON object/);
      const ok = await admin.post(`/dashboard/lists/${ipList}/items`, { value_json: '{"ip": "203.0.113.7"}' });
      assert.equal(ok.status, 303, ok.html);
      assert.deepEqual(itemValues((await admin.page(`/dashboard/lists/${ipList}`)).html), ["203.0.113.7"]);
    });

    await t.step("an item is deleted", async () => {
      const [item] = await items(emailList);
      const deleted = await reviewer.post(`/dashboard/lists/${emailList}/items/${item.id}/delete`, {});
      assert.equal(deleted.status, 303);
      assert.equal((await items(emailList)).length, 1);
      assert.equal((await listRow(emailList)).item_count, 1);
    });

    await t.step("archiving is refused while a workflow uses the list, with core's message", async () => {
      const graph = listCheckGraph([emailList]);
      const workflow = await call(world, "POST", "/api/v1/workflows", { key, body: { name: "Email screen", graph } });
      assert.equal(workflow.status, 201, JSON.stringify(workflow.body));
      const page = await admin.page(`/dashboard/lists/${emailList}`);
      assert.match(page.html, new RegExp(`data-workflow-id="${workflow.body.id}"`));
      const refused = await admin.post(`/dashboard/lists/${emailList}/archive`, {});
      assert.equal(refused.status, 409);
      assert.match(refused.html, new RegExp(`The list is used by active workflow\\(s\\) ${workflow.body.id}`));
      assert.equal((await listRow(emailList)).archived_at, null);

      await call(world, "POST", `/api/v1/workflows/${workflow.body.id}/deactivate`, { key });
      const archived = await admin.post(`/dashboard/lists/${emailList}/archive`, {});
      assert.equal(archived.status, 303);
      assert.ok((await listRow(emailList)).archived_at);
      const after = await admin.page(`/dashboard/lists/${emailList}`);
      assert.match(after.html, /data-list-state="true">archived</);
      assert.doesNotMatch(after.html, /data-form="add-item"/);
      assert.doesNotMatch((await admin.page("/dashboard/lists")).html, new RegExp(emailList));
      assert.match((await admin.page("/dashboard/lists?archived=1")).html, new RegExp(emailList));
    });

    await t.step("roles: reviewers add items but not lists; viewers change nothing (403)", async () => {
      const created = await admin.post("/dashboard/lists", { name: "Countries", list_type: "country" });
      const countryList = /lists\/(list_[a-z0-9]+)/.exec(created.location!)![1];
      assert.equal((await reviewer.post("/dashboard/lists", { name: "x", list_type: "string" })).status, 403);
      assert.equal((await reviewer.post(`/dashboard/lists/${countryList}/archive`, {})).status, 403);
      assert.equal(
        (await reviewer.post(`/dashboard/lists/${countryList}/items`, { country_code: "KP" })).status,
        303,
      );
      const [item] = await items(countryList);
      assert.equal(
        (await viewer.post(`/dashboard/lists/${countryList}/items`, { country_code: "IR" })).status,
        403,
      );
      assert.equal((await viewer.post(`/dashboard/lists/${countryList}/items/${item.id}/delete`, {})).status, 403);
      assert.equal((await viewer.post("/dashboard/lists", { name: "x", list_type: "string" })).status, 403);
      const page = await viewer.page(`/dashboard/lists/${countryList}`);
      assert.doesNotMatch(page.html, /data-form="add-item"|data-action="delete-item"|data-action="archive-list"/);
      assert.equal((await items(countryList)).length, 1);
    });

    await t.step("another organisation's list is a 404", async () => {
      assert.equal((await outsider.page(`/dashboard/lists/${emailList}`)).status, 404);
      assert.equal(
        (await outsider.post(`/dashboard/lists/${emailList}/items`, { email: "a@b.co" })).status,
        404,
      );
      assert.equal((await outsider.post(`/dashboard/lists/${emailList}/archive`, {})).status, 404);
      assert.doesNotMatch((await outsider.page("/dashboard/lists?archived=1")).html, /data-list-id=/);
    });
  } finally {
    await world.close();
  }
});
