/**
 * Owns one-time enrolment links: the bootstrap link that makes an organisation's first admin (from
 * `deno task start` or `deno task admin-link`) and the invites admins send with a role. The token
 * is shown once and stored only as its hash; a link works until it is used or expires.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database, OperatorInviteRow } from "../db/database.ts";
import { newId, randomString } from "../ids.ts";
import { hashSecret } from "../crypto/hmac.ts";
import { AppError } from "../errors.ts";
import type { OperatorRoleName } from "./users.ts";

type Conn = Kysely<Database> | Transaction<Database>;

/** Invites go by email and may sit in an inbox over a weekend; the bootstrap link is used at once. */
export const INVITE_TTL_MS = 72 * 60 * 60 * 1000;
export const BOOTSTRAP_TTL_MS = 24 * 60 * 60 * 1000;

export interface IssuedInvite {
  invite: OperatorInviteRow;
  /** The secret of the link (`/dashboard/enrol/<token>`); never stored. */
  token: string;
}

export async function createInvite(
  db: Conn,
  input: {
    orgId: string;
    kind: "bootstrap" | "invite";
    role: OperatorRoleName;
    email?: string | null;
    createdBy?: string | null;
  },
  now: Date,
): Promise<IssuedInvite> {
  const token = `enr_${randomString(32)}`;
  const ttl = input.kind === "bootstrap" ? BOOTSTRAP_TTL_MS : INVITE_TTL_MS;
  const invite = await db.insertInto("operator_invites").values({
    id: newId("inv"),
    org_id: input.orgId,
    token_hash: hashSecret(token),
    kind: input.kind,
    role: input.role,
    email: input.email ?? null,
    created_by: input.createdBy ?? null,
    created_at: now,
    expires_at: new Date(now.getTime() + ttl),
  }).returningAll().executeTakeFirstOrThrow();
  return { invite, token };
}

export function enrolUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/dashboard/enrol/${token}`;
}

/** The invite behind a link, if it can still be used; the same 404 for unknown, used and expired. */
export async function findUsableInvite(db: Conn, token: string, now: Date): Promise<OperatorInviteRow> {
  const invite = await db.selectFrom("operator_invites").selectAll()
    .where("token_hash", "=", hashSecret(token)).executeTakeFirst();
  if (!invite || invite.used_at || invite.expires_at.getTime() <= now.getTime()) {
    throw new AppError("not_found", "This enrolment link is invalid, expired or already used.");
  }
  return invite;
}

/** Marks the invite used, refusing a second use even by a concurrent request (the row lock). */
export async function consumeInvite(
  tx: Transaction<Database>,
  inviteId: string,
  userId: string,
  now: Date,
): Promise<void> {
  const updated = await tx.updateTable("operator_invites").set({ used_at: now, used_by: userId })
    .where("id", "=", inviteId).where("used_at", "is", null).where("expires_at", ">", now)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new AppError("not_found", "This enrolment link is invalid, expired or already used.");
  }
}

export function listPendingInvites(db: Conn, orgId: string, now: Date) {
  return db.selectFrom("operator_invites").selectAll()
    .where("org_id", "=", orgId).where("used_at", "is", null).where("expires_at", ">", now)
    .orderBy("created_at", "desc").execute();
}

/** Revoking an invite is expiring it now. */
export async function revokeInvite(db: Conn, orgId: string, inviteId: string, now: Date) {
  await db.updateTable("operator_invites").set({ expires_at: now })
    .where("org_id", "=", orgId).where("id", "=", inviteId).where("used_at", "is", null).execute();
}
