/**
 * Owns `deno task backup` and `deno task restore` as an operator runs them (real subprocesses, a
 * real Postgres, each blob driver): back up, erase sessions through the API, lose the database,
 * restore last night's backup — the erased sessions stay erased (no personal data, no documents,
 * a receipt), the others come back whole with their documents, the audit chain verifies. Also:
 * a database that holds data is refused without --force, a damaged backup changes nothing, and a
 * server newer than every installed pg_dump is one sentence.
 *
 * The server is Debian's PostgreSQL (tests/helpers/system_postgres.ts): pg_dump refuses a server
 * newer than itself, and the embedded package's Postgres 18 ships no pg_dump.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { sql } from "kysely";
import { createDb } from "../../core/db/create_db.ts";
import { migrateToLatest } from "../../core/db/migrate.ts";
import { dropDatabase, ensureDatabase } from "../../core/embedded/embedded_postgres.ts";
import { createFsBlobStore } from "../../core/storage/fs_blob_store.ts";
import { createS3BlobStore } from "../../core/storage/s3_blob_store.ts";
import type { BlobStore } from "../../core/storage/blob_store.ts";
import type { KeyEntry } from "../../core/config.ts";
import { sessionBlobPrefix } from "../../core/documents/service.ts";
import { createApp } from "../../api/app.ts";
import { createTestDatabase, createTestDeps, createTestWorld, type TestDatabase } from "../helpers/test_app.ts";
import { call, createSession } from "../helpers/sessions.ts";
import { decidedSession, IDENTITIES } from "../helpers/identities.ts";
import { captureDocuments, consentFrom, tokenOf } from "../helpers/capture.ts";
import { startS3rver } from "../helpers/s3rver.ts";
import { startSystemPostgres, type SystemPostgres } from "../helpers/system_postgres.ts";
import { baseEnv, exists, makeDataDir, run } from "../helpers/subprocess.ts";
import { remainingSecrets } from "../privacy/scan.ts";

const keyEntry = (id: string): KeyEntry => ({ id, key: crypto.getRandomValues(new Uint8Array(32)) });
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const KEYS = { encryptionKeys: [keyEntry("k2026")], indexKey: keyEntry("x").key, signingKeys: [keyEntry("s1")] };
const KEY_ENV = {
  VERIFA_ENCRYPTION_KEYS: KEYS.encryptionKeys.map((k) => `${k.id}:${b64(k.key)}`).join(","),
  VERIFA_INDEX_KEY: b64(KEYS.indexKey),
  VERIFA_SIGNING_KEYS: KEYS.signingKeys.map((k) => `${k.id}:${b64(k.key)}`).join(","),
  VERIFA_LOG_LEVEL: "error",
};

/** One installation: a database on the system Postgres and a blob store, as the scripts see them. */
interface Installation {
  database: TestDatabase;
  blobs: BlobStore;
  env: Record<string, string>;
  /** The database is lost: dropped and created again, empty. */
  loseDatabase(): Promise<void>;
  /** A new pool, after a world closed the one it was given. */
  reconnect(): void;
  close(): Promise<void>;
}

async function installation(server: SystemPostgres, driver: "filesystem" | "s3"): Promise<Installation> {
  const name = "verifa";
  await ensureDatabase(server.adminUrl, name);
  const url = server.adminUrl.replace(/\/postgres$/, `/${name}`);
  const open = () => {
    const db = createDb(url, 4);
    return { url, db, drop: () => db.destroy() };
  };
  const database: TestDatabase = open();
  await migrateToLatest(database.db);
  let blobs: BlobStore;
  let storeEnv: Record<string, string>;
  let closeStore: () => Promise<void>;
  if (driver === "s3") {
    const s3 = await startS3rver();
    const config = s3.config("verifa-documents");
    blobs = await createS3BlobStore(config);
    storeEnv = {
      VERIFA_S3_ENDPOINT: config.endpoint,
      VERIFA_S3_ACCESS_KEY: config.accessKey,
      VERIFA_S3_SECRET_KEY: config.secretKey,
      VERIFA_S3_BUCKET: config.bucket,
      VERIFA_S3_REGION: config.region,
    };
    closeStore = () => s3.close();
  } else {
    const dir = await makeDataDir("blobs-");
    blobs = await createFsBlobStore(dir);
    storeEnv = { VERIFA_BLOB_DIR: dir };
    closeStore = () => Deno.remove(dir, { recursive: true });
  }
  const handle: Installation = {
    database,
    blobs,
    env: baseEnv({ DATABASE_URL: url, ...KEY_ENV, ...storeEnv }),
    reconnect() {
      handle.database = open();
    },
    async loseDatabase() {
      await handle.database.drop();
      await dropDatabase(server.adminUrl, name);
      await ensureDatabase(server.adminUrl, name);
      handle.database = open();
    },
    async close() {
      await handle.database.drop();
      await closeStore();
    },
  };
  return handle;
}

