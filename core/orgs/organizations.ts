/** Owns organisations: creating one and reading its settings. */
import type { DbOrTx } from "../db/create_db.ts";
import type { OrganizationRow } from "../db/database.ts";
import { AppError } from "../errors.ts";
import { newId } from "../ids.ts";
import { type OrgSettings, resolveOrgSettings } from "./settings.ts";

export async function createOrganization(
  db: DbOrTx,
  input: { name: string; slug: string },
): Promise<OrganizationRow> {
  if (!/^[a-z0-9-]{1,63}$/.test(input.slug)) {
    throw new AppError("validation_error", "slug must match ^[a-z0-9-]+$", { slug: "must match ^[a-z0-9-]+$" });
  }
  const existing = await db.selectFrom("organizations").select("id").where("slug", "=", input.slug).executeTakeFirst();
  if (existing) throw new AppError("conflict", `An organisation with slug "${input.slug}" already exists.`);
  return await db.insertInto("organizations")
    .values({ id: newId("org"), name: input.name, slug: input.slug, settings: JSON.stringify({}) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getOrgSettings(db: DbOrTx, orgId: string): Promise<OrgSettings> {
  const row = await db.selectFrom("organizations").select("settings").where("id", "=", orgId).executeTakeFirst();
  return resolveOrgSettings(row?.settings);
}

export async function countOrganizations(db: DbOrTx): Promise<number> {
  const row = await db.selectFrom("organizations").select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
