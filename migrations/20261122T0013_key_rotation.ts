/**
 * Key rotation (issue #9) re-encrypts every `_enc` value under the new first key, and two tables
 * guard their rows with triggers (settled check attempts, append-only case actions). Those now also
 * let through an update that changes nothing but that one encrypted column, and only inside a
 * transaction that declared itself a rotation (`SET LOCAL verifa.key_rotation = 'on'`): the
 * plaintext is the same, only the key that seals it changes.
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION check_attempts_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.status = 'pending' THEN
        RETURN NEW;
      END IF;
      IF (NEW.inputs_enc IS NULL OR current_setting('verifa.key_rotation', true) = 'on')
        AND (to_jsonb(NEW) - 'inputs_enc') = (to_jsonb(OLD) - 'inputs_enc') THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'check_attempts rows are immutable: a retry writes a new attempt';
    END
    $$;
    CREATE OR REPLACE FUNCTION case_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND (NEW.details_enc IS NULL OR current_setting('verifa.key_rotation', true) = 'on')
        AND (to_jsonb(NEW) - 'details_enc') = (to_jsonb(OLD) - 'details_enc') THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'case_actions rows are append-only';
    END
    $$;
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION check_attempts_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.status = 'pending' THEN
        RETURN NEW;
      END IF;
      IF NEW.inputs_enc IS NULL AND (to_jsonb(NEW) - 'inputs_enc') = (to_jsonb(OLD) - 'inputs_enc') THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'check_attempts rows are immutable: a retry writes a new attempt';
    END
    $$;
    CREATE OR REPLACE FUNCTION case_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.details_enc IS NULL
        AND (to_jsonb(NEW) - 'details_enc') = (to_jsonb(OLD) - 'details_enc') THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'case_actions rows are append-only';
    END
    $$;
  `.execute(db);
}
