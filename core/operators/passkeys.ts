/**
 * Owns the WebAuthn ceremonies with @simplewebauthn/server: enrolling through an invite (which
 * creates the user and their first passkey), adding another passkey, signing in with a
 * discoverable passkey, the step-up (a signed-in user's own passkey again, before a destructive
 * action), and removing a passkey (never the last). Each ceremony's challenge is a
 * row used at most once and within five minutes; the relying party (RP ID and the only accepted
 * origin) comes from the public URL, so an assertion made for any other origin is refused.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import type { Kysely, Transaction } from "kysely";
import { Buffer } from "node:buffer";
import type { Database, OperatorPasskeyRow, OperatorUserRow } from "../db/database.ts";
import { newId, randomString } from "../ids.ts";
import { AppError } from "../errors.ts";
import { consumeInvite, findUsableInvite } from "./invites.ts";
import { createOperatorUser, findOperatorByEmail, normaliseOperatorDetails } from "./users.ts";

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export interface RelyingParty {
  rpID: string;
  rpName: string;
  origin: string;
}

/** The relying party is the public URL's host; its origin is the only one a ceremony may come from. */
export function relyingPartyFor(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  return { rpID: url.hostname, rpName: "Verifa", origin: url.origin };
}

interface CeremonyDeps {
  db: Kysely<Database>;
  rp: RelyingParty;
  now: Date;
}

async function storeChallenge(
  db: Kysely<Database>,
  now: Date,
  values: {
    purpose: "registration" | "authentication";
    challenge: string;
    inviteId?: string;
    userId?: string;
    webauthnUserId?: string;
    email?: string;
    displayName?: string;
  },
): Promise<string> {
  const id = newId("chal");
  await db.insertInto("operator_challenges").values({
    id,
    purpose: values.purpose,
    challenge: values.challenge,
    invite_id: values.inviteId ?? null,
    user_id: values.userId ?? null,
    webauthn_user_id: values.webauthnUserId ?? null,
    email: values.email ?? null,
    display_name: values.displayName ?? null,
    created_at: now,
    expires_at: new Date(now.getTime() + CHALLENGE_TTL_MS),
  }).execute();
  return id;
}

/** Burns the challenge before verifying, so even a failed attempt cannot be retried with it. */
async function takeChallenge(
  tx: Transaction<Database>,
  id: string | undefined,
  purpose: "registration" | "authentication",
  now: Date,
) {
  const row = id
    ? await tx.updateTable("operator_challenges").set({ used_at: now })
      .where("id", "=", id).where("purpose", "=", purpose).where("used_at", "is", null).where("expires_at", ">", now)
      .returningAll().executeTakeFirst()
    : undefined;
  if (!row) throw new AppError("bad_request", "The passkey ceremony expired or was already used; start again.");
  return row;
}

const te = new TextEncoder();

/** Step 1 of enrolling: what the browser passes to navigator.credentials.create(). */
export async function beginEnrolment(
  { db, rp, now }: CeremonyDeps,
  input: { token: string; email?: unknown; displayName?: unknown },
) {
  const invite = await findUsableInvite(db, input.token, now);
  const details = normaliseOperatorDetails({ email: invite.email ?? input.email, displayName: input.displayName });
  if (await findOperatorByEmail(db, invite.org_id, details.email)) {
    throw new AppError("conflict", "An operator with this email already exists in the organisation.");
  }
  const webauthnUserId = randomString(32);
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: details.email,
    userDisplayName: details.displayName,
    userID: te.encode(webauthnUserId),
    attestationType: "none",
    // Discoverable, so sign-in needs no username; verified, so the passkey stands alone as a factor.
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  const challengeId = await storeChallenge(db, now, {
    purpose: "registration",
    challenge: options.challenge,
    inviteId: invite.id,
    webauthnUserId,
    email: details.email,
    displayName: details.displayName,
  });
  return { challengeId, options };
}

async function verifyRegistration(rp: RelyingParty, challenge: string, response: RegistrationResponseJSON) {
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: true,
    });
    if (result.verified) return result.registrationInfo;
  } catch {
    // The library's message names what failed (origin, challenge, …): not for the client.
  }
  throw new AppError("bad_request", "The passkey could not be verified.");
}