const task = (name: string, args: string[], env: Record<string, string>) =>
  run([Deno.execPath(), "task", name, ...args], env);

/** The app over an installation's database and store, as the API process would run after a restore. */
async function appOver(inst: Installation) {
  const { deps, release } = await createTestDeps(inst.database, () => new Date(), { keys: KEYS, blobs: inst.blobs });
  const app = createApp(deps);
  const json = async (method: string, path: string, key: string) => {
    const response = await app.request(path, { method, headers: { "X-API-Key": key } });
    return { status: response.status, body: await response.json() };
  };
  return { app, json, release };
}

async function objectsUnder(blobs: BlobStore, prefix: string): Promise<string[]> {
  return await Array.fromAsync(blobs.list(prefix));
}

async function backupRoundTrip(t: Deno.TestContext, driver: "filesystem" | "s3") {
  const server = await startSystemPostgres();
  const inst = await installation(server, driver);
  const backups = await makeDataDir("backups-");
  const world = await createTestWorld({ database: inst.database, keys: KEYS, blobs: inst.blobs });
  const key = world.org.sandbox_secret_key;
  const scope = { orgId: world.org.org_id, environment: "sandbox" as const };
  try {
    /** A session with personal data (name, email, consent IP) and documents front, back and selfie. */
    const seed = async (name: string, ip: string) => {
      const session = await createSession(world, key, { applicant_name: name, applicant_email: `${name}@example.org` });
      const token = tokenOf(session);
      assert.equal((await consentFrom(world, token, ip, "BackupProbe/1.0")).status, 200);
      await captureDocuments(world, token);
      return session.id as string;
    };
    const erased = await seed("Ottoline", "203.0.113.11");
    const kept = await seed("Peregrine", "203.0.113.12");
    const heldThenErased = await seed("Quillon", "203.0.113.13");
    // A person, erased as a whole after the backup: their session and the identity record.
    const personSession = (await decidedSession(world, key, "person_rosalind", "approve")).id as string;
    const person = await call(world, "GET", `${IDENTITIES}/person_rosalind`, { key });
    assert.equal(person.status, 200, JSON.stringify(person.body));
    assert.notDeepEqual(person.body.extracted_data, {}, "the approved session gave the person data to erase");
    const hold = await call(world, "POST", `/api/v1/sessions/${heldThenErased}/legal-hold`, {
      key,
      body: { reason: "litigation 2026-114" },
    });
    assert.equal(hold.status, 200, JSON.stringify(hold.body));
    const keptDocuments = (await call(world, "GET", `/api/v1/sessions/${kept}/documents`, { key })).body.data;
    assert.equal(keptDocuments.length, 3);
    const download = async (app: { request: typeof world.app.request }, url: string) => {
      const { pathname, search } = new URL(url);
      const response = await app.request(pathname + search);
      return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
    };
    const keptBytes = await Promise.all(keptDocuments.map((d: { url: string }) => download(world.app, d.url)));
    assert.ok(keptBytes.every((d) => d.status === 200 && d.bytes.length > 1000));

    let backupPath = "";
    await t.step("deno task backup writes the dump, every object and a manifest of key ids", async () => {
      const proc = await task("backup", ["--out", backups], inst.env);
      assert.equal(proc.exit?.code, 0, proc.describe());
      backupPath = /^backup written: (\S+)$/m.exec(proc.stdout)?.[1] ?? "";
      assert.ok(backupPath.startsWith(`${backups}/verifa-backup-`), proc.stdout);
      const manifest = JSON.parse(await Deno.readTextFile(`${backupPath}/manifest.json`));
      assert.equal(manifest.format, "verifa-backup/1");
      assert.equal(manifest.database.sessions, 4);
      assert.equal(manifest.blobs.count, 18, "front, back, selfie and their thumbnails of 3 sessions");
      assert.equal(manifest.blobs.referenced_missing, 0);
      assert.deepEqual(manifest.keys, {
        encrypting_key_id: "k2026",
        encryption_key_ids: ["k2026"],
        signing_key_ids: ["s1"],
      });
      const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
      assert.equal(manifest.product.version, config.version);
      // Key ids, never key material, anywhere in the backup's manifest.
      const text = await Deno.readTextFile(`${backupPath}/manifest.json`);
      for (const k of [...KEYS.encryptionKeys, ...KEYS.signingKeys]) assert.ok(!text.includes(b64(k.key)));
      assert.ok(!text.includes(b64(KEYS.indexKey)));
      assert.equal((await Deno.stat(backupPath)).mode! & 0o777, 0o700);
      assert.equal((await Deno.stat(`${backupPath}/database.dump`)).mode! & 0o777, 0o600);
    });

    await t.step(
      "after the backup one session is erased, a held one released and erased, a person erased",
      async () => {
        const first = await call(world, "DELETE", `/api/v1/sessions/${erased}/data`, { key });
        assert.equal(first.status, 200, JSON.stringify(first.body));
        const release = await call(world, "POST", `/api/v1/sessions/${heldThenErased}/legal-hold/release`, {
          key,
          body: { reason: "case closed" },
        });
        assert.equal(release.status, 200, JSON.stringify(release.body));
        const second = await call(world, "DELETE", `/api/v1/sessions/${heldThenErased}/data`, { key });
        assert.equal(second.status, 200, JSON.stringify(second.body));
        assert.deepEqual(await objectsUnder(inst.blobs, sessionBlobPrefix(scope, erased)), []);
        const third = await call(world, "DELETE", `${IDENTITIES}/${person.body.id}`, { key });
        assert.equal(third.status, 200, JSON.stringify(third.body));
        assert.equal(third.body.sessions_redacted, 1);
      },
    );

    await t.step("the database is lost; deno task restore brings last night's backup back", async () => {
      await world.close();
      await inst.loseDatabase();
      const proc = await task("restore", [backupPath], inst.env);
      assert.equal(proc.exit?.code, 0, proc.describe());
      assert.match(proc.stdout, /^restoring the backup of /m);
      // The person's erasure is replayed first (it was recorded before their session's), which
      // erases their session again too; that session's own entry then finds it already erased.
      assert.match(proc.stdout, /^restored\. erasures re-applied: 3 erased again, 1 already erased/m);
    });

    await t.step("the erased sessions stay erased: no personal data, no documents, a receipt", async () => {
      const after = await appOver(inst);
      try {
        for (const id of [erased, heldThenErased, personSession]) {
          const session = await after.json("GET", `/api/v1/sessions/${id}`, key);
          assert.equal(session.status, 200);
          assert.equal(session.body.retention_status, "redacted");
          assert.equal(session.body.consent_ip, null);
          const documents = await after.json("GET", `/api/v1/sessions/${id}/documents`, key);
          assert.deepEqual(documents.body.data, []);
          assert.deepEqual(await objectsUnder(inst.blobs, sessionBlobPrefix(scope, id)), []);
          assert.deepEqual(await remainingSecrets({ db: inst.database.db } as never, id), []);
          const receipts = await after.json("GET", `/api/v1/events?action=session.redacted&resource_id=${id}`, key);
          assert.equal(receipts.status, 200, JSON.stringify(receipts.body));
          assert.equal(receipts.body.data.length, 1);
          assert.equal(receipts.body.data[0].metadata.reason, "restore");
          assert.equal(receipts.body.data[0].metadata.replayed.reason, id === personSession ? "identity" : "api");
        }
        const identity = await after.json("GET", `${IDENTITIES}/${person.body.id}`, key);
        assert.equal(identity.status, 200);
        assert.equal(identity.body.status, "redacted");
        assert.deepEqual(identity.body.extracted_data, {});
        const row = await inst.database.db.selectFrom("identities").select(["pii_enc", "email_bidx"])
          .where("id", "=", person.body.id).executeTakeFirstOrThrow();
        assert.deepEqual(row, { pii_enc: null, email_bidx: null });
      } finally {
        await after.release();
      }
    });

    await t.step("the session not erased is back whole, with its documents", async () => {
      const after = await appOver(inst);
      try {
        const session = await after.json("GET", `/api/v1/sessions/${kept}`, key);
        assert.equal(session.status, 200);
        assert.notEqual(session.body.retention_status, "redacted");
        assert.equal(session.body.consent_ip, "203.0.113.12");
        const documents = (await after.json("GET", `/api/v1/sessions/${kept}/documents`, key)).body.data;
        assert.equal(documents.length, 3);
        const bytes = await Promise.all(documents.map((d: { url: string }) => download(after.app, d.url)));
        assert.deepEqual(bytes, keptBytes);
      } finally {
        await after.release();
      }
    });

    await t.step("the audit chain with the re-applied receipts verifies", async () => {
      const proc = await task("verify-audit", [], inst.env);
      assert.equal(proc.exit?.code, 0, proc.describe());
      assert.match(proc.stdout, /audit chain intact/);
    });
  } finally {
    await inst.close();
    await server.stop();
    await Deno.remove(backups, { recursive: true });
  }
}

