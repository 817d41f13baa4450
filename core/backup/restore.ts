/**
 * Owns `deno task restore`: puts a backup (backup.ts) back into this installation's database and
 * blob store, then re-applies every erasure recorded in the erasure ledger since the snapshot
 * (core/privacy/erasure_ledger.ts), so a restored backup never brings back personal data that
 * was erased after it was taken.
 *
 * Order, so that nothing is touched until everything is known to be good: the manifest, the dump
 * and every object are checked against their checksums; the backup's migrations must all be ones
 * this code ships and its encryption key ids in the configured ring; pg_restore must be new
 * enough; the target database must hold no data (unless `force`). Then: the product's schemas are
 * dropped and the dump restored in one transaction; the objects are written and every object
 * not in the backup is deleted (it belongs to nothing the restored database knows) — except the
 * ledger, which is never deleted; the schema is migrated to this code; the ledger is replayed.
 */
import { join } from "node:path";
import { sql } from "kysely";
import type { Config } from "../config.ts";
import type { CoreDeps } from "../deps.ts";
import { migrateToLatest, migrationNames } from "../db/migrate.ts";
import { AppError } from "../errors.ts";
import { redactSession } from "../privacy/redaction.ts";
import { redactIdentity } from "../identities/service.ts";
import { type ErasureEntry, LEDGER_PREFIX, readErasures } from "../privacy/erasure_ledger.ts";
import type { AuditActor } from "../audit/log.ts";
import { type BackupManifest, BLOBS_DIR, DUMP_FILE, fileSha256, readManifest, sha256Hex } from "./manifest.ts";
import { BackupFailure, connectionFor, findPgTool, runPgTool } from "./pg_tools.ts";

export interface RestoreOptions {
  /** Replace a database that holds data (and ignore key ids missing from the ring). */
  force?: boolean;
  /** Check everything and say what would be done, changing nothing. */
  dryRun?: boolean;
  pgBinDir?: string;
  /** Told what will be done once everything is checked, before anything is changed. */
  onPlan?: (plan: RestorePlan) => void;
  log?: (line: string) => void;
}

export interface RestorePlan {
  manifest: BackupManifest;
  /** What the target database holds now (rows per product table), empty when it holds nothing. */
  targetData: Record<string, number>;
  objectsToWrite: number;
  /** Objects in the store now that the backup does not have (outside the ledger): deleted. */
  objectsToDelete: number;
  /** Ledger entries from the day before the snapshot on, as the target store holds them now. */
  erasures: number;
}

export interface RestoreReport extends RestorePlan {
  replayed: { erased: number; already: number; absent: number };
}

const ACTOR: AuditActor = { type: "script", id: "restore" };
/** Kysely's bookkeeping: present in a freshly migrated, empty database. */
const BOOKKEEPING = new Set(["kysely_migration", "kysely_migration_lock"]);

async function verifyBackup(dir: string, manifest: BackupManifest): Promise<void> {
  const dump = await fileSha256(join(dir, DUMP_FILE)).catch(() => null);
  if (!dump || dump.sha256 !== manifest.database.sha256) {
    throw new BackupFailure(`${dir}/${DUMP_FILE} is missing or does not match its checksum: the backup is damaged.`);
  }
  for (const [key, sha256] of Object.entries(manifest.blobs.sha256)) {
    const bytes = await Deno.readFile(join(dir, BLOBS_DIR, key)).catch(() => null);
    if (!bytes || sha256Hex(bytes) !== sha256) {
      throw new BackupFailure(
        `${dir}/${BLOBS_DIR}/${key} is missing or does not match its checksum: the backup is damaged.`,
      );
    }
  }
}

async function assertCompatible(manifest: BackupManifest, config: Readonly<Config>, force: boolean): Promise<void> {
  const shipped = new Set(await migrationNames());
  const unknown = manifest.database.migrations.filter((name) => !shipped.has(name));
  if (unknown.length > 0) {
    throw new BackupFailure(
      `The backup was made by Verifa ${manifest.product.version}, whose database has migrations this version does not ship (${
        unknown.join(", ")
      }): restore it with that version or a newer one.`,
    );
  }
  const ring = new Set(config.encryptionKeys.map((k) => k.id));
  const missing = manifest.keys.encryption_key_ids.filter((id) => !ring.has(id));
  if (missing.length > 0 && !force) {
    throw new BackupFailure(
      `The backup's data is encrypted under key ids ${
        missing.join(", ")
      }, which VERIFA_ENCRYPTION_KEYS does not hold: configure the keys that were in use when it was made (or pass --force if you know no value is under them).`,
    );
  }
}

/** Rows in each product table of the target (the migration bookkeeping aside); {} when there is nothing. */
async function targetData(deps: CoreDeps): Promise<Record<string, number>> {
  const { rows: tables } = await sql<{ name: string }>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
  `.execute(deps.db);
  const data: Record<string, number> = {};
  for (const { name } of tables) {
    if (BOOKKEEPING.has(name)) continue;
    const { rows: [row] } = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(name)}`.execute(deps.db);
    if (Number(row.n) > 0) data[name] = Number(row.n);
  }
  return data;
}

