/**
 * Owns the live engine's REST surface on sessions and workflows: reprocess (202), external
 * decision (202), the workflow run and its replay, checks and their attempts, the workflow
 * trigger and the dry run of a graph against a stored session.
 */
import { outsideRequestTransaction } from "../../core/db/request_transaction.ts";
import { Hono } from "hono";
import type { AppContext, AppEnv } from "../http.ts";
import { readJson, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import { snakeKeys } from "../../core/casing.ts";
import { requireObject } from "../../core/validation.ts";
import { awaitDryRun, type DryRunReply, queueDryRun, readDryRun } from "../../core/verification/dry_runs.ts";
import {
  getWorkflowRun,
  listPolicyAttempts,
  listVerifications,
  replayWorkflowRun,
  reprocessSession,
  submitExternalDecision,
  triggerWorkflow,
} from "../../core/verification/service.ts";

/** Mounted under /api/v1/sessions. */
export function sessionVerificationRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();
  app.post("/:id/reprocess", requireScope("sessions:write"), async (c) => {
    return respond(c, await reprocessSession(deps, c.get("principal"), c.req.param("id")), 202);
  });
  app.post("/:id/external-decision", requireScope("sessions:write"), async (c) => {
    // metadata is the customer's own document: its keys stay as sent.
    const body = requireObject(await readJson(c));
    const { metadata, ...rest } = body;
    const input = { ...snakeKeys(rest), ...(metadata !== undefined ? { metadata } : {}) };
    return respond(c, await submitExternalDecision(deps, c.get("principal"), c.req.param("id"), input), 202);
  });
  app.get("/:id/workflow-run", requireScope("verifications:read"), async (c) => {
    return respond(c, await getWorkflowRun(deps, c.get("principal"), c.req.param("id")));
  });
  app.post("/:id/workflow-run/replay", requireScope("verifications:read"), async (c) => {
    return respond(c, await replayWorkflowRun(deps, c.get("principal"), c.req.param("id")));
  });
  app.get("/:id/verifications", requireScope("verifications:read"), async (c) => {
    return respond(c, await listVerifications(deps, c.get("principal"), c.req.param("id")));
  });
  app.get("/:id/verifications/:policy/attempts", requireScope("verifications:read"), async (c) => {
    const { id, policy } = c.req.param();
    return respond(c, await listPolicyAttempts(deps, c.get("principal"), id, policy));
  });
  return app;
}

/**
 * How long POST /workflows/dry-run waits for the worker before answering 202 with the dry run's
 * id: under the 60 s a proxy in front commonly allows.
 */
export const DRY_RUN_WAIT_MS = 50_000;

/** Mounted under /api/v1/workflows, before the workflow resource's own `/:id` routes. */
export function workflowRunRoutes(deps: CoreDeps, { dryRunWaitMs = DRY_RUN_WAIT_MS } = {}) {
  const app = new Hono<AppEnv>();
  const dryRunReply = (c: AppContext, reply: DryRunReply) => {
    if (reply.done) return respond(c, reply.body);
    c.header("Location", `/api/v1/workflows/dry-runs/${reply.body.id}`);
    return respond(c, reply.body, 202);
  };
  // It shows check results of a stored session, so it needs that permission as well as the workflow one.
  // The walk (OCR, face models) runs on the worker; the answer is the same 200 once it is done.
  app.post("/dry-run", requireScope("workflows:read", "verifications:read"), async (c) => {
    const body = requireObject(await readJson(c));
    const { graph, ...rest } = body;
    // A graph's node ids are the customer's: only the top-level keys are normalised.
    const input = { ...snakeKeys(rest), ...(graph !== undefined ? { graph } : {}) };
    // The worker must see the queued run while this call waits, so it commits at once rather than
    // with the call's audit row (a dry run changes no customer data).
    const reply = await outsideRequestTransaction(async () => {
      const id = await queueDryRun(deps, c.get("principal"), input);
      return await awaitDryRun(deps, c.get("principal"), id, dryRunWaitMs);
    });
    return dryRunReply(c, reply);
  });
  // A dry run that outlasted the wait: 202 while it runs, then its outcome once (it is deleted when read).
  app.get("/dry-runs/:id", requireScope("workflows:read"), requireScope("verifications:read"), async (c) => {
    return dryRunReply(c, await readDryRun(deps, c.get("principal"), c.req.param("id")));
  });
  app.post("/:id/trigger", requireScope("workflows:trigger"), async (c) => {
    const body = snakeKeys(requireObject(await readJson(c)));
    return respond(c, await triggerWorkflow(deps, c.get("principal"), c.req.param("id"), body), 202);
  });
  return app;
}
