/**
 * Owns key rotation (issue #9): with a new key put first in the ring, `rotateKeys` re-encrypts
 * every `_enc` value and re-wraps every document object while sessions keep being created through
 * the API (under load); after it, and a re-run for anything a concurrent transaction held, the old
 * key is removed and every session, value and object still reads. Then the script does the same
 * from a subprocess for a second rotation.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createTestWorld } from "../helpers/test_app.ts";
import { call } from "../helpers/sessions.ts";
import { captureDocuments, consentFrom, tokenOf } from "../helpers/capture.ts";
import { mintKey } from "../helpers/cases.ts";
import { newId } from "../../core/ids.ts";
import { KeyRing } from "../../core/crypto/key_ring.ts";
import type { KeyEntry } from "../../core/config.ts";
import { countStale, rotateKeys, unreadable } from "../../core/crypto/rotation.ts";

const entry = (id: string): KeyEntry => ({ id, key: crypto.getRandomValues(new Uint8Array(32)) });
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

Deno.test("key rotation under load leaves every session readable without the old key", async (t) => {
  const k1 = entry("k1");
  const keys = { encryptionKeys: [k1], indexKey: entry("x").key, signingKeys: [entry("s1")] };
  const world = await createTestWorld({ keys });
  const key = world.org.sandbox_secret_key;
  const useRing = (ring: KeyEntry[]) => {
    world.deps.keyRing = new KeyRing(ring);
    world.setPublicUrl(world.deps.publicUrl); // rebuilds the app, whose middleware took the old ring
  };
  const sessions: string[] = [];
  const createOne = async (n: number, withDocuments: boolean) => {
    const created = await call(world, "POST", "/api/v1/sessions", {
      key,
      headers: { "Idempotency-Key": newId("idk") },
      body: { fields: { first_name: `Rota${n}`, last_name: "Tion", email: `rota${n}@example.org` } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    sessions.push(id);
    if (withDocuments) {
      const token = tokenOf(created.body);
      assert.equal((await consentFrom(world, token, "192.0.2.44", "RotationProbe/1")).status, 200);
      await captureDocuments(world, token);
    }
    return id;
  };
  const assertAllReadable = async () => {
    for (const id of sessions) {
      const got = await call(world, "GET", `/api/v1/sessions/${id}`, { key });
      assert.equal(got.status, 200, `${id}: ${JSON.stringify(got.body)}`);
    }
    assert.deepEqual(await unreadable(world.deps), []);
  };

  try {
    // Data in every kind of place: fields, consent, documents, a decided result, a review case with
    // a note and a correction-free action, an endpoint secret, stored Idempotency-Key replies.
    for (let i = 0; i < 3; i++) await createOne(i, true);
    const reviewed = sessions[0];
    const simulated = await call(world, "POST", `/api/v1/sessions/${reviewed}/simulate`, {
      key,
      body: { action: "require-review" },
    });
    assert.equal(simulated.status, 200, JSON.stringify(simulated.body));
    const caseId = (await call(world, "GET", `/api/v1/sessions/${reviewed}`, { key })).body.case_id;
    const reviewer = await mintKey(world, ["cases:read", "cases:write", "cases:decide"]);
    const note = await call(world, "POST", `/api/v1/cases/${caseId}/notes`, { key: reviewer, body: { text: "n" } });
    assert.equal(note.status, 201, JSON.stringify(note.body));
    assert.equal(
      (await call(world, "POST", `/api/v1/sessions/${sessions[1]}/simulate`, { key, body: { action: "approve" } }))
        .status,
      200,
    );
    const endpoint = await call(world, "POST", "/api/v1/webhooks/endpoints", {
      key: await mintKey(world, ["webhooks:write"]),
      body: { url: "http://127.0.0.1:9/verifa", enabled_events: ["session.approved"] },
    });
    assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
    const before = await countStale(world.deps);
    assert.ok(Object.values(before).every((n) => n === 0), "all under k1, the only key");

    const k2 = entry("k2");
    await t.step("with k2 first, a rotation under load re-encrypts everything", async () => {
      useRing([k2, k1]);
      const stale = await countStale(world.deps);
      assert.ok(stale["sessions.fields_enc"] >= 3 && stale["session_results.extracted_data_enc"] >= 1, "stale");
      let stop = false;
      let created = 0;
      const load = (async () => {
        while (!stop) await createOne(100 + created++, created % 4 === 0);
      })();
      const progress: string[] = [];
      const report = await rotateKeys(world.deps, { batchSize: 2, onProgress: (p) => progress.push(p.target) });
      stop = true;
      await load;
      assert.ok(created > 0, "sessions were created while the rotation ran");
      assert.deepEqual(report.failed, []);
      assert.ok(report.rotated["sessions.fields_enc"] >= 3);
      assert.ok(report.rotated["case_notes.text_enc"] >= 1);
      assert.ok(report.rotated["webhook_endpoints.secret_enc"] >= 1);
      assert.ok(report.rotated.blobs >= 3 * 3, JSON.stringify(report.rotated));
      assert.ok(progress.includes("blobs"));
      // A re-run resumes: only what a concurrent transaction held is left, and then nothing.
      const again = await rotateKeys(world.deps);
      assert.deepEqual(again.failed, []);
      assert.deepEqual(again.remaining, {});
      assert.equal(again.rotated.blobs, 0, "objects already under k2 are skipped");
    });

    await t.step("without k1 every session, value and object still reads", async () => {
      useRing([k2]);
      await assertAllReadable();
      const result = await call(world, "GET", `/api/v1/sessions/${sessions[1]}/result`, { key });
      assert.equal(result.status, 200, JSON.stringify(result.body));
    });

    await t.step("scripts/rotate_keys.ts rotates k2 → k3 from a subprocess, resumably", async () => {
      const k3 = entry("k3");
      const ring = [k3, k2];
      const env = {
        DATABASE_URL: world.databaseUrl,
        VERIFA_ENCRYPTION_KEYS: ring.map((k) => `${k.id}:${b64(k.key)}`).join(","),
        VERIFA_INDEX_KEY: b64(keys.indexKey),
        VERIFA_SIGNING_KEYS: keys.signingKeys.map((k) => `${k.id}:${b64(k.key)}`).join(","),
        VERIFA_BLOB_DIR: world.blobDir,
        VERIFA_LOG_LEVEL: "error",
      };
      const run = () =>
        new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", new URL("../../scripts/rotate_keys.ts", import.meta.url).pathname, "--json"],
          env,
          stdout: "piped",
          stderr: "piped",
        }).output();
      const first = await run();
      assert.equal(first.code, 0, new TextDecoder().decode(first.stderr));
      const report = JSON.parse(new TextDecoder().decode(first.stdout));
      assert.equal(report.primary_key_id, "k3");
      assert.ok(report.rotated["sessions.fields_enc"] > 0);
      const second = JSON.parse(new TextDecoder().decode((await run()).stdout));
      assert.ok(Object.values(second.rotated).every((n) => n === 0), "nothing left to do on a re-run");
      useRing([k3]);
      await assertAllReadable();
    });
  } finally {
    await world.close();
  }
});

Deno.test("scripts/rotate_keys.ts with key ids k_1 and kx1: `_` is no wildcard, nothing is skipped", async () => {
  // Under unescaped LIKE, `v1:k_1:%` matches values under kx1: they were counted as current,
  // skipped, the script exited 0, and dropping kx1 then left them unreadable.
  const kx1 = entry("kx1");
  const keys = { encryptionKeys: [kx1], indexKey: entry("x").key, signingKeys: [entry("s1")] };
  const world = await createTestWorld({ keys });
  const key = world.org.sandbox_secret_key;
  try {
    const ids: string[] = [];
    for (const n of [1, 2]) {
      const created = await call(world, "POST", "/api/v1/sessions", {
        key,
        body: { fields: { first_name: `Under${n}`, last_name: "Score", email: `under${n}@example.org` } },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      ids.push(created.body.id as string);
    }
    const k_1 = entry("k_1");
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../../scripts/rotate_keys.ts", import.meta.url).pathname, "--json"],
      env: {
        DATABASE_URL: world.databaseUrl,
        VERIFA_ENCRYPTION_KEYS: [k_1, kx1].map((k) => `${k.id}:${b64(k.key)}`).join(","),
        VERIFA_INDEX_KEY: b64(keys.indexKey),
        VERIFA_SIGNING_KEYS: keys.signingKeys.map((k) => `${k.id}:${b64(k.key)}`).join(","),
        VERIFA_BLOB_DIR: world.blobDir,
        VERIFA_LOG_LEVEL: "error",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    const report = JSON.parse(new TextDecoder().decode(run.stdout));
    assert.equal(report.primary_key_id, "k_1");
    assert.ok(report.rotated["sessions.fields_enc"] >= 2, JSON.stringify(report.rotated));

    // With kx1 gone from the ring, every value still reads.
    world.deps.keyRing = new KeyRing([k_1]);
    world.setPublicUrl(world.deps.publicUrl);
    assert.deepEqual(await unreadable(world.deps), []);
    for (const id of ids) {
      const got = await call(world, "GET", `/api/v1/sessions/${id}`, { key });
      assert.equal(got.status, 200, `${id}: ${JSON.stringify(got.body)}`);
    }
  } finally {
    await world.close();
  }
});
