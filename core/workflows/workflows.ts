/**
 * Owns workflows as sessions and capture see them: each org's default per environment (created
 * at provisioning as version 1 of the default graph), the workflow a new session runs, the
 * version a session runs, and the data requirements that decide which capture steps it needs.
 */
import type { DbOrTx } from "../db/create_db.ts";
import type { DataRequirements, Environment, SessionRow, WorkflowRow, WorkflowVersionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { validationError } from "../errors.ts";
import type { WorkflowGraph } from "./graph.ts";
import { DEFAULT_DATA_REQUIREMENTS, DEFAULT_GRAPH } from "./templates.ts";
import { findVersion, insertWorkflowWithFirstVersion } from "./repository.ts";
import { pickVersion } from "./rollout.ts";

export { ID_DOCUMENT_TYPES, type IdDocumentType } from "./document_types.ts";

export const DEFAULT_WORKFLOW = {
  name: "ID & Selfie + Age Verification",
  description: "Government ID, selfie and face match, age check.",
  data_requirements: DEFAULT_DATA_REQUIREMENTS,
  graph: DEFAULT_GRAPH,
};

export async function createDefaultWorkflows(tx: DbOrTx, orgId: string, now: Date): Promise<void> {
  const environments: Environment[] = ["sandbox", "live"];
  for (const environment of environments) {
    await insertWorkflowWithFirstVersion(tx, { orgId, environment }, {
      is_default: true,
      now,
      content: {
        name: DEFAULT_WORKFLOW.name,
        description: DEFAULT_WORKFLOW.description,
        format: "graph",
        graph: structuredClone(DEFAULT_GRAPH),
        steps: null,
        data_requirements: structuredClone(DEFAULT_DATA_REQUIREMENTS),
      },
    });
  }
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
  const workflow = await findWorkflowById(db, scope, requestedId);
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

/** The workflow version a session runs, as the engine loads it. */
export interface SessionWorkflowVersion {
  workflow: WorkflowRow;
  version: number;
  graph: WorkflowGraph;
  data_requirements: DataRequirements;
}

/**
 * The version a session runs: the one pinned on it when processing began, else the one the
 * rollout picks for it now (the current version, or `previous_version` for the sessions outside
 * a canary). Read-only: pinning (`sessions.workflow_version`) is the engine's write.
 */
export async function versionForSession(
  db: DbOrTx,
  scope: Scope,
  session: Pick<SessionRow, "id" | "workflow_id" | "workflow_version">,
): Promise<SessionWorkflowVersion | undefined> {
  const workflow = session.workflow_id
    ? await findWorkflowById(db, scope, session.workflow_id)
    : await findDefaultWorkflow(db, scope);
  if (!workflow) return undefined;
  const version = session.workflow_version ?? pickVersion(workflow, session.id);
  const snapshot: Pick<WorkflowVersionRow, "graph" | "data_requirements"> | undefined = version === workflow.version
    ? { graph: workflow.graph ?? { ...DEFAULT_GRAPH }, data_requirements: workflow.data_requirements }
    : await findVersion(db, scope, workflow.id, version);
  if (!snapshot) return undefined;
  return {
    workflow,
    version,
    graph: snapshot.graph as unknown as WorkflowGraph,
    data_requirements: snapshot.data_requirements,
  };
}

/**
 * What a session must capture: the requirements of the version it runs (so a session held on
 * the previous version during a canary captures what that version needs), or the default
 * requirements when it has no workflow.
 */
export async function requirementsForSession(
  db: DbOrTx,
  scope: Scope,
  session: Pick<SessionRow, "id" | "workflow_id" | "workflow_version">,
): Promise<DataRequirements> {
  return (await versionForSession(db, scope, session))?.data_requirements ?? DEFAULT_WORKFLOW.data_requirements;
}
