/**
 * Owns the proof, from outside the product, that capture leaves nothing readable at rest: the
 * objects in the blob store carry no image signature or plaintext and do not decode, and no
 * table of the database holds the applicant's pre-filled fields, user-info fields, IP address or
 * the result's mock PII as text.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import sharp from "sharp";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { call, createSession, insertWorkflow, sessionRow } from "../helpers/sessions.ts";
import {
  blobKeys,
  capture,
  captureDocuments,
  consentFrom,
  documentRows,
  expectOk,
  SESSIONS,
  tokenOf,
} from "../helpers/capture.ts";
import { containsSignature, isJpeg, PNG_SIGNATURE } from "../helpers/images.ts";
import { openObject } from "../../core/crypto/object_envelope.ts";

const PREFILL = { first_name: "Zebulon", last_name: "Quixotic", email: "zq@example.org" };
const APPLICANT_IP = "203.0.113.77";
const USER_AGENT = "UniqueAgent/7.1 (needle)";
const DATE_OF_BIRTH = "1987-03-14";

/** Every row of every table in the public schema, as Postgres prints it. */
async function dumpPublicTables(world: TestWorld): Promise<Map<string, string>> {
  const { rows: tables } = await sql<{ tablename: string }>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
  `.execute(world.db);
  const dump = new Map<string, string>();
  for (const { tablename } of tables) {
    const { rows } = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(tablename)} t`.execute(world.db);
    dump.set(tablename, rows.map((r) => r.row).join("\n"));
  }
  return dump;
}

Deno.test("encryption at rest, proved from the outside", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    await insertWorkflow(world, world.org.org_id, "sandbox", "wfl_at_rest", {
      document_types: ["passport", "drivers_license", "national_id", "residence_permit"],
      selfie: true,
      user_info_fields: ["first_name", "last_name", "email", "date_of_birth"],
      proof_of_address: false,
    });
    // An integration retrying safely sends an Idempotency-Key, so the stored reply is in scope too.
    const created = await createSession(world, key, {
      workflow_id: "wfl_at_rest",
      fields: PREFILL,
      applicant_name: "Zebulon Quixotic",
      applicant_email: PREFILL.email,
      redirect_url: "https://shop.example/done",
    });
    const replay = await call(world, "POST", SESSIONS, {
      key,
      body: { fields: PREFILL, external_ref: "idem-1" },
      headers: { "Idempotency-Key": "at-rest-1" },
    });
    assert.equal(replay.status, 201);
    const token = tokenOf(created);
    expectOk(await consentFrom(world, token, APPLICANT_IP, USER_AGENT), "consent");
    assert.deepEqual(
      expectOk(await capture(world, token, "GET", "state"), "state").prefill,
      PREFILL,
      "the pre-filled values were stored (and are readable through the API)",
    );
    await captureDocuments(world, token);
    expectOk(await capture(world, token, "POST", "fields", { ...PREFILL, date_of_birth: DATE_OF_BIRTH }), "fields");
    expectOk(await capture(world, token, "POST", "complete"), "complete");
    expectOk(await capture(world, token, "POST", "sandbox-outcome", { preset: "approve" }), "outcome");
    const result = await call(world, "GET", `${SESSIONS}/${created.id}/result`, { key });
    assert.equal(result.body.extracted_data.document_number, "D1234567", "the mock PII is in the result");

    await t.step("every stored object is sealed: no image signature, no plaintext, no decode", async () => {
      const documents = await documentRows(world, created.id);
      assert.equal(documents.length, 3);
      const keys = await blobKeys(world);
      assert.deepEqual(keys, documents.flatMap((d) => [d.storage_key, d.thumbnail_key!]).sort());

      const sealed = await Promise.all(keys.map((k) => Deno.readFile(`${world.blobDir}/${k}`)));
      const plain = keys.map((k, i) => openObject(world.deps.keyRing, k, sealed[i]));
      for (const bytes of plain) assert.ok(isJpeg(bytes), "each object opens, with the key ring, to a JPEG");
      // What identifies a JPEG: SOI plus its first segment header (FF D8 FF DB 00 43 from our
      // encoder). The bare 3-byte SOI alone turns up by chance in ~1 of 70 runs of this much
      // ciphertext, so it cannot tell sealed from plain; these 6 bytes cannot appear by chance.
      const jpegStarts = [...new Set(plain.map((p) => [...p.subarray(0, 6)].join(",")))]
        .map((s) => s.split(",").map(Number));
      for (const [i, bytes] of sealed.entries()) {
        assert.ok(!isJpeg(bytes), `${keys[i]} starts like a JPEG`);
        for (const start of jpegStarts) assert.ok(!containsSignature(bytes, start), `${keys[i]} holds a JPEG`);
        assert.ok(!containsSignature(bytes, PNG_SIGNATURE), `${keys[i]} holds a PNG signature`);
        // No 32-byte run of any plaintext image survives in any object.
        for (const p of plain) {
          for (let at = 64; at + 32 <= p.length; at += Math.max(32, Math.floor(p.length / 16))) {
            assert.ok(!containsSignature(bytes, [...p.subarray(at, at + 32)]), `${keys[i]} holds image bytes`);
          }
        }
        await assert.rejects(sharp(bytes).metadata(), `${keys[i]} decodes as an image`);
      }
    });

    await t.step("no table holds the applicant's data as text", async () => {
      const dump = await dumpPublicTables(world);
      for (const table of ["sessions", "documents", "session_results", "events", "idempotency_keys"]) {
        assert.ok(dump.has(table), `no ${table} table`);
      }
      // The dump is real: it shows the session and its documents.
      assert.ok(dump.get("sessions")!.includes(created.id));
      assert.ok(dump.get("sessions")!.includes("https://shop.example/done"), "plain columns show in the dump");
      assert.equal(dump.get("documents")!.split("\n").length, 3);
      const row = await sessionRow(world, created.id);
      assert.ok(row.fields_enc && row.user_fields_enc && row.consent_ip_enc && row.applicant_name_enc);

      const needles = [
        ...Object.values(PREFILL),
        "Zebulon",
        "Quixotic",
        "zq@example",
        DATE_OF_BIRTH,
        APPLICANT_IP,
        "UniqueAgent",
        "D1234567",
        "123 Main St",
      ];
      for (const [table, text] of dump) {
        for (const needle of needles) {
          assert.ok(!text.includes(needle), `table ${table} holds "${needle}" in plain text`);
        }
      }
    });
  } finally {
    await world.close();
  }
});