function passkeyName(name: unknown): string {
  const text = typeof name === "string" ? name.trim().slice(0, 100) : "";
  return text || "Passkey";
}

async function insertPasskey(
  tx: Transaction<Database>,
  userId: string,
  info: Awaited<ReturnType<typeof verifyRegistration>>,
  name: unknown,
  now: Date,
) {
  const exists = await tx.selectFrom("operator_passkeys").select("id").where("id", "=", info.credential.id)
    .executeTakeFirst();
  if (exists) throw new AppError("conflict", "This passkey is already registered.");
  await tx.insertInto("operator_passkeys").values({
    id: info.credential.id,
    user_id: userId,
    public_key: info.credential.publicKey,
    counter: info.credential.counter,
    transports: info.credential.transports ?? [],
    name: passkeyName(name),
    created_at: now,
  }).execute();
}

/** Step 2 of enrolling: creates the user with the invite's role and their first passkey. */
export async function finishEnrolment(
  { db, rp, now }: CeremonyDeps,
  input: { challengeId?: string; response: RegistrationResponseJSON; passkeyName?: unknown },
): Promise<OperatorUserRow> {
  return await db.transaction().execute(async (tx) => {
    const challenge = await takeChallenge(tx, input.challengeId, "registration", now);
    if (!challenge.invite_id || !challenge.email || !challenge.display_name || !challenge.webauthn_user_id) {
      throw new AppError("bad_request", "The passkey ceremony expired or was already used; start again.");
    }
    const invite = await tx.selectFrom("operator_invites").selectAll().where("id", "=", challenge.invite_id)
      .forUpdate().executeTakeFirstOrThrow();
    const info = await verifyRegistration(rp, challenge.challenge, input.response);
    const user = await createOperatorUser(tx, {
      orgId: invite.org_id,
      email: challenge.email,
      displayName: challenge.display_name,
      role: invite.role,
      webauthnUserId: challenge.webauthn_user_id,
    }, now);
    await consumeInvite(tx, invite.id, user.id, now);
    await insertPasskey(tx, user.id, info, input.passkeyName, now);
    return user;
  });
}

/** Adding another passkey, for a signed-in user. */
export async function beginAddPasskey({ db, rp, now }: CeremonyDeps, user: OperatorUserRow) {
  const existing = await listPasskeys(db, user.id);
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: user.email,
    userDisplayName: user.display_name,
    userID: te.encode(user.webauthn_user_id),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  const challengeId = await storeChallenge(db, now, {
    purpose: "registration",
    challenge: options.challenge,
    userId: user.id,
  });
  return { challengeId, options };
}

export async function finishAddPasskey(
  { db, rp, now }: CeremonyDeps,
  user: OperatorUserRow,
  input: { challengeId?: string; response: RegistrationResponseJSON; passkeyName?: unknown },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const challenge = await takeChallenge(tx, input.challengeId, "registration", now);
    if (challenge.user_id !== user.id) throw new AppError("bad_request", "The passkey ceremony does not match.");
    const info = await verifyRegistration(rp, challenge.challenge, input.response);
    await insertPasskey(tx, user.id, info, input.passkeyName, now);
  });
}

/**
 * Step 1 of an assertion. Signing in (no user) names no passkeys: the browser offers the ones it
 * holds for our RP ID. A step-up (`user`) offers only theirs, and binds the challenge to them.
 */
async function beginAssertion({ db, rp, now }: CeremonyDeps, user: OperatorUserRow | null) {
  const passkeys = user ? await listPasskeys(db, user.id) : [];
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    userVerification: "required",
    ...(user ? { allowCredentials: passkeys.map((p) => ({ id: p.id, transports: p.transports as never })) } : {}),
  });
  const challengeId = await storeChallenge(db, now, {
    purpose: "authentication",
    challenge: options.challenge,
    userId: user?.id,
  });
  return { challengeId, options };
}

/** Sign-in, step 1: no username. */
export function beginSignIn(deps: CeremonyDeps) {
  return beginAssertion(deps, null);
}

