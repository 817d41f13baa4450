/**
 * Owns the list of every documented operation and every named schema, in document order: the
 * one place api/openapi/document.ts and the tests read them from.
 */
import type { z } from "zod";
import type { OperationSpec } from "./spec.ts";
import { sessionOperations, sessionSchemas } from "./resources/sessions.ts";
import { resultOperations, resultSchemas } from "./resources/results.ts";
import { identityOperations, identitySchemas } from "./resources/identities.ts";
import { caseOperations, caseSchemas } from "./resources/cases.ts";
import { workflowOperations, workflowSchemas } from "./resources/workflows.ts";
import { listOperations, listSchemas } from "./resources/lists.ts";
import { webhookOperations, webhookSchemas } from "./resources/webhooks.ts";
import { apiKeyOperations, apiKeySchemas } from "./resources/api_keys.ts";
import { settingsOperations, settingsSchemas } from "./resources/settings.ts";
import { auditEventOperations, auditEventSchemas } from "./resources/audit_events.ts";
import { captureOperations, captureSchemas } from "./resources/capture.ts";
import { docsOperations } from "./resources/docs.ts";

export const API_OPERATIONS: readonly OperationSpec[] = [
  ...sessionOperations,
  ...resultOperations,
  ...identityOperations,
  ...caseOperations,
  ...workflowOperations,
  ...listOperations,
  ...webhookOperations,
  ...apiKeyOperations,
  ...settingsOperations,
  ...auditEventOperations,
  ...captureOperations,
  ...docsOperations,
];

export const NAMED_SCHEMAS: Record<string, z.ZodType> = {
  ...sessionSchemas,
  ...resultSchemas,
  ...identitySchemas,
  ...caseSchemas,
  ...workflowSchemas,
  ...listSchemas,
  ...webhookSchemas,
  ...apiKeySchemas,
  ...settingsSchemas,
  ...auditEventSchemas,
  ...captureSchemas,
};
