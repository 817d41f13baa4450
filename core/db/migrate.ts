/** Owns applying the migrations in migrations/ in timestamp order, idempotently and under a lock. */
import type { Kysely } from "kysely";
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
