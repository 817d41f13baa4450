/**
 * Owns workflows as capture sees them: each org's default per environment and the data
 * requirements that decide which capture steps a session needs. The graph and its execution
 * belong to the live verification engine.
 */
import type { DbOrTx } from "../db/create_db.ts";
import type { DataRequirements, Environment, WorkflowRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { newId } from "../ids.ts";
import { validationError } from "../errors.ts";

export const ID_DOCUMENT_TYPES = ["passport", "drivers_license", "national_id", "residence_permit"] as const;
export type IdDocumentType = typeof ID_DOCUMENT_TYPES[number];

/** Types whose back must be captured too (the contract: driver's licences, national IDs, residence permits). */
export const BACK_REQUIRED: readonly IdDocumentType[] = ["drivers_license", "national_id", "residence_permit"];

export const DEFAULT_WORKFLOW = {
  name: "ID & Selfie + Age Verification",
  description: "Government ID, selfie and face match, age check.",
  data_requirements: {
    document_types: [...ID_DOCUMENT_TYPES],
    selfie: true,
    user_info_fields: [],
    proof_of_address: false,
  } satisfies DataRequirements,
};

export async function createDefaultWorkflows(tx: DbOrTx, orgId: string, now: Date): Promise<void> {
  const environments: Environment[] = ["sandbox", "live"];
  await tx.insertInto("workflows").values(environments.map((environment) => ({
    id: newId("wfl"),
    org_id: orgId,
    environment,
    name: DEFAULT_WORKFLOW.name,
    description: DEFAULT_WORKFLOW.description,
    is_default: true,
    data_requirements: JSON.stringify(DEFAULT_WORKFLOW.data_requirements),
    graph: null,
    created_at: now,
    updated_at: now,
  }))).execute();
}

export async function findDefaultWorkflow(db: DbOrTx, scope: Scope): Promise<WorkflowRow | undefined> {
  return await db.selectFrom("workflows").selectAll()
    .where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .where("is_default", "=", true).executeTakeFirst();
}

/** The workflow a new session runs: the one asked for (it must exist in scope and be active), else the default. */
export async function resolveWorkflowForSession(
  db: DbOrTx,
  scope: Scope,
  requestedId: string | null | undefined,
): Promise<WorkflowRow | undefined> {
  if (!requestedId) return await findDefaultWorkflow(db, scope);
  const workflow = await db.selectFrom("workflows").selectAll()
    .where("id", "=", requestedId).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .executeTakeFirst();
  if (!workflow || !workflow.is_active) {
    throw validationError({ workflow_id: "does not name an active workflow in this environment" });
  }
  return workflow;
}

export async function findWorkflowById(db: DbOrTx, scope: Scope, id: string): Promise<WorkflowRow | undefined> {
  return await db.selectFrom("workflows").selectAll()
    .where("id", "=", id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .executeTakeFirst();
}

/** A session's requirements: its workflow's, or the default requirements when it has none. */
export async function requirementsForSession(
  db: DbOrTx,
  scope: Scope,
  workflowId: string | null,
): Promise<DataRequirements> {
  const workflow = workflowId ? await findWorkflowById(db, scope, workflowId) : await findDefaultWorkflow(db, scope);
  return workflow?.data_requirements ?? DEFAULT_WORKFLOW.data_requirements;
}
