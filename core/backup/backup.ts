/**
 * Owns `deno task backup`: one consistent snapshot of an installation in a folder of its own —
 * the database as pg_dump writes it (custom format), every object of the blob store, and a
 * manifest (manifest.ts) with the product version, the migrations the snapshot has, blob
 * checksums and the key ids in use, never key material.
 *
 * Consistency: we open a REPEATABLE READ transaction, export its snapshot and hand it to pg_dump
 * (`--snapshot`), so the dump is exactly that moment; only then are the objects listed and copied.
 * A document row commits after its objects are written, so every object the dump refers to existed
 * when the snapshot was taken; one gone by the time it is copied was erased since, which the
 * erasure ledger (core/privacy/erasure_ledger.ts) re-applies at restore anyway. Objects written
 * after the snapshot may be copied too; the restore keeps them only if the dump names them.
 * The folder is written as `<name>.partial` and renamed when complete, so an interrupted backup
 * never looks like one.
 */
import { dirname, join, resolve } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import type { Config } from "../config.ts";
import type { Db } from "../db/create_db.ts";
import type { BlobStore } from "../storage/blob_store.ts";
import { assertValidBlobKey } from "../storage/blob_store.ts";
import { buildInfo } from "../observability/build_info.ts";
import {
  BACKUP_FORMAT,
  type BackupManifest,
  BLOBS_DIR,
  DUMP_FILE,
  fileSha256,
  sha256Hex,
  writeManifest,
} from "./manifest.ts";
import { BackupFailure, connectionFor, findPgTool, runPgTool } from "./pg_tools.ts";

export interface BackupOptions {
  /** The folder the backup folder is created in. */
  outDir: string;
  /** A folder holding pg_dump, looked at first. */
  pgBinDir?: string;
  /** Objects copied at once. */
  concurrency?: number;
  log?: (line: string) => void;
}

/** The server's version, e.g. "15.18" and 15. */
export async function serverVersion(db: Db): Promise<{ version: string; major: number }> {
  const { rows: [row] } = await sql<{ num: string; version: string }>`
    SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version
  `.execute(db);
  return { version: row.version.split(" ")[0], major: Math.floor(Number(row.num) / 10_000) };
}

interface Snapshot {
  id: string;
  takenAt: Date;
  migrations: string[];
  organizations: number;
  sessions: number;
  referencedKeys: Set<string>;
  release(): Promise<void>;
}

/** Opens the snapshot transaction and reads, inside it, what the manifest records of the database. */
async function openSnapshot(databaseUrl: string): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const { rows: [snap] } = await client.query("SELECT pg_export_snapshot() AS id, now() AS at");
    const migrated = (await client.query("SELECT to_regclass('kysely_migration') IS NOT NULL AS ok")).rows[0].ok;
    const migrations = migrated
      ? (await client.query("SELECT name FROM kysely_migration ORDER BY name")).rows.map((r: { name: string }) =>
        r.name
      )
      : [];
    const hasTables = (await client.query("SELECT to_regclass('documents') IS NOT NULL AS ok")).rows[0].ok;
    const count = async (table: string) =>
      hasTables ? Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n) : 0;
    const referencedKeys = new Set<string>();
    if (hasTables) {
      for (const row of (await client.query("SELECT storage_key, thumbnail_key FROM documents")).rows) {
        referencedKeys.add(row.storage_key);
        if (row.thumbnail_key) referencedKeys.add(row.thumbnail_key);
      }
    }
    return {
      id: snap.id,
      takenAt: new Date(snap.at),
      migrations,
      organizations: await count("organizations"),
      sessions: await count("sessions"),
      referencedKeys,
      release: async () => {
        await client.query("COMMIT").catch(() => {});
        await client.end();
      },
    };
  } catch (error) {
    await client.end();
    throw error;
  }
}

