/**
 * Owns the custom lists API over HTTP: lists (create, page, get with the workflows that use it,
 * patch, archive refused while an active workflow names the list), items (add, bulk, CSV import
 * and export, list, get, delete), the subject check that stores nothing, the session's list
 * matches endpoint's errors, every error with nothing changed, and no plaintext value at rest.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { createTestWorld } from "../helpers/test_app.ts";
import { type Body, call, createSession } from "../helpers/sessions.ts";
import { listCheckGraph } from "../helpers/lists.ts";

const LISTS = "/api/v1/lists";

function expectStatus(res: { status: number; body: Body }, status: number): Body {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

Deno.test("custom lists API", async (t) => {
  const world = await createTestWorld();
  const key = world.org.live_secret_key;
  const api = (method: string, path: string, body?: unknown, k = key) => call(world, method, path, { key: k, body });
  const listRow = (id: string) =>
    world.db.selectFrom("custom_lists").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const create = async (body: Body) => expectStatus(await api("POST", LISTS, body), 201);
  const importCsv = (listId: string, csv: string) =>
    call(world, "POST", `${LISTS}/${listId}/import`, { key, body: csv, headers: { "Content-Type": "text/csv" } });
  const matchCount = async () =>
    Number(
      (await world.db.selectFrom("list_matches").select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()).n,
    );

  try {
    let readOnlyKey = "";
    await t.step("create: defaults, shape, and 422 / 401 / 403", async () => {
      const list = await create({ name: "Banned documents", listType: "government_id", description: "fraud ring" });
      assert.match(list.id, /^list_[a-z0-9]{24}$/);
      assert.equal(list.match_mode, "flag");
      assert.equal(list.item_count, 0);
      assert.equal(list.is_active, true);
      assert.equal(list.org_id, world.org.org_id);
      for (const field of ["name", "list_type", "description", "created_at", "updated_at", "archived_at"]) {
        assert.ok(field in list, field);
      }
      const bad = expectStatus(await api("POST", LISTS, { name: "", list_type: "blocklist", colour: "red" }), 422);
      assert.deepEqual(Object.keys(bad.fields).sort(), ["colour", "list_type", "name"]);
      expectStatus(await api("POST", LISTS, { name: "x", list_type: "email", match_mode: "deny" }), 422);
      expectStatus(await call(world, "POST", LISTS, { body: { name: "x", list_type: "email" } }), 401);
      const minted = expectStatus(
        await api("POST", "/api/v1/api-keys", { label: "reader", scopes: ["lists:read", "sessions:read"] }),
        201,
      );
      readOnlyKey = minted.secret;
      const denied = expectStatus(await api("POST", LISTS, { name: "x", list_type: "email" }, readOnlyKey), 403);
      assert.equal(denied.error, "insufficient_scope");
      expectStatus(await api("GET", LISTS, undefined, readOnlyKey), 200);
    });

    await t.step("list: paginated, filtered, scoped to the key's environment", async () => {
      await create({ name: "VIP emails", list_type: "email", match_mode: "allow" });
      const all = expectStatus(await api("GET", `${LISTS}?limit=1`), 200);
      assert.equal(all.pagination.total, 2);
      assert.equal(all.data.length, 1);
      const emails = expectStatus(await api("GET", `${LISTS}?list_type=email`), 200);
      assert.deepEqual(emails.data.map((l: Body) => l.name), ["VIP emails"]);
      expectStatus(await api("GET", `${LISTS}?list_type=blocklist`), 400);
      expectStatus(await api("GET", `${LISTS}?include_archived=maybe`), 400);
      const sandbox = expectStatus(await api("GET", LISTS, undefined, world.org.sandbox_secret_key), 200);
      assert.equal(sandbox.pagination.total, 0);
    });

    let emailList = "";
    await t.step("get and patch; another environment's or org's list is a 404", async () => {
      emailList = (await create({ name: "Fraud emails", list_type: "email", match_mode: "block" })).id;
      const got = expectStatus(await api("GET", `${LISTS}/${emailList}`), 200);
      assert.deepEqual(got.workflows, []);
      const patched = expectStatus(
        await api("PATCH", `${LISTS}/${emailList}`, { name: "Fraud e-mails", matchMode: "flag" }),
        200,
      );
      assert.equal(patched.name, "Fraud e-mails");
      assert.equal(patched.match_mode, "flag");
      expectStatus(await api("PATCH", `${LISTS}/${emailList}`, { match_mode: "block" }), 200);
      const typed = expectStatus(await api("PATCH", `${LISTS}/${emailList}`, { list_type: "phone" }), 422);
      assert.ok(typed.fields.list_type);
      expectStatus(await api("GET", `${LISTS}/${emailList}`, undefined, world.org.sandbox_secret_key), 404);
      const other = await world.provisionOrg("other-org");
      expectStatus(await api("GET", `${LISTS}/${emailList}`, undefined, other.live_secret_key), 404);
      expectStatus(await api("PATCH", `${LISTS}/${emailList}`, { name: "x" }, other.live_secret_key), 404);
      expectStatus(await api("GET", `${LISTS}/list_nope`), 404);
    });

    let itemId = "";
    await t.step("items: add validated per type, 409 on a repeat, list, get, delete", async () => {
      const added = expectStatus(
        await api("POST", `${LISTS}/${emailList}/items`, {
          value: { email: "Mallory@Example.com" },
          notes: "chargeback",
        }),
        201,
      );
      itemId = added.id;
      assert.match(itemId, /^litem_/);
      assert.deepEqual(added.value, { email: "Mallory@Example.com" });
      assert.equal(added.notes, "chargeback");
      const again = expectStatus(
        await api("POST", `${LISTS}/${emailList}/items`, { value: { email: "mallory@example.com" } }),
        409,
      );
      assert.equal(again.error, "conflict");
      const invalid = expectStatus(
        await api("POST", `${LISTS}/${emailList}/items`, { value: { email: "not-an-email" } }),
        422,
      );
      assert.ok(invalid.fields["value.email"]);
      const wrongShape = expectStatus(
        await api("POST", `${LISTS}/${emailList}/items`, { value: { phone: "123456" } }),
        422,
      );
      assert.ok(wrongShape.fields["value.phone"]);
      expectStatus(await api("POST", `${LISTS}/${emailList}/items`, { notes: "no value" }), 422);
      expectStatus(
        await api("POST", `${LISTS}/${emailList}/items`, { value: { email: "example.org", matchDomainOnly: true } }),
        201,
      );
      assert.equal((await listRow(emailList)).item_count, 2);

      const page = expectStatus(await api("GET", `${LISTS}/${emailList}/items?limit=1`), 200);
      assert.equal(page.pagination.total, 2);
      assert.equal(page.data.length, 1);
      const item = expectStatus(await api("GET", `${LISTS}/${emailList}/items/${itemId}`), 200);
      assert.equal(item.value.email, "Mallory@Example.com");
      expectStatus(await api("GET", `${LISTS}/${emailList}/items/litem_nope`), 404);
      expectStatus(
        await api("GET", `${LISTS}/${emailList}/items/${itemId}`, undefined, world.org.sandbox_secret_key),
        404,
      );
      expectStatus(await api("DELETE", `${LISTS}/${emailList}/items/${itemId}`, undefined, readOnlyKey), 403);
      expectStatus(await api("DELETE", `${LISTS}/${emailList}/items/${itemId}`), 200);
      expectStatus(await api("DELETE", `${LISTS}/${emailList}/items/${itemId}`), 404);
      assert.equal((await listRow(emailList)).item_count, 1);
    });

    await t.step("every list type validates its own value schema", async () => {
      const cases: [string, Body, Body][] = [
        ["name", { first_name: "Ana", last_name: "Lima", date_of_birth: "1990-02-03" }, {
          first_name: "Ana",
          date_of_birth: "1990-02-31",
        }],
        ["phone", { phone: "+1 (415) 555-0134" }, { phone: "call me" }],
        ["ip_address", { ip: "203.0.113.9" }, { ip: "300.1.1.1" }],
        ["government_id", { id_number: "X12-345 678", id_class: "passport" }, { id_number: "-" }],
        ["country", { country_code: "PRK" }, { country_code: "XX" }],
        ["geolocation", { latitude: 52.3791, longitude: 4.8993, radius_meters: 500 }, {
          latitude: 91,
          longitude: 0,
          radius_meters: 5,
        }],
        ["browser_fingerprint", { fingerprint_hash: "fp-browser-b1e2c3" }, { fingerprint_hash: "" }],
        ["device_fingerprint", { fingerprint_hash: "fp-device-d3f4e5" }, { hash: "d3f4" }],
        ["face", { embedding: Array.from({ length: 32 }, (_, i) => i / 32) }, { embedding: [1, 2] }],
        ["string", { value: "promo-abuser-7" }, { value: 7 }],
      ];
      for (const [type, good, bad] of cases) {
        const list = await create({ name: `${type} list`, list_type: type, match_mode: "flag" });
        expectStatus(await api("POST", `${LISTS}/${list.id}/items`, { value: good }), 201);
        const refused = expectStatus(await api("POST", `${LISTS}/${list.id}/items`, { value: bad }), 422);
        assert.ok(
          Object.keys(refused.fields).every((f) => f.startsWith("value")),
          `${type}: ${JSON.stringify(refused.fields)}`,
        );
      }
      const countries = expectStatus(await api("GET", `${LISTS}?list_type=country`), 200).data[0];
      const stored = expectStatus(await api("GET", `${LISTS}/${countries.id}/items`), 200).data[0];
      assert.deepEqual(stored.value, { country_code: "KP" });
    });

    let phoneList = "";
    await t.step("bulk: ≤1,000 items, repeats reported, per-item errors, nothing added on error", async () => {
      phoneList = (await create({ name: "Mule phones", list_type: "phone", match_mode: "block" })).id;
      const items = [{ value: { phone: "+1 (212) 555-0100" } }, { value: { phone: "212.555.0100" } }, {
        value: { phone: "+44 7700 900123" },
        notes: "n",
      }];
      const bulk = expectStatus(await api("POST", `${LISTS}/${phoneList}/items/bulk`, { items }), 201);
      assert.equal(bulk.added, 2, "the same last ten digits are one phone");
      assert.equal(bulk.duplicates, 1);
      assert.equal(bulk.data.length, 2);
      const tooMany = Array.from(
        { length: 1001 },
        (_, i) => ({ value: { phone: `+1 415 555 ${String(i).padStart(4, "0")}` } }),
      );
      const refused = expectStatus(await api("POST", `${LISTS}/${phoneList}/items/bulk`, { items: tooMany }), 422);
      assert.match(refused.fields.items, /1000|1,000/);
      const partial = expectStatus(
        await api("POST", `${LISTS}/${phoneList}/items/bulk`, {
          items: [{ value: { phone: "+1 212 555 0000" } }, { value: {} }],
        }),
        422,
      );
      assert.ok(partial.fields["items.1.value.phone"]);
      expectStatus(await api("POST", `${LISTS}/${phoneList}/items/bulk`, { items: [] }), 422);
      expectStatus(await api("POST", `${LISTS}/${phoneList}/items/bulk`, [{ value: { phone: "1" } }]), 422);
      assert.equal((await listRow(phoneList)).item_count, 2);
      const thousand = Array.from(
        { length: 1000 },
        (_, i) => ({ value: { phone: `+1 415 555 ${String(i).padStart(4, "0")}` } }),
      );
      assert.equal(
        expectStatus(await api("POST", `${LISTS}/${phoneList}/items/bulk`, { items: thousand }), 201).added,
        1000,
      );
      assert.equal((await listRow(phoneList)).item_count, 1002);
    });

    let nameList = "";
    await t.step("CSV import (text/csv or multipart) and export round-trip", async () => {
      nameList = (await create({ name: "PEP relatives", list_type: "name" })).id;
      const csv =
        'first_name,last_name,date_of_birth,notes\r\nZebulon,Quixworth,1970-01-02,"cousin, by marriage"\nÉlodie,Marchetti,,\n';
      const imported = expectStatus(
        await importCsv(nameList, csv),
        201,
      );
      assert.equal(imported.added, 2);
      const form = new FormData();
      form.append("file", new File(["first_name,last_name\nOtto,Brandt\n"], "names.csv", { type: "text/csv" }));
      assert.equal(
        expectStatus(await call(world, "POST", `${LISTS}/${nameList}/import`, { key, body: form }), 201).added,
        1,
      );

      const unknown = expectStatus(
        await importCsv(nameList, "first_name,surname\nA,B\n"),
        422,
      );
      assert.match(unknown.fields.csv, /surname/);
      const badRow = expectStatus(
        await importCsv(nameList, "first_name,last_name,date_of_birth\nA,B,yesterday\n"),
        422,
      );
      assert.ok(badRow.fields["rows.2.value.date_of_birth"], JSON.stringify(badRow.fields));
      const rows = ["first_name,last_name", ...Array.from({ length: 1001 }, (_, i) => `A${i},B`)].join("\n");
      expectStatus(
        await importCsv(nameList, rows),
        422,
      );
      expectStatus(
        await call(world, "POST", `${LISTS}/${nameList}/import`, {
          key,
          body: "x",
          headers: { "Content-Type": "text/plain" },
        }),
        415,
      );
      assert.equal((await listRow(nameList)).item_count, 3);

      const exported = await world.request("GET", `${LISTS}/${nameList}/export`, { key: readOnlyKey });
      assert.equal(exported.status, 200);
      assert.match(exported.headers.get("content-type") ?? "", /^text\/csv/);
      const text = await exported.text();
      const lines = text.trim().split("\r\n");
      assert.equal(lines[0], "first_name,last_name,date_of_birth,notes");
      assert.ok(lines.includes('Zebulon,Quixworth,1970-01-02,"cousin, by marriage"'), text);
      assert.ok(lines.includes("Élodie,Marchetti,,"), text);

      const phones = await (await world.request("GET", `${LISTS}/${phoneList}/export`, { key })).text();
      assert.ok(phones.includes("+1 (212) 555-0100"), "phones export without a formula guard");
      const phoneCopy = (await create({ name: "Phone copy", list_type: "phone" })).id;
      const tooLong = await importCsv(phoneCopy, phones);
      expectStatus(tooLong, 422);
      const emails = await (await world.request("GET", `${LISTS}/${emailList}/export`, { key })).text();
      assert.equal(emails, "email,match_domain_only,notes\r\nexample.org,true,\r\n");
      const emailCopy = (await create({ name: "Email copy", list_type: "email" })).id;
      const reimport = await importCsv(emailCopy, emails);
      assert.deepEqual(expectStatus(reimport, 201).data[0].value, { email: "example.org", match_domain_only: true });
      // Deactivated: the check below must not match it.
      assert.equal(
        expectStatus(await api("PATCH", `${LISTS}/${emailCopy}`, { is_active: false }), 200).is_active,
        false,
      );
      expectStatus(await call(world, "GET", `${LISTS}/${nameList}/export`, { key: world.org.sandbox_secret_key }), 404);
    });

    await t.step("check a subject: matches by mode, nothing stored, errors", async () => {
      const before = await matchCount();
      const res = expectStatus(
        await api("POST", `${LISTS}/check`, {
          subjectData: {
            email: "someone@EXAMPLE.org",
            phone: "1-212-555-0100",
            firstName: "Zebulon",
            lastName: "Quixworth",
            dateOfBirth: "1970-01-02",
          },
        }),
        200,
      );
      assert.equal(res.total_matches, 3, JSON.stringify(res.data));
      assert.deepEqual(
        res.data.map((m: Body) => [m.list_type, m.match_mode, m.matched_on]).sort(),
        [["email", "block", "email_domain"], ["name", "flag", "name_dob"], ["phone", "block", "phone"]],
      );
      for (const m of res.data) {
        assert.deepEqual(Object.keys(m).sort(), [
          "item_id",
          "list_id",
          "list_name",
          "list_type",
          "match_mode",
          "matched_on",
          "score",
        ]);
      }
      const narrowed = expectStatus(
        await api("POST", `${LISTS}/check`, {
          subject_data: { email: "someone@example.org", phone: "2125550100" },
          list_ids: [phoneList],
        }),
        200,
      );
      assert.deepEqual(narrowed.data.map((m: Body) => m.list_id), [phoneList]);
      const none = expectStatus(
        await api("POST", `${LISTS}/check`, { subject_data: { email: "clean@example.com" } }),
        200,
      );
      assert.deepEqual(none, { data: [], total_matches: 0 });
      const unknown = expectStatus(
        await api("POST", `${LISTS}/check`, { subject_data: { email: "a@b.co" }, list_ids: [phoneList, "list_nope"] }),
        422,
      );
      assert.deepEqual(Object.keys(unknown.fields), ["list_ids.1"]);
      expectStatus(await api("POST", `${LISTS}/check`, { subject_data: {} }), 422);
      expectStatus(await api("POST", `${LISTS}/check`, { subject_data: { shoe_size: 9 } }), 422);
      expectStatus(await api("POST", `${LISTS}/check`, {}), 422);
      expectStatus(
        await api("POST", `${LISTS}/check`, { subject_data: { email: "a@b.co" } }, world.org.sandbox_secret_key),
        200,
      );
      expectStatus(await call(world, "POST", `${LISTS}/check`, { body: { subject_data: { email: "a@b.co" } } }), 401);
      assert.equal(await matchCount(), before);
    });

    await t.step("archive is refused while an active workflow names the list, then allowed", async () => {
      const graph = listCheckGraph([phoneList]);
      const workflow = expectStatus(await api("POST", "/api/v1/workflows", { name: "Phone screen", graph }), 201);
      const got = expectStatus(await api("GET", `${LISTS}/${phoneList}`), 200);
      assert.deepEqual(got.workflows.map((w: Body) => w.id), [workflow.id]);
      const refused = expectStatus(await api("POST", `${LISTS}/${phoneList}/archive`), 409);
      assert.equal(refused.error, "conflict");
      assert.match(refused.detail, new RegExp(workflow.id));
      assert.equal((await listRow(phoneList)).archived_at, null);

      expectStatus(await api("POST", `/api/v1/workflows/${workflow.id}/deactivate`), 200);
      const archived = expectStatus(await api("POST", `${LISTS}/${phoneList}/archive`), 200);
      assert.equal(archived.is_active, false);
      assert.ok(archived.archived_at);
      expectStatus(await api("POST", `${LISTS}/${phoneList}/items`, { value: { phone: "+1 646 555 0199" } }), 409);
      expectStatus(await api("PATCH", `${LISTS}/${phoneList}`, { name: "again" }), 409);
      const listed = expectStatus(await api("GET", `${LISTS}?list_type=phone`), 200);
      assert.ok(!listed.data.some((l: Body) => l.id === phoneList));
      const withArchived = expectStatus(await api("GET", `${LISTS}?list_type=phone&include_archived=true`), 200);
      assert.ok(withArchived.data.some((l: Body) => l.id === phoneList));
      const check = expectStatus(await api("POST", `${LISTS}/check`, { subject_data: { phone: "2125550100" } }), 200);
      assert.equal(check.total_matches, 0, "an archived list no longer matches");
      expectStatus(await api("POST", `${LISTS}/list_nope/archive`), 404);
    });

    await t.step("session list matches: 404 for a session of another environment, 422/404 on marking", async () => {
      const session = await createSession(world, key);
      const empty = expectStatus(await api("GET", `/api/v1/sessions/${session.id}/list-matches`), 200);
      assert.deepEqual(empty.data, []);
      expectStatus(
        await api("GET", `/api/v1/sessions/${session.id}/list-matches`, undefined, world.org.sandbox_secret_key),
        404,
      );
      expectStatus(await api("GET", "/api/v1/sessions/ses_nope/list-matches"), 404);
      expectStatus(
        await api("POST", `/api/v1/sessions/${session.id}/list-matches/lmatch_nope/false-positive`, { reason: "x" }),
        404,
      );
      expectStatus(
        await api("POST", `/api/v1/sessions/${session.id}/list-matches/lmatch_nope/false-positive`, {}),
        422,
      );
      expectStatus(
        await api(
          "POST",
          `/api/v1/sessions/${session.id}/list-matches/lmatch_nope/false-positive`,
          { reason: "x" },
          readOnlyKey,
        ),
        403,
      );
    });

    await t.step("no item value is stored in plain text in any table", async () => {
      const tables = await sql<{ table_name: string }>`
        SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
      `.execute(world.db);
      let dump = "";
      for (const { table_name } of tables.rows) {
        const rows = await sql<{ row: string }>`SELECT row_to_json(t)::text AS row FROM ${sql.table(table_name)} t`
          .execute(world.db);
        dump += rows.rows.map((r) => r.row).join("\n");
      }
      const values = [
        "Mallory",
        "example.org",
        "555-0134",
        "555-0100",
        "203.0.113.9",
        "X12-345 678",
        "X12345678",
        "fp-browser-b1e2c3",
        "fp-device-d3f4e5",
        "promo-abuser-7",
        "Zebulon",
        "Quixworth",
        "1970-01-02",
        "Élodie",
        "Marchetti",
        "52.3791",
      ];
      for (const plain of values) {
        assert.ok(!dump.includes(plain), `"${plain}" is stored in plain text`);
      }
      // The one documented exception: name lists keep a lower-case, accent-folded form for fuzzy matching.
      assert.ok(dump.includes("zebulon quixworth"));
    });
  } finally {
    await world.close();
  }
});
