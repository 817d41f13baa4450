/**
 * Owns the API document of workflows: the resource (list, create, get, patch, versions,
 * set-default, deactivate, templates, validation), the trigger and dry run against a stored
 * session, and the verification-policy catalogue.
 */
import { z } from "zod";
import { createWorkflowSchema, updateWorkflowSchema, validateWorkflowSchema } from "../../../core/workflows/service.ts";
import { triggerSchema } from "../../../core/verification/service.ts";
import { dryRunSchema } from "../../../core/verification/dry_runs.ts";
import { INDUSTRIES } from "../../../core/workflows/templates.ts";
import { SESSION_STATUSES } from "../../../core/sessions/status.ts";
import { booleanQuery, environment, jsonObject, listOf, operations, pageOf, pageQuery, timestamp } from "../spec.ts";

const graph = jsonObject.describe("The workflow graph: nodes keyed by id (see the README's workflow section).");

export const workflowSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  version: z.number().int(),
  format: z.string(),
  graph,
  steps: z.unknown().describe("The legacy steps document the version was written in, or null."),
  step_count: z.number().int(),
  data_requirements: jsonObject.nullable(),
  is_default: z.boolean(),
  is_active: z.boolean(),
  rollout_percentage: z.number().int(),
  previous_version: z.number().int().nullable(),
  environment,
  created_at: timestamp,
  updated_at: timestamp,
});

export const workflowVersionSchema = z.object({
  workflow_id: z.string(),
  version: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  format: z.string(),
  graph,
  steps: z.unknown(),
  step_count: z.number().int(),
  data_requirements: jsonObject.nullable(),
  is_current: z.boolean(),
  traffic_percentage: z.number(),
  created_at: timestamp,
});

const templateSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  industries: z.array(z.string()),
  format: z.literal("graph"),
  graph,
  step_count: z.number().int(),
  data_requirements: jsonObject,
});

const policySchema = z.object({
  name: z.string(),
  category: z.string(),
  description: z.string(),
  requires: z.array(z.string()),
  auto_injected_in_verifa: z.boolean(),
  outputs: z.array(z.string()),
  options: z.array(z.looseObject({})),
});

const dryRunQueued = z.object({
  id: z.string(),
  dry_run: z.literal(true),
  session_id: z.string(),
  status: z.enum(["queued", "running"]),
});
const dryRunOutcome = z.looseObject({ dry_run: z.literal(true), session_id: z.string() })
  .describe("The walk's outcome: each node's result and the status the workflow would reach.");

const idParam = { id: "The workflow id (`wfl_…`)." };
const read = ["workflows:read"];
const write = ["workflows:write"];
const tag = "Workflows";

export const workflowSchemas = {
  Workflow: workflowSchema,
  WorkflowVersion: workflowVersionSchema,
  WorkflowTemplate: templateSchema,
  VerificationPolicy: policySchema,
};

