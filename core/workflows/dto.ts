/** Owns the response shapes of workflows, their versions, templates and the policy catalogue. */
import type { WorkflowRow, WorkflowVersionRow } from "../db/database.ts";
import type { WorkflowGraph } from "./graph.ts";
import { stepCount } from "./definition.ts";
import { DEFAULT_GRAPH, type WorkflowTemplate } from "./templates.ts";
import type { PolicySpec } from "./policies.ts";
import { trafficPercentage } from "./rollout.ts";

/** `head` is the current version's row (format and steps live there); absent only for rows written without one. */
export function toWorkflowDto(row: WorkflowRow, head: Pick<WorkflowVersionRow, "format" | "steps"> | undefined) {
  const graph = (row.graph ?? DEFAULT_GRAPH) as unknown as WorkflowGraph;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    version: row.version,
    format: head?.format ?? "graph",
    graph,
    steps: head?.steps ?? null,
    step_count: stepCount(graph),
    data_requirements: row.data_requirements,
    is_default: row.is_default,
    is_active: row.is_active,
    rollout_percentage: row.rollout_percentage,
    previous_version: row.previous_version,
    environment: row.environment,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toVersionDto(version: WorkflowVersionRow, workflow: WorkflowRow) {
  const graph = version.graph as unknown as WorkflowGraph;
  return {
    workflow_id: version.workflow_id,
    version: version.version,
    name: version.name,
    description: version.description,
    format: version.format,
    graph,
    steps: version.steps,
    step_count: stepCount(graph),
    data_requirements: version.data_requirements,
    is_current: version.version === workflow.version,
    traffic_percentage: trafficPercentage(workflow, version.version),
    created_at: version.created_at.toISOString(),
  };
}

export function toTemplateDto(template: WorkflowTemplate) {
  return {
    id: template.id,
    name: template.name,
    description: template.description,
    industries: template.industries,
    format: "graph",
    graph: template.graph,
    step_count: stepCount(template.graph),
    data_requirements: template.data_requirements,
  };
}

export function toPolicyDto(policy: PolicySpec) {
  return {
    name: policy.name,
    category: policy.category,
    description: policy.description,
    requires: policy.requires,
    auto_injected_in_verifa: policy.auto_injected_in_verifa,
    outputs: policy.outputs.map((output) => `checks.${policy.name}.${output}`),
    options: policy.options,
  };
}
