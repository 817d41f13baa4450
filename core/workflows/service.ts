/**
 * Owns the workflow definition rules: create (validated graph, data requirements, the one default
 * per org and environment), edit (each change of content is a new immutable version; the canary
 * rollout between the current and previous version), versions, set-default, deactivate, and a
 * dry validation. Executing a version belongs to the verification engine.
 */
import { z } from "zod";
import type { CoreDeps } from "../deps.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { DataRequirements, WorkflowRow, WorkflowVersionRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { AppError, notFound, validationError } from "../errors.ts";
import type { WorkflowGraph } from "./graph.ts";
import {
  defaultRequirementsFor,
  type FieldErrors,
  requirementsAgreeWithGraph,
  resolveDataRequirements,
  sameJson,
  stepCount,
  stepsToGraph,
  validateWorkflowGraph,
} from "./definition.ts";
import { DEFAULT_GRAPH, findTemplate, TEMPLATES } from "./templates.ts";
import {
  clearDefault,
  findVersion,
  findWorkflow,
  headVersions,
  insertVersion,
  insertWorkflowWithFirstVersion,
  listVersionRows,
  listWorkflowRows,
  lockDefaults,
  type WorkflowContent,
} from "./repository.ts";

const name = z.string().trim().min(1, "must not be empty").max(255, "must be at most 255 characters");
const description = z.string().trim().max(2000, "must be at most 2000 characters").nullable();

/** graph, steps and data_requirements are checked by definition.ts, field by field, after the envelope. */
const definitionFields = {
  graph: z.unknown().optional(),
  steps: z.unknown().optional(),
  data_requirements: z.unknown().optional(),
};

export const createWorkflowSchema = z.strictObject({
  name: name.optional(),
  description: description.optional(),
  template: z.string().refine((id) => findTemplate(id) !== undefined, {
    message: `must be one of ${TEMPLATES.map((t) => t.id).join(", ")}`,
  }).optional(),
  is_default: z.boolean().optional(),
  ...definitionFields,
});

export const updateWorkflowSchema = z.strictObject({
  name: name.optional(),
  description: description.optional(),
  is_default: z.boolean().optional(),
  rollout_percentage: z.number().int("must be an integer").min(0, "must be from 0 to 100")
    .max(100, "must be from 0 to 100").optional(),
  ...definitionFields,
});

export const validateWorkflowSchema = z.strictObject(definitionFields);

export type CreateWorkflowInput = z.infer<typeof createWorkflowSchema>;
export type UpdateWorkflowInput = z.infer<typeof updateWorkflowSchema>;
export type DefinitionInput = z.infer<typeof validateWorkflowSchema>;

type Definition = Pick<WorkflowContent, "format" | "graph" | "steps" | "data_requirements">;

/**
 * The graph (sent as `graph`, as legacy `steps`, or kept from `base`) and data requirements (sent
 * keys over `base`'s, or over the defaults for the graph), with every problem collected.
 */
function buildDefinition(
  input: DefinitionInput,
  base: { definition: Definition | null; requirements: DataRequirements | null },
): { definition: Definition | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  let format: Definition["format"] = base.definition?.format ?? "graph";
  let graph: WorkflowGraph | null = base.definition?.graph ?? null;
  let steps: unknown[] | null = base.definition?.steps ?? null;
  if (input.graph !== undefined && input.steps !== undefined) {
    errors.steps = "send either graph or steps, not both";
  } else if (input.graph !== undefined) {
    Object.assign(errors, validateWorkflowGraph(input.graph));
    [format, graph, steps] = ["graph", input.graph as WorkflowGraph, null];
  } else if (input.steps !== undefined) {
    const mapped = stepsToGraph(input.steps);
    Object.assign(errors, mapped.errors);
    [format, graph, steps] = ["steps", mapped.graph, input.steps as unknown[]];
  } else if (!graph) {
    errors.graph = "is required (or send steps, or a template id)";
  }
  const graphOk = Object.keys(errors).length === 0 && graph !== null;
  const requirementsBase = base.requirements ?? defaultRequirementsFor(graphOk ? graph : null);
  const requirements = resolveDataRequirements(input.data_requirements, requirementsBase);
  Object.assign(errors, requirements.errors);
  if (graphOk && Object.keys(requirements.errors).length === 0) {
    Object.assign(errors, requirementsAgreeWithGraph(requirements.value, graph!));
  }
  if (Object.keys(errors).length > 0 || !graph) return { definition: null, errors };
  return { definition: { format, graph, steps, data_requirements: requirements.value }, errors };
}

