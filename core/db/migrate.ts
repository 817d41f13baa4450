/** Owns applying the migrations in migrations/ in timestamp order, idempotently and under a lock. */
import { type Kysely, sql } from "kysely";
import { type Migration, type MigrationProvider, Migrator } from "kysely/migration";

const MIGRATIONS_DIR = new URL("../../migrations/", import.meta.url);

/** The migrations this code ships, by name (the file without `.ts`), in the order they apply. */
export async function migrationNames(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(MIGRATIONS_DIR)) {
    if (entry.isFile && entry.name.endsWith(".ts")) names.push(entry.name.replace(/\.ts$/, ""));
  }
  return names.sort();
}

class DirectoryMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const name of await migrationNames()) {
      migrations[name] = await import(new URL(`${name}.ts`, MIGRATIONS_DIR).href);
    }
    return migrations;
  }
}

// deno-lint-ignore no-explicit-any
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new DirectoryMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** The migrations the database has applied, by name in order; none before the first migration made the table. */
// deno-lint-ignore no-explicit-any
export async function appliedMigrationNames(db: Kysely<any>): Promise<string[]> {
  const { rows: [table] } = await sql<{ ok: boolean }>`SELECT to_regclass('kysely_migration') IS NOT NULL AS ok`
    .execute(db);
  if (!table.ok) return [];
  return (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)).rows.map((r) =>
    r.name
  );
}

export interface MigrationStatus {
  applied: string[];
  /** Shipped and not applied: `deno task migrate` applies them. */
  pending: string[];
  /** Applied but not shipped by this code: the database was migrated by a newer version. */
  unknown: string[];
}

// deno-lint-ignore no-explicit-any
export async function migrationStatus(db: Kysely<any>): Promise<MigrationStatus> {
  const shipped = await migrationNames();
  const applied = await appliedMigrationNames(db);
  const done = new Set(applied);
  const known = new Set(shipped);
  return {
    applied,
    pending: shipped.filter((name) => !done.has(name)),
    unknown: applied.filter((name) => !known.has(name)),
  };
}
