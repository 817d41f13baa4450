/**
 * Owns the review cases REST resource: create, list (status, assigned_to, tab), counts per tab,
 * get (with session, documents and check results), patch, claim, claim-next, release, assign,
 * escalate, approve, reject, notes, PII correction and check override. Reads need `cases:read`,
 * every change `cases:decide` (or the legacy `cases:write`). The key acts as itself; a body's
 * `reviewer_id` (or `assigned_by`) names the operator it acts for, which needs `cases:delegate`
 * (core/cases/reviewers.ts).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../http.ts";
import { pageParams, paginated, queryList, readJson, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import type { CaseStatus, ReviewCaseRow } from "../../core/db/database.ts";
import type { Scope } from "../../core/orgs/api_keys.ts";
import { snakeKeys } from "../../core/casing.ts";
import { AppError } from "../../core/errors.ts";
import { parseOrThrow, requireObject } from "../../core/validation.ts";
import { loadDecision } from "../../core/sessions/results.ts";
import { toResultDto } from "../../core/sessions/dto.ts";
import { findCase, listCaseRows } from "../../core/cases/repository.ts";
import { CASE_STATUSES } from "../../core/cases/status.ts";
import {
  type ActingReviewer,
  resolveActingReviewer,
  resolveAssignee,
  reviewerIdSchema,
} from "../../core/cases/reviewers.ts";
import { createCase, createCaseSchema } from "../../core/cases/open.ts";
import { assignCase, claimCase, claimNextCase, escalateCase, releaseCase } from "../../core/cases/queue.ts";
import { approveSchema, decideCase, type DecisionOutcome, rejectSchema } from "../../core/cases/decisions.ts";
import {
  correctExtractedData,
  correctPiiSchema,
  overrideCheck,
  overrideCheckSchema,
} from "../../core/cases/corrections.ts";
import { addNote, listNotes, MAX_NOTE_LENGTH, updateCase, updateCaseSchema } from "../../core/cases/annotations.ts";
import { CASE_TABS, caseCounts, type CaseTab, tabFilters } from "../../core/cases/tabs.ts";
import { toCaseDto, toNoteDto } from "../../core/cases/dto.ts";
import { caseDetail } from "../../core/cases/detail.ts";

export const caseActorSchema = z.strictObject({ reviewer_id: reviewerIdSchema.optional() });
export const assignCaseSchema = z.strictObject({
  reviewer_id: reviewerIdSchema,
  assigned_by: reviewerIdSchema.optional(),
});
export const escalateCaseSchema = z.strictObject({
  reviewer_id: reviewerIdSchema.optional(),
  escalated_to: reviewerIdSchema,
  reason: z.string({ error: "is required" }).trim().min(1, "is required").max(5000),
  notes: z.string().trim().min(1).max(MAX_NOTE_LENGTH).optional(),
});
export const caseNoteSchema = z.strictObject({
  reviewer_id: reviewerIdSchema.optional(),
  text: z.string({ error: "is required" }).trim().min(1, "must not be empty").max(
    MAX_NOTE_LENGTH,
    `must be at most ${MAX_NOTE_LENGTH} characters`,
  ),
});

async function body<T extends z.ZodType>(c: AppContext, schema: T): Promise<z.infer<T>> {
  return parseOrThrow(schema, snakeKeys(requireObject(await readJson(c))));
}

/** A reviewer id from the query (filters, tab=mine, counts' mine), validated like one in a body. */
function queryReviewer(c: AppContext, name: string): string | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return undefined;
  const parsed = reviewerIdSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError("invalid_parameter", `${name} must be a reviewer id (e.g. orguser_… or an email).`);
  }
  return parsed.data;
}