/** Dry validation: what create would say about this graph, without storing anything. */
export function validateDefinition(input: DefinitionInput) {
  const { definition, errors } = buildDefinition(input, { definition: null, requirements: null });
  return {
    valid: definition !== null,
    errors,
    step_count: definition ? stepCount(definition.graph) : null,
    data_requirements: definition?.data_requirements ?? null,
  };
}

export interface WorkflowWithHead {
  row: WorkflowRow;
  head: WorkflowVersionRow | undefined;
}

export async function createWorkflow(
  deps: CoreDeps,
  scope: Scope,
  input: CreateWorkflowInput,
): Promise<WorkflowWithHead> {
  const template = input.template ? findTemplate(input.template)! : undefined;
  if (template && (input.graph !== undefined || input.steps !== undefined)) {
    throw validationError({ template: "send either a template or a graph (or steps), not both" });
  }
  const { definition, errors } = buildDefinition(input, {
    definition: template
      ? {
        format: "graph",
        graph: structuredClone(template.graph),
        steps: null,
        data_requirements: template.data_requirements,
      }
      : null,
    requirements: template ? template.data_requirements : null,
  });
  const workflowName = input.name ?? template?.name;
  if (!workflowName) errors.name ??= "is required";
  if (!definition || Object.keys(errors).length > 0) throw validationError(errors);
  const now = deps.clock();
  return await deps.db.transaction().execute(async (tx) => {
    if (input.is_default) {
      await lockDefaults(tx, scope);
      await clearDefault(tx, scope, now);
    }
    return await insertWorkflowWithFirstVersion(tx, scope, {
      is_default: input.is_default ?? false,
      now,
      content: {
        name: workflowName!,
        description: input.description !== undefined ? input.description : template?.description ?? null,
        ...definition,
      },
    });
  });
}

async function withHead(db: DbOrTx, scope: Scope, row: WorkflowRow): Promise<WorkflowWithHead> {
  return { row, head: await findVersion(db, scope, row.id, row.version) };
}

async function requireWorkflow(db: DbOrTx, scope: Scope, id: string, forUpdate = false): Promise<WorkflowRow> {
  const row = await findWorkflow(db, scope, id, { forUpdate });
  if (!row) throw notFound("Workflow");
  return row;
}

export async function getWorkflow(db: DbOrTx, scope: Scope, id: string): Promise<WorkflowWithHead> {
  return await withHead(db, scope, await requireWorkflow(db, scope, id));
}

export async function listWorkflows(
  db: DbOrTx,
  scope: Scope,
  page: { limit: number; offset: number },
  filters: { isActive?: boolean },
): Promise<{ items: WorkflowWithHead[]; total: number }> {
  const { rows, total } = await listWorkflowRows(db, scope, page, filters);
  const heads = await headVersions(db, scope, rows);
  return { items: rows.map((row) => ({ row, head: heads.get(row.id) })), total };
}

/** The version the non-canary sessions run: the current one once fully rolled out, else the one before it. */
function stableVersion(row: WorkflowRow): number {
  return row.rollout_percentage >= 100 || row.previous_version === null ? row.version : row.previous_version;
}

/**
 * An edit. Any change to name, description, graph (or steps) or data requirements writes version
 * N+1, which becomes current at `rollout_percentage` (default 100) with the stable version as
 * `previous_version`; resending the same content writes nothing. `rollout_percentage` alone moves
 * the canary (0 rolls back to the previous version). `is_default: true` makes it the default.
 */
