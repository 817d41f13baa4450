/**
 * Sanctions watchlists loaded locally for `watchlist_screening`: the listed parties
 * (`watchlist_entries`), every name each is listed under (`watchlist_entry_names`, trigram-indexed
 * for fuzzy matching), and the record of each import (`watchlist_imports`). Installation-wide public
 * data, so no org_id or environment.
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    -- One row per import run; the importer replaces a source's entries and writes this row in one transaction.
    CREATE TABLE watchlist_imports (
      id text PRIMARY KEY,
      source text NOT NULL CHECK (source ~ '^[a-z][a-z0-9_]*$'),
      file_sha256 text NOT NULL,
      aliases_file_sha256 text,
      list_version text,
      entry_count integer NOT NULL,
      name_count integer NOT NULL,
      imported_by text NOT NULL,
      imported_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX watchlist_imports_source_idx ON watchlist_imports (source, imported_at DESC);

    CREATE TABLE watchlist_entries (
      id text PRIMARY KEY,
      import_id text NOT NULL REFERENCES watchlist_imports(id),
      source text NOT NULL CHECK (source ~ '^[a-z][a-z0-9_]*$'),
      -- The list's own id: OFAC SDN ent_num, UN DATAID.
      source_ref text NOT NULL,
      entity_type text NOT NULL,
      -- The primary name exactly as listed (OFAC individuals read "LAST, First").
      name text NOT NULL,
      programs text[] NOT NULL DEFAULT '{}',
      -- 'YYYY-MM-DD', 'YYYY-MM', 'YYYY', or a year range 'YYYY/YYYY' (core/watchlists/dates_of_birth.ts).
      dates_of_birth text[] NOT NULL DEFAULT '{}',
      nationalities text[] NOT NULL DEFAULT '{}',
      remarks text,
      list_version text,
      imported_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (source, source_ref)
    );

    -- The primary name and each alias, each matchable on its own.
    CREATE TABLE watchlist_entry_names (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      entry_id text NOT NULL REFERENCES watchlist_entries(id) ON DELETE CASCADE,
      name text NOT NULL,
      -- Lower-case, accents folded, punctuation removed, given names first (core/watchlists/names.ts).
      name_normalized text NOT NULL,
      is_alias boolean NOT NULL,
      -- The list's own qualifier, as written: OFAC alt_type (aka, fka, nka), UN QUALITY (Good, Low).
      alias_note text
    );
    CREATE INDEX watchlist_entry_names_entry_idx ON watchlist_entry_names (entry_id);
    CREATE INDEX watchlist_entry_names_trgm_idx ON watchlist_entry_names USING gin (name_normalized gin_trgm_ops);
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  // pg_trgm stays: other objects may have come to rely on it, and keeping it costs nothing.
  await sql`
    DROP TABLE watchlist_entry_names;
    DROP TABLE watchlist_entries;
    DROP TABLE watchlist_imports;
  `.execute(db);
}