export function caseRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();
  const read = requireScope("cases:read");
  const decide = requireScope("cases:decide");
  const caseDto = (row: ReviewCaseRow) => toCaseDto(row, deps.keyRing, deps.clock());
  const actor = (c: AppContext, named: string | undefined, field?: string) =>
    resolveActingReviewer(deps.db, c.get("principal"), named, field);

  app.post("/", decide, async (c) => {
    const input = await body(c, createCaseSchema);
    const created = await createCase(deps, c.get("principal"), input, (await actor(c, input.reviewer_id)).reviewer);
    return respond(c, caseDto(created), 201);
  });

  app.get("/", read, async (c) => {
    const scope = c.get("principal");
    const page = pageParams(c, 50);
    const tab = queryList(c, "tab", CASE_TABS)?.[0] as CaseTab | undefined;
    const assignedTo = queryReviewer(c, "assigned_to");
    const fromTab = tab ? tabFilters(tab, queryReviewer(c, "reviewer_id") ?? assignedTo ?? scope.keyId) : {};
    const status = queryList(c, "status", CASE_STATUSES) as CaseStatus[] | undefined;
    const { rows, total } = await listCaseRows(deps.db, scope, {
      ...fromTab,
      // An explicit status narrows the tab's statuses instead of widening them.
      ...(status ? { status: fromTab.status ? status.filter((s) => fromTab.status!.includes(s)) : status } : {}),
      ...(assignedTo !== undefined ? { assignedTo } : {}),
      ...(c.req.query("session_id") ? { sessionId: c.req.query("session_id") } : {}),
    }, page);
    return respond(c, paginated(rows.map(caseDto), total, page));
  });

  // Before /:id so "counts" is not read as a case id.
  app.get("/counts", read, async (c) => {
    const scope = c.get("principal");
    return respond(c, await caseCounts(deps.db, scope, queryReviewer(c, "reviewer_id") ?? scope.keyId));
  });

  app.post("/next", decide, async (c) => {
    const { reviewer_id } = await body(c, caseActorSchema);
    const claimed = await claimNextCase(deps, c.get("principal"), (await actor(c, reviewer_id)).reviewer);
    if (!claimed) return c.body(null, 204);
    return respond(c, await caseDetail(deps, c.get("principal"), claimed));
  });

  app.get("/:id", read, async (c) => {
    const scope = c.get("principal");
    return respond(c, await caseDetail(deps, scope, await findCase(deps.db, scope, c.req.param("id"))));
  });

  /** Parses the body, then runs `change` on the path's case (every caller is an `/:id` route) as the acting reviewer. */
  async function onCase<S extends z.ZodType<{ reviewer_id?: string }>, R>(
    c: AppContext,
    schema: S,
    change: (scope: Scope, id: string, input: z.infer<S>, acting: ActingReviewer) => Promise<R>,
  ): Promise<R> {
    const input = await body(c, schema);
    return await change(c.get("principal"), c.req.param("id")!, input, await actor(c, input.reviewer_id));
  }

  app.patch("/:id", decide, async (c) => {
    const updated = await onCase(
      c,
      updateCaseSchema,
      (scope, id, input, acting) => updateCase(deps, scope, id, input, acting.reviewer),
    );
    return respond(c, caseDto(updated));
  });

  app.post("/:id/claim", decide, async (c) => {
    const claimed = await onCase(
      c,
      caseActorSchema,
      (scope, id, _, acting) => claimCase(deps, scope, id, acting.reviewer),
    );
    return respond(c, caseDto(claimed));
  });

  app.post("/:id/release", decide, async (c) => {
    const released = await onCase(
      c,
      caseActorSchema,
      (scope, id, _, acting) => releaseCase(deps, scope, id, acting.reviewer),
    );
    return respond(c, caseDto(released));
  });

  // The body's reviewer_id is the assignee here; the one acting is `assigned_by` (else the key).
  app.post("/:id/assign", decide, async (c) => {
    const input = await body(c, assignCaseSchema);
    const scope = c.get("principal");
    const acting = await actor(c, input.assigned_by, "assigned_by");
    const assignee = await resolveAssignee(deps.db, scope, input.reviewer_id, "reviewer_id");
    return respond(c, caseDto(await assignCase(deps, scope, c.req.param("id"), assignee, acting.reviewer)));
  });

  app.post("/:id/escalate", decide, async (c) => {
    const input = await body(c, escalateCaseSchema);
    const scope = c.get("principal");
    const acting = await actor(c, input.reviewer_id);
    const escalatedTo = await resolveAssignee(deps.db, scope, input.escalated_to, "escalated_to");
    const escalated = await escalateCase(
      deps,
      scope,
      c.req.param("id"),
      { ...input, escalated_to: escalatedTo },
      acting.reviewer,
    );
    return respond(c, caseDto(escalated));
  });

  const decisionResponse = (c: AppContext, outcome: DecisionOutcome) =>
    respond(c, {
      ...caseDto(outcome.reviewCase),
      final: outcome.final,
      ...(outcome.blocked ? { blocked: outcome.blocked } : {}),
    });

  app.post("/:id/approve", decide, async (c) => {
    const outcome = await onCase(
      c,
      approveSchema,
      (scope, id, input, { reviewer, principal }) =>
        decideCase(deps, scope, id, { decision: "approved", reviewer, principal, reason: input.reason }),
    );
    return decisionResponse(c, outcome);
  });

  app.post("/:id/reject", decide, async (c) => {
    const outcome = await onCase(
      c,
      rejectSchema,
      (scope, id, input, { reviewer, principal }) =>
        decideCase(deps, scope, id, {
          decision: "rejected",
          reviewer,
          principal,
          reasonCode: input.reason_code,
          reason: input.reason,
          addToBlocklist: input.add_to_blocklist ?? false,
        }),
    );
    return decisionResponse(c, outcome);
  });

  app.get("/:id/notes", read, async (c) => {
    const page = pageParams(c, 50);
    const { rows, total } = await listNotes(deps, c.get("principal"), c.req.param("id"), page);
    return respond(c, paginated(rows.map((row) => toNoteDto(row, deps.keyRing)), total, page));
  });

  app.post("/:id/notes", decide, async (c) => {
    const note = await onCase(
      c,
      caseNoteSchema,
      (scope, id, input, acting) => addNote(deps, scope, id, acting.reviewer, input.text),
    );
    return respond(c, toNoteDto(note, deps.keyRing), 201);
  });

  app.put("/:id/result/pii", decide, async (c) => {
    const { reviewCase, corrected } = await onCase(
      c,
      correctPiiSchema,
      (scope, id, input, acting) => correctExtractedData(deps, scope, id, input, acting.reviewer),
    );
    const { session, result, settings } = await loadDecision(deps, c.get("principal"), reviewCase.session_id);
    return respond(c, {
      case_id: reviewCase.id,
      corrected_fields: corrected,
      result: toResultDto(session, result, deps.keyRing, settings, deps.clock()),
    });
  });

  app.post("/:id/override-check", decide, async (c) => {
    const outcome = await onCase(
      c,
      overrideCheckSchema,
      (scope, id, input, { reviewer, principal }) => overrideCheck(deps, scope, id, input, reviewer, principal),
    );
    return respond(c, {
      ...caseDto(outcome.reviewCase),
      overridden_check: { policy: outcome.policy, original_status: outcome.originalStatus, status: "passed" },
      remaining_failed_checks: outcome.remainingFailedChecks,
      continued_to: outcome.continued?.reviewCase.status ?? null,
    });
  });

  return app;
}
