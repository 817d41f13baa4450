/**
 * Owns provisioning a new organisation: its default workflow in both environments and its
 * starter keys (sandbox and live secret keys and a publishable key).
 */
import type { Db } from "../db/create_db.ts";
import { createOrganization } from "./organizations.ts";
import { createApiKey } from "./api_keys.ts";
import { STARTER_SCOPES } from "./scopes.ts";
import { createDefaultWorkflows } from "../workflows/workflows.ts";

export interface ProvisionedOrganization {
  org_id: string;
  name: string;
  slug: string;
  sandbox_secret_key: string;
  live_secret_key: string;
  sandbox_publishable_key: string;
}

/**
 * The starter secret keys hold the starter scopes only (scopes.ts STARTER_SCOPES: enough for the
 * tutorial); management keys are minted on purpose from the dashboard or `create-api-key`.
 */
export async function provisionOrganization(
  db: Db,
  input: { name: string; slug: string },
): Promise<ProvisionedOrganization> {
  return await db.transaction().execute(async (tx) => {
    const org = await createOrganization(tx, input);
    await createDefaultWorkflows(tx, org.id, new Date());
    const sandbox = await createApiKey(tx, org.id, {
      environment: "sandbox",
      kind: "secret",
      label: "Starter sandbox key",
      scopes: [...STARTER_SCOPES],
    });
    const live = await createApiKey(tx, org.id, {
      environment: "live",
      kind: "secret",
      label: "Starter live key",
      scopes: [...STARTER_SCOPES],
    });
    const publishable = await createApiKey(tx, org.id, {
      environment: "sandbox",
      kind: "publishable",
      label: "Starter publishable key",
    });
    return {
      org_id: org.id,
      name: org.name,
      slug: org.slug,
      sandbox_secret_key: sandbox.secret,
      live_secret_key: live.secret,
      sandbox_publishable_key: publishable.secret,
    };
  });
}
