/**
 * Owns removing spent WebAuthn challenges. Every sign-in page asks for ceremony options before
 * anyone is known (POST /dashboard/auth/sign-in/options), and each call stores a challenge row
 * (core/operators/passkeys.ts): without a purge the table only grows. A row is spent once it is
 * used (burnt before verification) or past its five-minute expiry; neither can ever be taken again
 * (takeChallenge requires `used_at IS NULL` and `expires_at > now`), so deleting them changes nothing
 * a ceremony can observe.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/database.ts";

/** Rows per DELETE: bounded statements keep lock times short on a table that grew large. */
const BATCH = 5_000;

/** Deletes every spent challenge, in batches; returns how many went. */
export async function purgeSpentChallenges(db: Kysely<Database>, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const spent = db.selectFrom("operator_challenges").select("id")
      .where((eb) => eb.or([eb("expires_at", "<=", now), eb("used_at", "is not", null)]))
      .limit(BATCH);
    const result = await db.deleteFrom("operator_challenges").where("id", "in", spent).executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}
