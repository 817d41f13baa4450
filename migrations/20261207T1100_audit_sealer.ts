/**
 * The audit chain leaves the request path (issue #17): a request appends its audit row unsealed
 * (no `sequence_num`, `prev_hash` or `hash`) in the change's own transaction, without the
 * per-organisation lock, and the sealer (core/audit/seal.ts, the worker's `audit.seal` job) gives
 * each organisation's rows their place in the chain and their hashes afterwards, in batches.
 *
 * - `append_id` numbers rows in insertion order across organisations; the sealer seals an
 *   organisation's unsealed rows in that order. A row whose transaction commits late (a lower
 *   `append_id` than rows already sealed) is simply sealed in a later batch, after them: the
 *   sequence is assigned by the sealer, so no row is skipped and no hole is left. Existing rows get
 *   an `append_id` too (they are sealed already, so its order does not matter for them).
 * - The three chain columns become nullable, all three null or all three set, and UNIQUE
 *   (org_id, sequence_num) stays. Existing rows keep their values, so their hashes stay valid.
 * - The append-only trigger now lets exactly one UPDATE through: sealing, which sets the three
 *   chain columns of an unsealed row and changes nothing else. Every other UPDATE, every DELETE and
 *   TRUNCATE is still refused.
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE audit_log
      ADD COLUMN append_id bigint GENERATED ALWAYS AS IDENTITY,
      ALTER COLUMN sequence_num DROP NOT NULL,
      ALTER COLUMN prev_hash DROP NOT NULL,
      ALTER COLUMN hash DROP NOT NULL,
      ADD CONSTRAINT audit_log_sealed_whole CHECK (
        (sequence_num IS NULL) = (prev_hash IS NULL) AND (prev_hash IS NULL) = (hash IS NULL)
      );
    ALTER TABLE audit_log ALTER COLUMN append_id SET NOT NULL;
    -- What the sealer reads: one organisation's unsealed rows in insertion order (and which
    -- organisations have any). Small: rows leave it within a sealing interval.
    CREATE INDEX audit_log_unsealed_idx ON audit_log (org_id, append_id) WHERE sequence_num IS NULL;

    CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- Sealing: an unsealed row gets its chain columns, and nothing else about it changes.
      IF TG_OP = 'UPDATE' AND OLD.sequence_num IS NULL AND NEW.sequence_num IS NOT NULL
         AND (to_jsonb(NEW) - ARRAY['sequence_num', 'prev_hash', 'hash'])
           = (to_jsonb(OLD) - ARRAY['sequence_num', 'prev_hash', 'hash']) THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit rows are never changed or removed; scripts/verify_audit.ts detects it if they are.';
    END;
    $$;
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  // Unsealed rows cannot go back under NOT NULL: seal them first (`deno task verify-audit --seal`).
  await sql`
    CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit rows are never changed or removed; scripts/verify_audit.ts detects it if they are.';
    END;
    $$;
    DROP INDEX audit_log_unsealed_idx;
    ALTER TABLE audit_log
      DROP CONSTRAINT audit_log_sealed_whole,
      DROP COLUMN append_id,
      ALTER COLUMN sequence_num SET NOT NULL,
      ALTER COLUMN prev_hash SET NOT NULL,
      ALTER COLUMN hash SET NOT NULL;
  `.execute(db);
}
