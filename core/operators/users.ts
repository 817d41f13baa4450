/**
 * Owns the operators of an organisation: creating, listing, changing roles and disabling, with the
 * invariant that an organisation never loses its last active admin. Every function takes the org,
 * so another organisation's user is simply not found.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database, OperatorRoleColumn, OperatorUserRow } from "../db/database.ts";
import { newId, randomString } from "../ids.ts";
import { AppError, validationError } from "../errors.ts";

type Conn = Kysely<Database> | Transaction<Database>;
export type OperatorRoleName = OperatorRoleColumn;
export const OPERATOR_ROLE_NAMES: readonly OperatorRoleName[] = ["admin", "reviewer", "viewer"];

/** RFC 5321's limit on a forward path; longer input is refused before it is looked at. */
const MAX_EMAIL_LENGTH = 254;

/**
 * `local@domain` with one `@`, no white space, and a dot inside the domain (not its first or last
 * character): what the old pattern /^[^\s@]+@[^\s@]+\.[^\s@]+$/ accepted, checked in one pass.
 * That pattern backtracked quadratically on a domain of many dots that then fails (50,000
 * characters took seconds), and it ran before the length check.
 */
export function isEmailAddress(text: string): boolean {
  if (text.length > MAX_EMAIL_LENGTH || /\s/.test(text)) return false;
  const at = text.indexOf("@");
  if (at < 1 || text.indexOf("@", at + 1) !== -1) return false;
  return text.slice(at + 2, -1).includes(".");
}

export function isOperatorRole(value: unknown): value is OperatorRoleName {
  return typeof value === "string" && (OPERATOR_ROLE_NAMES as readonly string[]).includes(value);
}

/** Checks and trims what a person types when enrolling; 422 with every bad field at once. */
export function normaliseOperatorDetails(input: { email?: unknown; displayName?: unknown }) {
  const email = typeof input.email === "string" ? input.email.trim() : "";
  const displayName = typeof input.displayName === "string" ? input.displayName.trim() : "";
  const fields: Record<string, string> = {};
  if (!isEmailAddress(email)) fields.email = "must be an email address";
  if (displayName.length < 1 || displayName.length > 100) fields.display_name = "must be 1 to 100 characters";
  if (Object.keys(fields).length) throw validationError(fields);
  return { email, displayName };
}

export async function createOperatorUser(
  db: Conn,
  input: { orgId: string; email: string; displayName: string; role: OperatorRoleName; webauthnUserId?: string },
  now: Date,
): Promise<OperatorUserRow> {
  const existing = await findOperatorByEmail(db, input.orgId, input.email);
  if (existing) throw new AppError("conflict", "An operator with this email already exists in the organisation.");
  return await db.insertInto("operator_users").values({
    id: newId("usr"),
    org_id: input.orgId,
    email: input.email,
    display_name: input.displayName,
    role: input.role,
    webauthn_user_id: input.webauthnUserId ?? randomString(32),
    created_at: now,
  }).returningAll().executeTakeFirstOrThrow();
}

export function findOperatorByEmail(db: Conn, orgId: string, email: string) {
  return db.selectFrom("operator_users").selectAll()
    .where("org_id", "=", orgId)
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", email.toLowerCase()))
    .executeTakeFirst();
}

/** The org's user, or 404: the other organisation's user id is not found, not forbidden. */
export async function getOperatorUser(db: Conn, orgId: string, userId: string): Promise<OperatorUserRow> {
  const row = await db.selectFrom("operator_users").selectAll()
    .where("org_id", "=", orgId).where("id", "=", userId).executeTakeFirst();
  if (!row) throw new AppError("not_found", "No such user.");
  return row;
}

export function listOperatorUsers(db: Conn, orgId: string): Promise<OperatorUserRow[]> {
  return db.selectFrom("operator_users").selectAll().where("org_id", "=", orgId).orderBy("created_at").execute();
}

export async function countActiveOperators(db: Conn, orgId: string): Promise<number> {
  const row = await db.selectFrom("operator_users").select((eb) => eb.fn.countAll<string>().as("n"))
    .where("org_id", "=", orgId).where("disabled_at", "is", null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Locks the org's active admins, so two concurrent demotions cannot both pass the last-admin check. */
async function assertAnotherAdminRemains(tx: Transaction<Database>, orgId: string, userId: string) {
  const admins = await tx.selectFrom("operator_users").select("id")
    .where("org_id", "=", orgId).where("role", "=", "admin").where("disabled_at", "is", null)
    .forUpdate().execute();
  if (!admins.some((a) => a.id !== userId)) {
    throw new AppError("conflict", "The organisation must keep at least one active admin.");
  }
}

export async function changeOperatorRole(
  db: Kysely<Database>,
  orgId: string,
  userId: string,
  role: OperatorRoleName,
): Promise<OperatorUserRow> {
  return await db.transaction().execute(async (tx) => {
    const user = await getOperatorUser(tx, orgId, userId);
    if (user.role === "admin" && role !== "admin") await assertAnotherAdminRemains(tx, orgId, userId);
    return await tx.updateTable("operator_users").set({ role }).where("id", "=", user.id)
      .returningAll().executeTakeFirstOrThrow();
  });
}

/** Disabling also revokes every session of the user, so it takes effect on their next request. */
export async function disableOperator(db: Kysely<Database>, orgId: string, userId: string, now: Date) {
  return await db.transaction().execute(async (tx) => {
    const user = await getOperatorUser(tx, orgId, userId);
    if (user.disabled_at) return user;
    if (user.role === "admin") await assertAnotherAdminRemains(tx, orgId, userId);
    await tx.updateTable("operator_sessions").set({ revoked_at: now })
      .where("user_id", "=", user.id).where("revoked_at", "is", null).execute();
    return await tx.updateTable("operator_users").set({ disabled_at: now }).where("id", "=", user.id)
      .returningAll().executeTakeFirstOrThrow();
  });
}
