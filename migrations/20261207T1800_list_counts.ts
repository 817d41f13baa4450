/**
 * List totals kept beside the rows (issue #17, docs/scaling.md): at ten million sessions an exact
 * `pagination.total` recounted per request cost 15-25 ms of Postgres CPU (one index entry per
 * matching row). Now:
 *
 * - `list_count_deltas` takes, per statement that inserts, deletes or changes the status of
 *   `sessions` or `session_results` rows, one row per (organisation, environment, status) with the
 *   change in their number. Append-only: concurrent writers never wait on a shared counter row (a
 *   per-organisation counter would serialise an organisation's writes, which this issue removed
 *   from the audit chain).
 * - `list_counts` holds the folded numbers; `fold_list_counts()` (the worker's `list-counts.fold`
 *   job, and a read that finds many deltas) moves the deltas into it in one statement.
 * - A total is the folded number plus the deltas since, read in one statement: the same snapshot,
 *   so it is exactly what `count(*)` would say.
 *
 * Statement-level triggers with transition tables: a bulk statement (the scale loader's batches,
 * the expiry sweep) costs one aggregate insert, not one per row. TRUNCATE forgets the list.
 * Existing rows are counted here, in the migration's transaction, which holds writes on the two
 * tables meanwhile (seconds at ten million sessions).
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE list_counts (
      org_id text NOT NULL,
      environment text NOT NULL,
      list text NOT NULL CHECK (list IN ('sessions', 'results')),
      status text NOT NULL,
      n bigint NOT NULL,
      PRIMARY KEY (org_id, environment, list, status)
    );
    CREATE TABLE list_count_deltas (
      org_id text NOT NULL,
      environment text NOT NULL,
      list text NOT NULL CHECK (list IN ('sessions', 'results')),
      status text NOT NULL,
      delta bigint NOT NULL
    );
    CREATE INDEX list_count_deltas_scope_idx ON list_count_deltas (org_id, environment, list, status);

    -- Inserts, deletes and TRUNCATE of either table; TG_ARGV[0] names the list.
    CREATE FUNCTION count_list_changes() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE
      list_name text := TG_ARGV[0];
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO list_count_deltas (org_id, environment, list, status, delta)
          SELECT org_id, environment, list_name, status::text, count(*) FROM new_rows GROUP BY 1, 2, 4;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO list_count_deltas (org_id, environment, list, status, delta)
          SELECT org_id, environment, list_name, status::text, -count(*) FROM old_rows GROUP BY 1, 2, 4;
      ELSE
        DELETE FROM list_counts WHERE list = list_name;
        DELETE FROM list_count_deltas WHERE list = list_name;
      END IF;
      RETURN NULL;
    END
    $fn$;
  `.execute(db);

  // Updates match old and new rows by each table's own key, so each table has its function.
  for (const [table, list, key] of [["sessions", "sessions", "id"], ["session_results", "results", "session_id"]]) {
    await sql.raw(`
      CREATE FUNCTION count_${table}_updates() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO list_count_deltas (org_id, environment, list, status, delta)
          SELECT org_id, environment, '${list}', status, sum(delta) FROM (
            SELECT o.org_id, o.environment, o.status::text AS status, -1 AS delta
              FROM old_rows o JOIN new_rows n ON n.${key} = o.${key}
              WHERE (n.org_id, n.environment, n.status::text) IS DISTINCT FROM (o.org_id, o.environment, o.status::text)
            UNION ALL
            SELECT n.org_id, n.environment, n.status::text, 1
              FROM old_rows o JOIN new_rows n ON n.${key} = o.${key}
              WHERE (n.org_id, n.environment, n.status::text) IS DISTINCT FROM (o.org_id, o.environment, o.status::text)
          ) moved GROUP BY 1, 2, 4 HAVING sum(delta) <> 0;
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER ${table}_count_inserts AFTER INSERT ON ${table}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_list_changes('${list}');
      CREATE TRIGGER ${table}_count_deletes AFTER DELETE ON ${table}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_list_changes('${list}');
      CREATE TRIGGER ${table}_count_updates AFTER UPDATE ON ${table}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_${table}_updates();
      CREATE TRIGGER ${table}_count_truncates AFTER TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION count_list_changes('${list}');
      INSERT INTO list_counts (org_id, environment, list, status, n)
        SELECT org_id, environment, '${list}', status::text, count(*) FROM ${table} GROUP BY 1, 2, 4;
    `).execute(db);
  }

  await sql`
    CREATE FUNCTION fold_list_counts() RETURNS bigint LANGUAGE sql AS $fn$
      WITH moved AS (
        DELETE FROM list_count_deltas RETURNING org_id, environment, list, status, delta
      ), folded AS (
        INSERT INTO list_counts (org_id, environment, list, status, n)
          SELECT org_id, environment, list, status, sum(delta) FROM moved GROUP BY 1, 2, 3, 4
        ON CONFLICT (org_id, environment, list, status) DO UPDATE SET n = list_counts.n + excluded.n
        RETURNING 1
      )
      SELECT count(*) FROM moved WHERE (SELECT count(*) FROM folded) >= 0;
    $fn$;
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER sessions_count_inserts ON sessions;
    DROP TRIGGER sessions_count_deletes ON sessions;
    DROP TRIGGER sessions_count_updates ON sessions;
    DROP TRIGGER sessions_count_truncates ON sessions;
    DROP TRIGGER session_results_count_inserts ON session_results;
    DROP TRIGGER session_results_count_deletes ON session_results;
    DROP TRIGGER session_results_count_updates ON session_results;
    DROP TRIGGER session_results_count_truncates ON session_results;
    DROP FUNCTION fold_list_counts();
    DROP FUNCTION count_sessions_updates();
    DROP FUNCTION count_session_results_updates();
    DROP FUNCTION count_list_changes();
    DROP TABLE list_count_deltas;
    DROP TABLE list_counts;
  `.execute(db);
}
