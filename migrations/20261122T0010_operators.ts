/**
 * Dashboard operators (issue #8): the people of an organisation (`operator_users`), their passkeys
 * (`operator_passkeys`), one-time enrolment and invite links (`operator_invites`, token hashed),
 * signed-in sessions (`operator_sessions`: the cookie names one, sign-out revokes it) and the
 * single-use WebAuthn challenges of ceremonies in flight (`operator_challenges`).
 */
import { type Kysely, sql } from "kysely";

// deno-lint-ignore no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE operator_users (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id),
      email text NOT NULL,
      display_name text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin', 'reviewer', 'viewer')),
      -- The WebAuthn user handle (random, never the email): what a discoverable passkey returns.
      webauthn_user_id text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL,
      disabled_at timestamptz
    );
    -- Emails compare case-insensitively; one account per address per organisation.
    CREATE UNIQUE INDEX operator_users_org_email_idx ON operator_users (org_id, lower(email));

    CREATE TABLE operator_passkeys (
      -- The credential id, base64url, as the authenticator reports it.
      id text PRIMARY KEY,
      user_id text NOT NULL REFERENCES operator_users(id),
      public_key bytea NOT NULL,
      counter bigint NOT NULL DEFAULT 0,
      transports text[] NOT NULL DEFAULT '{}',
      name text NOT NULL,
      created_at timestamptz NOT NULL,
      last_used_at timestamptz
    );
    CREATE INDEX operator_passkeys_user_idx ON operator_passkeys (user_id, created_at);

    CREATE TABLE operator_invites (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id),
      -- hashSecret of the token in the link; the token itself is shown once.
      token_hash text NOT NULL UNIQUE,
      -- 'bootstrap': the first admin's link from \`deno task start\` / \`deno task admin-link\`.
      kind text NOT NULL CHECK (kind IN ('bootstrap', 'invite')),
      role text NOT NULL CHECK (role IN ('admin', 'reviewer', 'viewer')),
      email text,
      created_by text REFERENCES operator_users(id),
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      used_by text REFERENCES operator_users(id)
    );
    CREATE INDEX operator_invites_org_idx ON operator_invites (org_id, created_at DESC);

    CREATE TABLE operator_sessions (
      id text PRIMARY KEY,
      user_id text NOT NULL REFERENCES operator_users(id),
      org_id text NOT NULL REFERENCES organizations(id),
      environment text NOT NULL DEFAULT 'sandbox' CHECK (environment IN ('sandbox', 'live')),
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE INDEX operator_sessions_user_idx ON operator_sessions (user_id);

    CREATE TABLE operator_challenges (
      id text PRIMARY KEY,
      purpose text NOT NULL CHECK (purpose IN ('registration', 'authentication')),
      challenge text NOT NULL,
      -- Registration only: the invite being redeemed, or the signed-in user adding a passkey.
      invite_id text REFERENCES operator_invites(id),
      user_id text REFERENCES operator_users(id),
      -- Registration of a new user: the user handle and the details the options were made for.
      webauthn_user_id text,
      email text,
      display_name text,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
  `.execute(db);
}

// deno-lint-ignore no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE operator_challenges;
    DROP TABLE operator_sessions;
    DROP TABLE operator_invites;
    DROP TABLE operator_passkeys;
    DROP TABLE operator_users;
  `.execute(db);
}