async function storeKeys(deps: CoreDeps): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of deps.blobs.list("")) if (!key.startsWith(LEDGER_PREFIX)) keys.push(key);
  return keys;
}

/** The schemas the dump creates (pg-boss's), read from its table of contents. */
function dumpSchemas(list: string): string[] {
  return [...list.matchAll(/^\d+; \d+ \d+ SCHEMA - (\S+) /gm)].map((m) => m[1]);
}

async function restoreDatabase(deps: CoreDeps, config: Readonly<Config>, dir: string, options: RestoreOptions) {
  const manifest = await readManifest(dir);
  const pgRestore = await findPgTool(
    "pg_restore",
    Number(manifest.database.pg_dump_version.split(".")[0]),
    `the dump was written by pg_dump ${manifest.database.pg_dump_version}`,
    options.pgBinDir,
  );
  const dumpPath = join(dir, DUMP_FILE);
  const schemas = dumpSchemas(await runPgTool(pgRestore, ["--list", dumpPath]));
  for (const schema of schemas) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new BackupFailure(`The dump creates an unexpected schema ${schema}.`);
  }
  // What the dump brings back replaces what is there: the product's schemas go first. pg_restore
  // then runs as one transaction, so a failure in it leaves the database empty, never half-restored.
  await deps.db.transaction().execute(async (tx) => {
    for (const schema of new Set(["public", ...schemas])) {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(tx);
    }
    await sql`CREATE SCHEMA public`.execute(tx);
  });
  const connection = connectionFor(config.databaseUrl);
  await runPgTool(
    pgRestore,
    ["--single-transaction", "--exit-on-error", `--dbname=${connection.url}`, dumpPath],
    connection.env,
  );
}

async function restoreObjects(deps: CoreDeps, dir: string, manifest: BackupManifest, stale: string[]) {
  for (const key of Object.keys(manifest.blobs.sha256)) {
    await deps.blobs.put(key, await Deno.readFile(join(dir, BLOBS_DIR, key)), "application/octet-stream");
  }
  for (const key of stale) await deps.blobs.delete(key);
}

/** Re-applies one ledger entry; an id the restored database does not have was created after the snapshot. */
async function replay(deps: CoreDeps, entry: ErasureEntry): Promise<"erased" | "already" | "absent"> {
  const scope = { orgId: entry.org_id, environment: entry.environment };
  const original = { erased_at: entry.erased_at, reason: entry.reason };
  try {
    if (entry.kind === "session") {
      const receipt = await redactSession(deps, scope, entry.id, ACTOR, "restore", { replay: original });
      return receipt.status === "deleted" ? "erased" : "already";
    }
    const outcome = await redactIdentity(deps, scope, entry.id, ACTOR, { replay: original });
    return outcome.alreadyRedacted ? "already" : "erased";
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return "absent";
    throw error;
  }
}

export async function restoreBackup(
  deps: CoreDeps,
  config: Readonly<Config>,
  dir: string,
  options: RestoreOptions = {},
): Promise<{ plan: RestorePlan; report?: RestoreReport }> {
  const log = options.log ?? (() => {});
  const manifest = await readManifest(dir);
  await assertCompatible(manifest, config, options.force ?? false);
  log(`checking ${manifest.blobs.count} objects and the dump against the manifest's checksums`);
  await verifyBackup(dir, manifest);
  const data = await targetData(deps);
  if (Object.keys(data).length > 0 && !options.force) {
    const held = Object.entries(data).map(([table, n]) => `${table} ${n}`).join(", ");
    throw new BackupFailure(
      `The target database is not empty (${held}): restoring would replace it. Restore into an empty database, or pass --force to replace this one.`,
    );
  }
  const inBackup = new Set(Object.keys(manifest.blobs.sha256));
  const stale = (await storeKeys(deps)).filter((key) => !inBackup.has(key));
  const snapshotAt = new Date(manifest.created_at);
  const plan: RestorePlan = {
    manifest,
    targetData: data,
    objectsToWrite: inBackup.size,
    objectsToDelete: stale.length,
    erasures: (await readErasures(deps.blobs, snapshotAt)).entries.length,
  };
  options.onPlan?.(plan);
  if (options.dryRun) return { plan };

  log("restoring the database");
  await restoreDatabase(deps, config, dir, options);
  log(`writing ${inBackup.size} objects, deleting ${stale.length} the backup does not have`);
  await restoreObjects(deps, dir, manifest, stale);
  await migrateToLatest(deps.db);
  // Read again: the backup's own ledger entries are in the store now too.
  const { entries } = await readErasures(deps.blobs, snapshotAt);
  log(`re-applying ${entries.length} erasures recorded since the day before the snapshot`);
  const replayed = { erased: 0, already: 0, absent: 0 };
  for (const entry of entries) replayed[await replay(deps, entry)]++;
  return { plan, report: { ...plan, erasures: entries.length, replayed } };
}
