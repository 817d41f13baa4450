/**
 * `deno task admin-link --org <slug or org_…>`: issues a one-time link that enrols a new admin of
 * the organisation with a passkey (the same kind of link `deno task start` prints on first run),
 * for a first admin who lost theirs, or when every admin lost their passkeys. Valid 24 hours.
 */
import { parseArgs } from "node:util";
import { withProductDatabase } from "../core/embedded/embedded_env.ts";
import { createInvite, enrolUrl } from "../core/operators/invites.ts";

const { values } = parseArgs({ options: { org: { type: "string" } } });
if (!values.org) {
  console.error("--org is required (the organisation's slug or id)");
  Deno.exit(64);
}
const publicUrl = Deno.env.get("VERIFA_PUBLIC_URL") || `http://localhost:${Deno.env.get("PORT") || "8080"}`;

const issued = await withProductDatabase(async (db) => {
  const org = await db.selectFrom("organizations").select("id")
    .where((eb) => eb.or([eb("id", "=", values.org!), eb("slug", "=", values.org!)])).executeTakeFirst();
  if (!org) {
    console.error(`organisation ${values.org} not found`);
    Deno.exit(65);
  }
  return await createInvite(db, { orgId: org.id, kind: "bootstrap", role: "admin" }, new Date());
});
console.log(
  [
    "",
    "  Open this link to enrol an admin with a passkey (works once, expires " +
    issued.invite.expires_at.toISOString() + "):",
    "",
    `    ${enrolUrl(publicUrl, issued.token)}`,
    "",
  ].join("\n"),
);