/** Sign-in, step 2: the enabled user whose passkey produced a valid assertion for our origin. */
export async function finishSignIn(
  { db, rp, now }: CeremonyDeps,
  input: { challengeId?: string; response: AuthenticationResponseJSON },
): Promise<OperatorUserRow> {
  // The challenge is burnt in its own transaction, so a failed verification cannot roll it back.
  const challenge = await db.transaction().execute((tx) => takeChallenge(tx, input.challengeId, "authentication", now));
  // A step-up's challenge names its user: it is for that ceremony only.
  if (challenge.user_id !== null) throw assertionRefused();
  return await acceptAssertion({ db, rp, now }, challenge.challenge, input.response, null);
}

/** Step-up, step 1: a signed-in user proves their own passkey again before a destructive action. */
export function beginStepUp(deps: CeremonyDeps, user: OperatorUserRow) {
  return beginAssertion(deps, user);
}

/** Step-up, step 2: a valid assertion, for this user's challenge, by one of this user's passkeys. */
export async function finishStepUp(
  { db, rp, now }: CeremonyDeps,
  user: OperatorUserRow,
  input: { challengeId?: string; response: AuthenticationResponseJSON },
): Promise<void> {
  const challenge = await db.transaction().execute((tx) => takeChallenge(tx, input.challengeId, "authentication", now));
  if (challenge.user_id !== user.id) throw assertionRefused();
  await acceptAssertion({ db, rp, now }, challenge.challenge, input.response, user.id);
}

function assertionRefused() {
  return new AppError("unauthorized", "The passkey could not be verified.");
}

/**
 * Verifies an assertion against a burnt challenge: the passkey exists (and belongs to `userId`
 * when one is expected), its user is enabled, the signature and user verification hold for our
 * origin and RP ID, and the user handle names the owner; then the counter moves on. The user.
 */
async function acceptAssertion(
  { db, rp, now }: CeremonyDeps,
  expectedChallenge: string,
  response: AuthenticationResponseJSON,
  userId: string | null,
): Promise<OperatorUserRow> {
  const credentialId = typeof response?.id === "string" ? response.id : "";
  return await db.transaction().execute(async (tx) => {
    const passkey = await tx.selectFrom("operator_passkeys").selectAll().where("id", "=", credentialId)
      .forUpdate().executeTakeFirst();
    if (!passkey || (userId !== null && passkey.user_id !== userId)) throw assertionRefused();
    const user = await tx.selectFrom("operator_users").selectAll().where("id", "=", passkey.user_id)
      .executeTakeFirstOrThrow();
    if (user.disabled_at) throw assertionRefused();
    let verified;
    try {
      verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpID,
        requireUserVerification: true,
        credential: {
          id: passkey.id,
          publicKey: new Uint8Array(passkey.public_key),
          counter: Number(passkey.counter),
          transports: passkey.transports as never,
        },
      });
    } catch {
      throw assertionRefused();
    }
    if (!verified.verified) throw assertionRefused();
    // The user handle, when the authenticator sends it, must name the passkey's owner.
    const handle = response.response?.userHandle;
    if (handle && handle !== Buffer.from(user.webauthn_user_id).toString("base64url")) {
      throw assertionRefused();
    }
    await tx.updateTable("operator_passkeys").set({
      counter: verified.authenticationInfo.newCounter,
      last_used_at: now,
    }).where("id", "=", passkey.id).execute();
    return user;
  });
}

export function listPasskeys(db: Kysely<Database> | Transaction<Database>, userId: string) {
  return db.selectFrom("operator_passkeys").selectAll().where("user_id", "=", userId).orderBy("created_at")
    .execute() as Promise<OperatorPasskeyRow[]>;
}

/** Removes one of the user's passkeys; the last one stays, or the user could never sign in again. */
export async function removePasskey(db: Kysely<Database>, userId: string, passkeyId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const keys = await tx.selectFrom("operator_passkeys").select("id").where("user_id", "=", userId)
      .forUpdate().execute();
    if (!keys.some((k) => k.id === passkeyId)) throw new AppError("not_found", "No such passkey.");
    if (keys.length === 1) throw new AppError("conflict", "You cannot remove your only passkey; add another first.");
    await tx.deleteFrom("operator_passkeys").where("id", "=", passkeyId).where("user_id", "=", userId).execute();
  });
}