/** Copies every object into `<dir>/blobs/<key>`, with its checksum; objects gone meanwhile are skipped. */
async function copyBlobs(blobs: BlobStore, dir: string, concurrency: number, log: (line: string) => void) {
  const keys: string[] = [];
  for await (const key of blobs.list("")) keys.push(key);
  keys.sort();
  const sha256: Record<string, string> = {};
  let bytes = 0;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++];
      assertValidBlobKey(key); // Keys become paths below: never one that could leave the folder.
      const data = await blobs.get(key);
      if (data) {
        const path = join(dir, BLOBS_DIR, key);
        await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
        await Deno.writeFile(path, data, { mode: 0o600 });
        sha256[key] = sha256Hex(data);
        bytes += data.byteLength;
      }
      if (++done % 500 === 0) log(`objects: ${done}/${keys.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { sha256: Object.fromEntries(Object.entries(sha256).sort(([a], [b]) => a < b ? -1 : 1)), bytes };
}

export async function createBackup(
  deps: { db: Db; blobs: BlobStore },
  config: Readonly<Config>,
  options: BackupOptions,
): Promise<{ path: string; manifest: BackupManifest }> {
  const log = options.log ?? (() => {});
  const server = await serverVersion(deps.db);
  const pgDump = await findPgTool(
    "pg_dump",
    server.major,
    `the database server runs PostgreSQL ${server.version}`,
    options.pgBinDir,
  );
  const outDir = resolve(options.outDir);
  await Deno.mkdir(outDir, { recursive: true });
  const snapshot = await openSnapshot(config.databaseUrl);
  const name = `verifa-backup-${snapshot.takenAt.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}`;
  const finalPath = join(outDir, name);
  const staging = `${finalPath}.partial`;
  try {
    if (await Deno.stat(finalPath).then(() => true, () => false)) {
      throw new BackupFailure(`${finalPath} already exists: a backup of this second is there; run again.`);
    }
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    // Identity documents and their database: only this user may read them.
    await Deno.mkdir(staging, { mode: 0o700 });
    log(`snapshot ${snapshot.takenAt.toISOString()}: dumping the database with ${pgDump.path} (${pgDump.version})`);
    const connection = connectionFor(config.databaseUrl);
    const dumpPath = join(staging, DUMP_FILE);
    // The dump runs in its own process; the objects are copied meanwhile, the snapshot being taken.
    const [, copied] = await Promise.all([
      runPgTool(
        pgDump,
        ["--format=custom", `--snapshot=${snapshot.id}`, `--file=${dumpPath}`, `--dbname=${connection.url}`],
        connection.env,
      ),
      copyBlobs(deps.blobs, staging, options.concurrency ?? 4, log),
    ]);
    await Deno.chmod(dumpPath, 0o600);
    const dump = await fileSha256(dumpPath);
    const info = await buildInfo();
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      created_at: snapshot.takenAt.toISOString(),
      product: { version: info.version, commit: info.commit },
      database: {
        file: DUMP_FILE,
        ...dump,
        server_version: server.version,
        pg_dump_version: pgDump.version,
        migrations: snapshot.migrations,
        organizations: snapshot.organizations,
        sessions: snapshot.sessions,
      },
      blobs: {
        store: config.s3 ? "s3" : "filesystem",
        count: Object.keys(copied.sha256).length,
        bytes: copied.bytes,
        referenced_missing: [...snapshot.referencedKeys].filter((key) => !(key in copied.sha256)).length,
        sha256: copied.sha256,
      },
      keys: {
        encrypting_key_id: config.encryptionKeys[0].id,
        encryption_key_ids: config.encryptionKeys.map((k) => k.id),
        signing_key_ids: config.signingKeys.map((k) => k.id),
      },
    };
    await writeManifest(staging, manifest);
    await Deno.rename(staging, finalPath);
    return { path: finalPath, manifest };
  } catch (error) {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    throw error;
  } finally {
    await snapshot.release();
  }
}