export const workflowOperations = operations({ tag, auth: "api_key" }, [
  {
    method: "get",
    path: "/api/v1/workflows",
    operationId: "listWorkflows",
    summary: "List workflows",
    scopes: read,
    query: { ...pageQuery, is_active: booleanQuery("Only active (true) or deactivated (false) workflows.") },
    responses: { 200: { description: "A page of workflows.", schema: pageOf(workflowSchema) } },
  },
  {
    method: "post",
    path: "/api/v1/workflows",
    operationId: "createWorkflow",
    summary: "Create a workflow",
    scopes: write,
    body: { schema: createWorkflowSchema },
    responses: { 201: { description: "The workflow at version 1.", schema: workflowSchema } },
  },
  {
    method: "get",
    path: "/api/v1/workflows/templates",
    operationId: "listWorkflowTemplates",
    summary: "List workflow templates",
    scopes: read,
    query: {
      industry: {
        schema: z.enum(INDUSTRIES as unknown as [string, ...string[]]),
        description: "Only this industry's.",
      },
    },
    responses: { 200: { description: "The templates.", schema: listOf(templateSchema) } },
  },
  {
    method: "post",
    path: "/api/v1/workflows/validate",
    operationId: "validateWorkflow",
    summary: "Validate a definition without saving it",
    scopes: read,
    body: { schema: validateWorkflowSchema },
    responses: {
      200: {
        description: "Whether it is valid, and each problem by path.",
        schema: z.object({
          valid: z.boolean(),
          errors: z.record(z.string(), z.string()),
          step_count: z.number().int().nullable(),
          data_requirements: jsonObject.nullable(),
        }),
      },
    },
  },
  {
    method: "get",
    path: "/api/v1/workflows/{id}",
    operationId: "getWorkflow",
    summary: "Get a workflow",
    scopes: read,
    pathParams: idParam,
    responses: { 200: { description: "The workflow.", schema: workflowSchema } },
  },
  {
    method: "patch",
    path: "/api/v1/workflows/{id}",
    operationId: "updateWorkflow",
    summary: "Update a workflow (a new definition is a new version)",
    scopes: write,
    pathParams: idParam,
    body: { schema: updateWorkflowSchema },
    responses: { 200: { description: "The workflow.", schema: workflowSchema } },
    errors: ["conflict"],
  },
  {
    method: "get",
    path: "/api/v1/workflows/{id}/versions",
    operationId: "listWorkflowVersions",
    summary: "List a workflow's versions",
    scopes: read,
    pathParams: idParam,
    query: pageQuery,
    responses: { 200: { description: "A page of versions, newest first.", schema: pageOf(workflowVersionSchema) } },
  },
  {
    method: "get",
    path: "/api/v1/workflows/{id}/versions/{version}",
    operationId: "getWorkflowVersion",
    summary: "Get one version of a workflow",
    scopes: read,
    pathParams: { ...idParam, version: "The version number (1, 2, …)." },
    responses: { 200: { description: "The version.", schema: workflowVersionSchema } },
  },
  {
    method: "post",
    path: "/api/v1/workflows/{id}/set-default",
    operationId: "setDefaultWorkflow",
    summary: "Make a workflow the default",
    scopes: write,
    pathParams: idParam,
    responses: { 200: { description: "The workflow.", schema: workflowSchema } },
    errors: ["conflict"],
  },
  {
    method: "post",
    path: "/api/v1/workflows/{id}/deactivate",
    operationId: "deactivateWorkflow",
    summary: "Deactivate a workflow",
    scopes: write,
    pathParams: idParam,
    responses: { 200: { description: "The workflow.", schema: workflowSchema } },
    errors: ["conflict"],
  },
  {
    method: "post",
    path: "/api/v1/workflows/{id}/trigger",
    operationId: "triggerWorkflow",
    summary: "Run this workflow on a completed or failed live session",
    scopes: ["workflows:trigger"],
    pathParams: idParam,
    body: { schema: triggerSchema },
    responses: {
      202: {
        description: "Accepted: the session is processing.",
        schema: z.object({ session_id: z.string(), workflow_id: z.string(), status: z.enum(SESSION_STATUSES) }),
      },
    },
    errors: ["conflict", ["invalid_session_state", 409]],
  },
  {
    method: "post",
    path: "/api/v1/workflows/dry-run",
    operationId: "dryRunWorkflow",
    summary: "Walk a graph (or a workflow) over a stored session without changing it",
    description: "The walk runs on the worker. Done within the wait: 200 with the outcome; else 202 with the " +
      "dry run's id and a Location to poll.",
    scopes: ["workflows:read", "verifications:read"],
    body: { schema: dryRunSchema },
    responses: {
      200: { description: "The outcome.", schema: dryRunOutcome },
      202: { description: "Still running.", schema: dryRunQueued, headers: { Location: "Where to poll." } },
    },
    errors: ["not_found", ["invalid_session_state", 409], "service_unavailable"],
  },
  {
    method: "get",
    path: "/api/v1/workflows/dry-runs/{id}",
    operationId: "getDryRun",
    summary: "A dry run that outlasted the wait (its outcome is handed out once)",
    scopes: ["workflows:read", "verifications:read"],
    pathParams: { id: "The dry run id." },
    responses: {
      200: { description: "The outcome.", schema: dryRunOutcome },
      202: { description: "Still running.", schema: dryRunQueued, headers: { Location: "Where to poll." } },
    },
    errors: [["invalid_session_state", 409], "service_unavailable"],
  },
  {
    method: "get",
    path: "/api/v1/verification-policies",
    operationId: "listVerificationPolicies",
    summary: "The checks a policy node may run, with their options",
    scopes: read,
    responses: { 200: { description: "The catalogue.", schema: listOf(policySchema) } },
  },
]);
