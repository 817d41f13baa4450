/**
 * Owns loading a parsed list into the database: a source's entries are replaced whole, in one
 * transaction with the `watchlist_imports` record, so screening sees the old list or the new one
 * and never a mix.
 */
import { type Insertable, sql } from "kysely";
import type { Db } from "../db/create_db.ts";
import type { WatchlistEntriesTable, WatchlistEntryNamesTable } from "../db/database.ts";
import { AppError } from "../errors.ts";
import { newId } from "../ids.ts";
import type { ParsedList } from "./parsed_list.ts";

/** Lowercase ids such as `ofac_sdn` or `un_consolidated`; the migration checks the same pattern. */
export const SOURCE_PATTERN = /^[a-z][a-z0-9_]*$/;

// Rows per INSERT: well under Postgres' 65,535 bind parameters (12 columns × 1,000).
const BATCH_SIZE = 1_000;

export interface ImportRequest {
  source: string;
  list: ParsedList;
  fileSha256: string;
  aliasesFileSha256?: string | null;
  /** Overrides the version the file itself states (the UN list's dateGenerated; sdn.csv states none). */
  listVersion?: string | null;
  importedBy: string;
}

export interface ImportSummary {
  importId: string;
  source: string;
  listVersion: string | null;
  entryCount: number;
  nameCount: number;
  aliasCount: number;
  replacedEntryCount: number;
  skipped: number;
}

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH_SIZE) await insert(rows.slice(i, i + BATCH_SIZE));
}

export async function importWatchlist(db: Db, request: ImportRequest): Promise<ImportSummary> {
  const { source, list } = request;
  if (!SOURCE_PATTERN.test(source)) {
    throw new AppError("invalid_parameter", `Invalid source "${source}": use a lowercase id such as ofac_sdn.`);
  }
  const importId = newId("wli");
  const listVersion = request.listVersion ?? list.listVersion;
  const importedAt = new Date();
  const entries: Insertable<WatchlistEntriesTable>[] = [];
  const names: Insertable<WatchlistEntryNamesTable>[] = [];
  for (const entry of list.entries) {
    const id = newId("wle");
    entries.push({
      id,
      import_id: importId,
      source,
      source_ref: entry.sourceRef,
      entity_type: entry.entityType,
      name: entry.names[0].name,
      programs: entry.programs,
      dates_of_birth: entry.datesOfBirth,
      nationalities: entry.nationalities,
      remarks: entry.remarks,
      list_version: listVersion,
      imported_at: importedAt,
    });
    for (const name of entry.names) {
      names.push({
        entry_id: id,
        name: name.name,
        name_normalized: name.normalized,
        is_alias: name.isAlias,
        alias_note: name.aliasNote,
      });
    }
  }

  const replacedEntryCount = await db.transaction().execute(async (tx) => {
    // Two imports of one source at once would each delete the other's rows; take turns instead.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`watchlist_import:${source}`}))`.execute(tx);
    await tx.insertInto("watchlist_imports").values({
      id: importId,
      source,
      file_sha256: request.fileSha256,
      aliases_file_sha256: request.aliasesFileSha256 ?? null,
      list_version: listVersion,
      entry_count: entries.length,
      name_count: names.length,
      imported_by: request.importedBy,
      imported_at: importedAt,
    }).execute();
    // The names go with their entries (ON DELETE CASCADE).
    const deleted = await tx.deleteFrom("watchlist_entries").where("source", "=", source).executeTakeFirst();
    await insertInBatches(entries, (batch) => tx.insertInto("watchlist_entries").values(batch).execute());
    await insertInBatches(names, (batch) => tx.insertInto("watchlist_entry_names").values(batch).execute());
    return Number(deleted.numDeletedRows);
  });

  return {
    importId,
    source,
    listVersion,
    entryCount: entries.length,
    nameCount: names.length,
    aliasCount: names.length - entries.length,
    replacedEntryCount,
    skipped: list.skipped,
  };
}
