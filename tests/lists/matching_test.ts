/**
 * Owns the matcher's rules per list type, at the level of core/lists/matching.ts: fuzzy names with
 * an exact date of birth, email exact and domain-only, phones on their last ten digits, IPs in one
 * canonical form, document numbers as upper-case letters and digits, countries in any ISO form,
 * places within a radius, fingerprints per kind, strings exactly, faces by similarity; and that
 * lists of another environment never match.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import type { Scope } from "../../core/orgs/api_keys.ts";
import type { ListMatchMode, ListType } from "../../core/db/database.ts";
import { createList } from "../../core/lists/lists.ts";
import { addItem } from "../../core/lists/items.ts";
import { FACE_MATCH_THRESHOLD, matchSubject } from "../../core/lists/matching.ts";
import { subjectFromData } from "../../core/lists/subject.ts";

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

Deno.test("list matching per list type", async (t) => {
  const world = await createTestWorld();
  const live: Scope = { orgId: world.org.org_id, environment: "live" };
  const deps = world.deps;
  const list = async (
    type: ListType,
    values: Record<string, unknown>[],
    mode: ListMatchMode = "block",
    scope = live,
  ) => {
    const row = await createList(deps, scope, { name: `${type} ${mode}`, list_type: type, match_mode: mode });
    for (const value of values) await addItem(deps, scope, row.id, { value }, "key_test");
    return row.id;
  };
  const matched = async (data: Record<string, unknown>, listIds: string[] | null = null) =>
    (await matchSubject(deps, live, subjectFromData(data), listIds, { faceSimilarity: cosine }))
      .map((m) => `${m.list_type}:${m.matched_on}`).sort();

  try {
    await t.step("names: fuzzy, accents folded, order free, exact date of birth when listed", async () => {
      await list("name", [
        { first_name: "José", last_name: "Álvarez", date_of_birth: "1980-05-06" },
        { first_name: "Maria", last_name: "Gonzalez" },
      ]);
      assert.deepEqual(await matched({ first_name: "Jose", last_name: "ALVAREZ", date_of_birth: "1980-05-06" }), [
        "name:name_dob",
      ]);
      assert.deepEqual(await matched({ first_name: "Alvarez", last_name: "José", date_of_birth: "1980-05-06" }), [
        "name:name_dob",
      ]);
      assert.deepEqual(await matched({ first_name: "Josè", last_name: "Alvares", date_of_birth: "1980-05-06" }), [
        "name:name_dob",
      ]);
      assert.deepEqual(await matched({ first_name: "Jose", last_name: "Alvarez", date_of_birth: "1980-05-07" }), []);
      assert.deepEqual(await matched({ first_name: "Jose", last_name: "Alvarez" }), [], "a listed DOB must be met");
      assert.deepEqual(await matched({ first_name: "Marja", last_name: "Gonzalez", date_of_birth: "2001-01-01" }), [
        "name:name",
      ]);
      assert.deepEqual(await matched({ first_name: "Peter", last_name: "Gonzalez" }), []);
    });

    await t.step("emails: exact (any case) or domain only", async () => {
      await list("email", [{ email: "Fraud@Mail.example" }, { email: "@burner.example", match_domain_only: true }]);
      assert.deepEqual(await matched({ email: "fraud@mail.example" }), ["email:email"]);
      assert.deepEqual(await matched({ email: "other@mail.example" }), []);
      assert.deepEqual(await matched({ email: "anyone@BURNER.example" }), ["email:email_domain"]);
      assert.deepEqual(await matched({ email: "anyone@notburner.example" }), []);
    });

    await t.step("phones: the last ten digits", async () => {
      await list("phone", [{ phone: "+1 (415) 555-0134" }]);
      assert.deepEqual(await matched({ phone: "415.555.0134" }), ["phone:phone"]);
      assert.deepEqual(await matched({ phone: "00 1 415 555 0134" }), ["phone:phone"]);
      assert.deepEqual(await matched({ phone: "+1 415 555 0135" }), []);
    });

    await t.step("IPs in canonical form; document numbers; countries", async () => {
      await list("ip_address", [{ ip: "203.0.113.9" }, { ip: "2001:0db8:0:0:0:0:0:1" }]);
      assert.deepEqual(await matched({ ip_address: "::ffff:203.0.113.9" }), ["ip_address:ip_address"]);
      assert.deepEqual(await matched({ ip_address: "2001:db8::1" }), ["ip_address:ip_address"]);
      assert.deepEqual(await matched({ ip_address: "203.0.113.10" }), []);
      await list("government_id", [{ id_number: "x12-345 678" }]);
      assert.deepEqual(await matched({ id_number: "X12345678" }), ["government_id:government_id"]);
      assert.deepEqual(await matched({ document_number: "X1234567" }), []);
      await list("country", [{ country_code: "PRK" }]);
      assert.deepEqual(await matched({ country_code: "KP" }), ["country:country"]);
      assert.deepEqual(await matched({ country: "prk" }), ["country:country"]);
    });

    await t.step("places within the item's radius", async () => {
      // Dam Square, Amsterdam, 1 km.
      await list("geolocation", [{ latitude: 52.3731, longitude: 4.8926, radius_meters: 1000 }]);
      // The Westerkerk is ~600 m away; Schiphol ~13 km.
      assert.deepEqual(await matched({ latitude: 52.3745, longitude: 4.8838 }), ["geolocation:geolocation"]);
      assert.deepEqual(await matched({ latitude: 52.3105, longitude: 4.7683 }), []);
    });

    await t.step("fingerprints per kind; strings exactly", async () => {
      await list("browser_fingerprint", [{ fingerprint_hash: "fp-shared-1" }]);
      await list("device_fingerprint", [{ fingerprint_hash: "fp-device-9" }]);
      assert.deepEqual(
        await matched({ device_fingerprint: "fp-shared-1" }),
        [],
        "a browser item is not a device match",
      );
      assert.deepEqual(await matched({ device_fingerprint: "fp-device-9" }), ["device_fingerprint:device_fingerprint"]);
      assert.deepEqual(await matched({ browser_fingerprint: "fp-shared-1" }), [
        "browser_fingerprint:browser_fingerprint",
      ]);
      await list("string", [{ value: "promo-abuser-7" }]);
      assert.deepEqual(await matched({ value: "promo-abuser-7" }), ["string:string"]);
      assert.deepEqual(await matched({ value: "promo-abuser-8" }), []);
    });

    await t.step("faces by similarity against the threshold", async () => {
      const listed = Array.from({ length: 64 }, (_, i) => Math.sin(i + 1));
      const same = listed.map((v, i) => v + (i % 2 ? 0.02 : -0.02));
      const other = listed.map((v, i) => (i % 2 ? v : -v));
      assert.ok(cosine(listed, same) >= FACE_MATCH_THRESHOLD && cosine(listed, other) < FACE_MATCH_THRESHOLD);
      await list("face", [{ embedding: listed }], "flag");
      const [hit] = await matchSubject(deps, live, subjectFromData({ face_embedding: same }), null, {
        faceSimilarity: cosine,
      });
      assert.equal(hit.matched_on, "face");
      assert.equal(hit.match_mode, "flag");
      assert.ok(hit.score >= FACE_MATCH_THRESHOLD && hit.score <= 1);
      assert.deepEqual(await matched({ face_embedding: other }), []);
    });

    await t.step("list_ids narrow the check; another environment's lists never match", async () => {
      const allow = await list("email", [{ email: "vip@corp.example" }], "allow");
      const matches = await matchSubject(deps, live, subjectFromData({ email: "vip@corp.example" }), [allow]);
      assert.deepEqual(matches.map((m) => [m.list_id, m.match_mode]), [[allow, "allow"]]);
      assert.deepEqual(await matched({ email: "vip@corp.example" }, ["list_unknown"]), []);
      await list("email", [{ email: "sandbox-only@corp.example" }], "block", { ...live, environment: "sandbox" });
      assert.deepEqual(await matched({ email: "sandbox-only@corp.example" }), []);
    });
  } finally {
    await world.close();
  }
});