export async function updateWorkflow(
  deps: CoreDeps,
  scope: Scope,
  id: string,
  input: UpdateWorkflowInput,
): Promise<WorkflowWithHead> {
  const now = deps.clock();
  return await deps.db.transaction().execute(async (tx) => {
    if (input.is_default !== undefined) await lockDefaults(tx, scope);
    let row = await requireWorkflow(tx, scope, id, true);
    const head = await findVersion(tx, scope, row.id, row.version);
    const current: WorkflowContent = {
      name: row.name,
      description: row.description,
      format: head?.format ?? "graph",
      graph: (row.graph ?? DEFAULT_GRAPH) as unknown as WorkflowGraph,
      steps: (head?.steps as unknown[] | null) ?? null,
      data_requirements: row.data_requirements,
    };
    const { definition, errors } = buildDefinition(input, {
      definition: current,
      requirements: current.data_requirements,
    });
    if (!definition) throw validationError(errors);
    const next: WorkflowContent = {
      name: input.name ?? current.name,
      description: input.description !== undefined ? input.description : current.description,
      ...definition,
    };
    const changed = (Object.keys(next) as (keyof WorkflowContent)[]).some((k) => !sameJson(next[k], current[k]));

    if (changed) {
      const version = row.version + 1;
      await insertVersion(tx, scope, row.id, version, next, now);
      row = await tx.updateTable("workflows").set({
        name: next.name,
        description: next.description,
        graph: JSON.stringify(next.graph),
        data_requirements: JSON.stringify(next.data_requirements),
        version,
        previous_version: stableVersion(row),
        rollout_percentage: input.rollout_percentage ?? 100,
        updated_at: now,
      }).where("id", "=", row.id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
        .returningAll().executeTakeFirstOrThrow();
    } else if (input.rollout_percentage !== undefined && input.rollout_percentage !== row.rollout_percentage) {
      if (row.previous_version === null && input.rollout_percentage < 100) {
        throw validationError({
          rollout_percentage: `needs a previous version to fall back to: version ${row.version} is the only one`,
        });
      }
      row = await tx.updateTable("workflows").set({ rollout_percentage: input.rollout_percentage, updated_at: now })
        .where("id", "=", row.id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
        .returningAll().executeTakeFirstOrThrow();
    }

    if (input.is_default === true && !row.is_default) row = await makeDefault(tx, scope, row, now);
    if (input.is_default === false && row.is_default) {
      throw new AppError(
        "conflict",
        "An organisation always has a default workflow: set another workflow as the default instead.",
      );
    }
    return await withHead(tx, scope, row);
  });
}

/** Caller holds lockDefaults. */
async function makeDefault(tx: DbOrTx, scope: Scope, row: WorkflowRow, now: Date): Promise<WorkflowRow> {
  if (!row.is_active) throw new AppError("conflict", "A deactivated workflow cannot be the default.");
  if (row.is_default) return row;
  await clearDefault(tx, scope, now);
  return await tx.updateTable("workflows").set({ is_default: true, updated_at: now })
    .where("id", "=", row.id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
    .returningAll().executeTakeFirstOrThrow();
}

export async function setDefaultWorkflow(deps: CoreDeps, scope: Scope, id: string): Promise<WorkflowWithHead> {
  return await deps.db.transaction().execute(async (tx) => {
    await lockDefaults(tx, scope);
    const row = await makeDefault(tx, scope, await requireWorkflow(tx, scope, id, true), deps.clock());
    return await withHead(tx, scope, row);
  });
}

/**
 * New sessions can no longer name a deactivated workflow; sessions already on it keep running it.
 * The default cannot be deactivated (409): every session without a workflow_id needs one.
 */
export async function deactivateWorkflow(deps: CoreDeps, scope: Scope, id: string): Promise<WorkflowWithHead> {
  return await deps.db.transaction().execute(async (tx) => {
    await lockDefaults(tx, scope);
    let row = await requireWorkflow(tx, scope, id, true);
    if (row.is_default) {
      throw new AppError(
        "conflict",
        "The default workflow cannot be deactivated: set another workflow as the default first.",
      );
    }
    if (row.is_active) {
      row = await tx.updateTable("workflows").set({ is_active: false, updated_at: deps.clock() })
        .where("id", "=", row.id).where("org_id", "=", scope.orgId).where("environment", "=", scope.environment)
        .returningAll().executeTakeFirstOrThrow();
    }
    return await withHead(tx, scope, row);
  });
}

export async function listWorkflowVersions(
  db: DbOrTx,
  scope: Scope,
  id: string,
  page: { limit: number; offset: number },
): Promise<{ workflow: WorkflowRow; rows: WorkflowVersionRow[]; total: number }> {
  const workflow = await requireWorkflow(db, scope, id);
  return { workflow, ...await listVersionRows(db, scope, id, page) };
}

export async function getWorkflowVersion(
  db: DbOrTx,
  scope: Scope,
  id: string,
  version: number,
): Promise<{ workflow: WorkflowRow; version: WorkflowVersionRow }> {
  const workflow = await requireWorkflow(db, scope, id);
  const row = await findVersion(db, scope, id, version);
  if (!row) throw notFound("Workflow version");
  return { workflow, version: row };
}