Deno.test("backup, erase, lose the database, restore: erasures stay (filesystem blob store)", async (t) => {
  await backupRoundTrip(t, "filesystem");
});

Deno.test("backup, erase, lose the database, restore: erasures stay (S3 blob store on s3rver)", async (t) => {
  await backupRoundTrip(t, "s3");
});

Deno.test("restore refuses a database holding data without --force, and a damaged backup changes nothing", async (t) => {
  const server = await startSystemPostgres();
  const inst = await installation(server, "filesystem");
  const backups = await makeDataDir("backups-");
  const world = await createTestWorld({ database: inst.database, keys: KEYS, blobs: inst.blobs });
  const key = world.org.sandbox_secret_key;
  const sessions = async () => (await world.db.selectFrom("sessions").select("id").execute()).map((r) => r.id).sort();
  try {
    const before = (await createSession(world, key)).id;
    const proc = await task("backup", ["--out", backups], inst.env);
    assert.equal(proc.exit?.code, 0, proc.describe());
    const backupPath = /^backup written: (\S+)$/m.exec(proc.stdout)![1];
    const after = (await createSession(world, key)).id;

    await t.step("--dry-run says what it would do and changes nothing", async () => {
      const dry = await task("restore", [backupPath, "--dry-run", "--force"], inst.env);
      assert.equal(dry.exit?.code, 0, dry.describe());
      assert.match(dry.stdout, /^would restore the backup of /m);
      assert.match(dry.stdout, /replacing what the target holds \(.*sessions 2/);
      assert.deepEqual(await sessions(), [before, after].sort());
    });

    await t.step("without --force a database holding data is refused, untouched", async () => {
      const refused = await task("restore", [backupPath], inst.env);
      assert.equal(refused.exit?.code, 1, refused.describe());
      assert.match(refused.stderr, /The target database is not empty \(.*sessions 2.*\): .*--force/);
      assert.deepEqual(await sessions(), [before, after].sort());
    });

    await t.step("a backup whose dump does not match its checksum is refused, untouched", async () => {
      const damaged = `${backups}/damaged`;
      await run(["cp", "-a", backupPath, damaged], baseEnv({}));
      const dump = await Deno.readFile(`${damaged}/database.dump`);
      dump[dump.length - 10] ^= 0xff;
      await Deno.writeFile(`${damaged}/database.dump`, dump);
      const refused = await task("restore", [damaged, "--force"], inst.env);
      assert.equal(refused.exit?.code, 1, refused.describe());
      assert.match(refused.stderr, /database\.dump is missing or does not match its checksum/);
      assert.deepEqual(await sessions(), [before, after].sort());
    });

    await t.step("a folder that is no backup is one sentence", async () => {
      const refused = await task("restore", [backups, "--force"], inst.env);
      assert.equal(refused.exit?.code, 1, refused.describe());
      assert.match(refused.stderr, /is not a Verifa backup: it has no readable manifest\.json/);
    });

    await t.step("with --force the database is replaced by the backup's", async () => {
      await world.close();
      inst.reconnect();
      const forced = await task("restore", [backupPath, "--force"], inst.env);
      assert.equal(forced.exit?.code, 0, forced.describe());
      const ids = (await inst.database.db.selectFrom("sessions").select("id").execute()).map((r) => r.id);
      assert.deepEqual(ids, [before]);
    });
  } finally {
    await inst.close();
    await server.stop();
    await Deno.remove(backups, { recursive: true });
  }
});

Deno.test("backup of a server newer than every installed pg_dump is one sentence, exit 69, nothing written", async () => {
  // The test suite's own server is the embedded Postgres 18, which ships no pg_dump.
  const database = await createTestDatabase();
  const backups = await makeDataDir("backups-");
  try {
    const blobDir = `${backups}/blobs`;
    const proc = await task(
      "backup",
      ["--out", `${backups}/out`],
      baseEnv({
        DATABASE_URL: database.url,
        ...KEY_ENV,
        VERIFA_BLOB_DIR: blobDir,
      }),
    );
    const { rows: [row] } = await sql<{ v: string }>`SELECT current_setting('server_version_num') AS v`.execute(
      database.db,
    );
    const major = Math.floor(Number(row.v) / 10_000);
    assert.equal(proc.exit?.code, 69, proc.describe());
    assert.match(
      proc.stderr,
      new RegExp(
        `^pg_dump of PostgreSQL ${major} or newer is needed \\(the database server runs PostgreSQL ${major}\\.[^)]*\\) and this machine found .*: install PostgreSQL ${major}'s client tools .* or pass --pg-bin-dir`,
        "m",
      ),
    );
    assert.ok(!proc.stderr.includes("    at "), "no stack trace");
    assert.equal(await exists(`${backups}/out`), false);
  } finally {
    await database.drop();
    await Deno.remove(backups, { recursive: true });
  }
});
