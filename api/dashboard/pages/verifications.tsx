/**
 * Owns the dashboard's Verifications pages: the list (filters, search, paging, in the environment
 * of the sandbox/live switch), "+ New Verification" (a dialog, or /verifications/new without
 * JavaScript) creating a session through core's createSession with an optional emailed invite,
 * "Verification Created", and the session page with its actions (expire, resume, reprocess,
 * webhook retry). Admins and reviewers create and act; viewers read (403 if they post). Admins
 * alone export (a JSON download), redact (after a confirmation page) and set or release the legal
 * hold. Every read goes through core with the operator's scope, so another organisation's session
 * is a 404. api/dashboard/audit.ts records each action, the export included.
 */
import { Hono } from "hono";
import type { CoreDeps } from "../../../core/deps.ts";
import { AppError } from "../../../core/errors.ts";
import { randomString } from "../../../core/ids.ts";
import { parseCreateSessionBody } from "../../../core/sessions/create_input.ts";
import {
  createSession,
  expireSession,
  getSession,
  resumeSession,
  updateSession,
} from "../../../core/sessions/service.ts";
import { legalHoldOf, redactSession } from "../../../core/privacy/redaction.ts";
import { exportSession } from "../../../core/privacy/export.ts";
import { findResult, findResults, listSessionRows } from "../../../core/sessions/repository.ts";
import { sensitiveDataExpired, toSessionDto } from "../../../core/sessions/dto.ts";
import { captureUrl, qrCodeDataUrl } from "../../../core/sessions/capture_token.ts";
import { invitesEnabled, sendSessionInvite } from "../../../core/sessions/invite.ts";
import { canTransition, isSessionStatus } from "../../../core/sessions/status.ts";
import { caseLinksOfSessions } from "../../../core/cases/repository.ts";
import { assessRisk, assessRiskLevels } from "../../../core/risk/assessment.ts";
import { getOrgSettings } from "../../../core/orgs/organizations.ts";
import { listDocuments } from "../../../core/documents/service.ts";
import { toDocumentDto } from "../../../core/documents/dto.ts";
import { reprocessSession } from "../../../core/verification/service.ts";
import { findLatestRun, toRunDto } from "../../../core/verification/runs.ts";
import { assertRetryable, findDelivery, listAttempts, listDeliveries } from "../../../core/webhooks/deliveries.ts";
import { retryDelivery } from "../../../core/webhooks/delivery.ts";
import { listWorkflows } from "../../../core/workflows/service.ts";
import { type DashboardContext, type DashboardEnv, operatorScope } from "../env.ts";
import { DashboardPage } from "../layout.tsx";
import { operatorPrincipal } from "../operator_principal.ts";
import { canReview, refusalOf, requireReview } from "./actions.ts";
import {
  canManage,
  type FieldErrors,
  fieldErrorsOf,
  noticeFor,
  pageFromQuery,
  readForm,
  requireManage,
} from "./forms.tsx";
import { type ListFilters, RESULT_STATUSES, type ResultStatus, VerificationsList } from "./verifications/list_view.tsx";
import {
  type InviteOutcome,
  NewVerificationDialog,
  NewVerificationForm,
  type NewVerificationValues,
  VerificationCreatedDialog,
  type WorkflowChoice,
} from "./verifications/new_view.tsx";
import { type DetailModel, RedactConfirmation, SessionDetail } from "./verifications/detail_view.tsx";

const NOTICES: Record<string, string> = {
  expired: "The session was expired: its capture link no longer works.",
  resumed: "The session was resumed with a new capture link (below).",
  reprocessing: "The workflow will run again on the stored documents.",
  retried: "The delivery was queued for another attempt.",
  redacted: "The session's personal data was permanently redacted: documents, extracted data and applicant details.",
  already_redacted: "The session's personal data was already redacted; nothing more to remove.",
  hold_set: "The session is under legal hold: no redaction path (dashboard, API, bulk, retention) can erase it.",
  hold_released: "The legal hold was released.",
};

/** How long the legal hold reason may be (the API's own limit). */
const MAX_HOLD_REASON = 500;

/** Webhook history shown on a session page: its most recent deliveries. */
const DELIVERIES_SHOWN = 50;

function listFilters(c: DashboardContext): ListFilters {
  const status = c.req.query("status") ?? "";
  const result = c.req.query("result") ?? "";
  return {
    status: isSessionStatus(status) ? status : "",
    result: (RESULT_STATUSES as readonly string[]).includes(result) ? result : "",
    q: (c.req.query("q") ?? "").trim().slice(0, 255),
  };
}

export function verificationsPages(deps: CoreDeps) {
  const app = new Hono<DashboardEnv>();

  async function workflowChoices(c: DashboardContext): Promise<WorkflowChoice[]> {
    const { items } = await listWorkflows(deps.db, operatorScope(c.get("operator")), { limit: 100, offset: 0 }, {
      isActive: true,
    });
    return items.map(({ row }) => ({ id: row.id, name: row.name, isDefault: row.is_default }));
  }

  async function renderList(c: DashboardContext, created?: { sessionId: string; invite: InviteOutcome }) {
    const scope = operatorScope(c.get("operator"));
    const filters = created ? { status: "", result: "", q: "" } : listFilters(c);
    const { page, limit, offset } = pageFromQuery(c);
    const { rows, total } = await listSessionRows(deps.db, scope, {
      status: filters.status ? [filters.status] : undefined,
      resultStatus: filters.result ? [filters.result as ResultStatus] : undefined,
      q: filters.q || undefined,
    }, { limit, offset });
    const [results, risks] = await Promise.all([
      findResults(deps.db, scope, rows.map((r) => r.id)),
      assessRiskLevels(deps, scope, rows),
    ]);
    const canCreate = canReview(c);
    let createdDialog = null;
    if (created) {
      const session = await getSession(deps, scope, created.sessionId);
      const url = toSessionDto(session, deps.keyRing, deps.publicUrl, deps.clock()).capture_url;
      createdDialog = (
        <VerificationCreatedDialog
          sessionId={session.id}
          captureUrl={url}
          qrCodeDataUrl={url ? await qrCodeDataUrl(url) : null}
          invite={created.invite}
        />
      );
    }
    const newDialog = canCreate
      ? <NewVerificationDialog c={c} workflows={await workflowChoices(c)} invitesOn={invitesEnabled(deps)} />
      : null;
    return c.html(
      <DashboardPage c={c} title="Verifications" active="verifications">
        <VerificationsList
          c={c}
          rows={rows.map((session) => ({
            session,
            result: (results.get(session.id)?.status ?? null) as ResultStatus | null,
            risk: risks.get(session.id) ?? "low",
          }))}
          filters={filters}
          page={page}
          hasMore={offset + rows.length < total}
          canCreate={canCreate}
          dialogs={
            <>
              {createdDialog}
              {newDialog}
            </>
          }
        />
      </DashboardPage>,
    );
  }

  async function renderNew(
    c: DashboardContext,
    values: Partial<NewVerificationValues> = {},
    errors?: FieldErrors,
    status: 200 | 422 = 200,
  ) {
    return c.html(
      <DashboardPage c={c} title="New Verification" active="verifications">
        <p>
          <a href="/dashboard/verifications">← All verifications</a>
        </p>
        <NewVerificationForm
          c={c}
          workflows={await workflowChoices(c)}
          invitesOn={invitesEnabled(deps)}
          values={values}
          errors={errors}
        />
      </DashboardPage>,
      status,
    );
  }

  app.get("/verifications", (c) => renderList(c));

  app.get("/verifications/new", (c) => {
    requireReview(c);
    return renderNew(c);
  });

  app.post("/verifications", async (c) => {
    requireReview(c);
    const form = await readForm(c);
    const values: NewVerificationValues = {
      external_ref: form.text("external_ref"),
      applicant_name: form.text("applicant_name"),
      applicant_email: form.text("applicant_email"),
      send_email: form.has("send_email"),
      workflow_id: form.text("workflow_id"),
    };
    // The no-JavaScript Generate button posts the form back to fill the reference in.
    if (form.has("generate")) return await renderNew(c, { ...values, external_ref: `ref_${randomString(16)}` });
    if (values.send_email && !invitesEnabled(deps)) {
      return await renderNew(c, values, { send_email: "is unavailable: email invites are off" }, 422);
    }
    let created: Awaited<ReturnType<typeof createSession>>;
    let sendInvite = false;
    try {
      const input = parseCreateSessionBody({
        external_ref: values.external_ref || undefined,
        applicant_name: values.applicant_name || undefined,
        applicant_email: values.applicant_email || undefined,
        send_email: values.send_email,
        workflow_id: values.workflow_id || undefined,
      });
      sendInvite = input.send_email === true;
      created = await createSession(deps, operatorPrincipal(c.get("operator"), ["sessions:create"]), input);
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (errors) return await renderNew(c, values, errors, 422);
      throw error;
    }
    const { session, token } = created;
    let invite: InviteOutcome = null;
    if (sendInvite) {
      try {
        await sendSessionInvite(deps, session, captureUrl(deps.publicUrl, token.token));
        invite = "sent";
      } catch (error) {
        invite = "failed";
        deps.log.warn("session invite failed", {
          session_id: session.id,
          request_id: c.get("requestId"),
          error: error instanceof Error ? error.name : "unknown",
        });
      }
    }
    const query = invite ? `?invite=${invite}` : "";
    return c.redirect(`/dashboard/verifications/${session.id}/created${query}`, 303);
  });

  app.get("/verifications/:id/created", (c) => {
    const invite = c.req.query("invite");
    return renderList(c, {
      sessionId: c.req.param("id"),
      invite: invite === "sent" || invite === "failed" ? invite : null,
    });
  });

  async function renderDetail(c: DashboardContext, id: string, problem: string | null = null, status: 200 | 409 = 200) {
    const scope = operatorScope(c.get("operator"));
    const row = await getSession(deps, scope, id);
    const now = deps.clock();
    const [links, result, settings, risk, run, deliveries] = await Promise.all([
      caseLinksOfSessions(deps.db, scope, [row.id]),
      findResult(deps.db, scope, row.id),
      getOrgSettings(deps.db, scope.orgId),
      assessRisk(deps, scope, row),
      findLatestRun(deps.db, scope, row.id),
      listDeliveries(deps.db, scope, { sessionId: row.id }, { limit: DELIVERIES_SHOWN, offset: 0 }),
    ]);
    const documents = sensitiveDataExpired(row, settings, now)
      ? null
      : (await listDocuments(deps.db, scope, row.id)).map((d) =>
        toDocumentDto(d, deps.publicUrl, deps.signingKeys, now, settings.image_url_expiry_seconds)
      );
    const attempts = await listAttempts(deps.db, deliveries.rows.map((d) => d.id));
    const act = canReview(c);
    const manage = canManage(c);
    const open = row.retention_status !== "redacted";
    const model: DetailModel = {
      session: toSessionDto(row, deps.keyRing, deps.publicUrl, now, links.get(row.id) ?? null),
      result,
      documents,
      risk,
      run: run ? toRunDto(run) : null,
      deliveries: deliveries.rows.map((d) => ({ row: d, attempts: attempts.filter((a) => a.delivery_id === d.id) })),
      actions: {
        expire: act && open && canTransition(row.status, "expired"),
        resume: act && open && canTransition(row.status, "pending"),
        reprocess: act && open && row.environment === "live" && (row.status === "completed" || row.status === "failed"),
        retryWebhooks: act,
        export: manage,
        redact: manage && open,
        legalHold: manage && open,
      },
      notice: noticeFor(c, NOTICES),
      problem,
    };
    return c.html(
      <DashboardPage c={c} title={`Verification ${row.id}`} active="verifications">
        <SessionDetail c={c} model={model} />
      </DashboardPage>,
      status,
    );
  }

  app.get("/verifications/:id", (c) => renderDetail(c, c.req.param("id")));

  /**
   * A session action: role check, then the core call. A core refusal (wrong state, not retryable)
   * re-renders the page with the reason (409); success redirects back with a fixed notice.
   */
  function action(path: string, run: (c: DashboardContext, id: string) => Promise<unknown>, notice: string) {
    app.post(`/verifications/:id/${path}`, async (c) => {
      requireReview(c);
      const id = c.req.param("id");
      try {
        await run(c, id);
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal === null) throw error;
        return await renderDetail(c, id, refusal, 409);
      }
      return c.redirect(`/dashboard/verifications/${id}?notice=${notice}`, 303);
    });
  }

  const scopeOf = (c: DashboardContext) => operatorScope(c.get("operator"));
  action("expire", (c, id) => expireSession(deps, scopeOf(c), id), "expired");
  action("resume", (c, id) => resumeSession(deps, scopeOf(c), id), "resumed");
  action("reprocess", (c, id) => reprocessSession(deps, scopeOf(c), id), "reprocessing");
  action("webhooks/:deliveryId/retry", async (c, id) => {
    const scope = scopeOf(c);
    const delivery = await findDelivery(deps.db, scope, c.req.param("deliveryId")!);
    // The delivery must belong to the session in the URL, or the page would act on another one.
    if (delivery.session_id !== (await getSession(deps, scope, id)).id) {
      throw new AppError("not_found", "Delivery not found.");
    }
    assertRetryable(delivery);
    await retryDelivery(deps, delivery);
  }, "retried");

  // The data-lifecycle actions (issue #9), for admins: the same core code as the API's export,
  // erasure and legal hold, with the operator as the actor of their audit rows.

  /** The data-subject export, as a download of exactly the JSON GET /api/v1/sessions/{id}/export answers. */
  app.get("/verifications/:id/export", async (c) => {
    requireManage(c);
    const body = await exportSession(deps, scopeOf(c), c.req.param("id"));
    c.header("Content-Disposition", `attachment; filename="${body.session.id}-export.json"`);
    return c.json(body);
  });

  async function renderRedactConfirmation(c: DashboardContext, id: string, status: 200 | 422 = 200) {
    const row = await getSession(deps, scopeOf(c), id);
    const hold = row.retention_status === "redacted" ? null : await legalHoldOf(deps.db, row);
    return c.html(
      <DashboardPage c={c} title={`Redact ${row.id}`} active="verifications">
        <RedactConfirmation c={c} session={row} hold={hold} />
      </DashboardPage>,
      status,
    );
  }

  app.get("/verifications/:id/redact", (c) => {
    requireManage(c);
    return renderRedactConfirmation(c, c.req.param("id"));
  });

  /**
   * Erasure after the confirmation page (`confirm=redact`; without it, that page again, 422). A held
   * session is refused on the session page with the hold's reason (409); deleted and
   * already-redacted both redirect with their notice.
   */
  app.post("/verifications/:id/redact", async (c) => {
    requireManage(c);
    const id = c.req.param("id");
    const form = await readForm(c);
    if (form.text("confirm") !== "redact") return await renderRedactConfirmation(c, id, 422);
    const operator = c.get("operator");
    const receipt = await redactSession(deps, scopeOf(c), id, { type: "operator", id: operator.userId }, "dashboard");
    if (receipt.status === "legal_hold" || receipt.status === "busy") {
      const row = await getSession(deps, scopeOf(c), id);
      const holder = await legalHoldOf(deps.db, row);
      const problem = receipt.status === "busy"
        ? "The session is being changed by another request; try again."
        : holder === "identity"
        ? `Refused: the session belongs to an identity under legal hold. Release that hold before redacting.`
        : `Refused: the session is under legal hold${
          row.legal_hold_reason ? ` (${row.legal_hold_reason})` : ""
        }. Release the hold before redacting.`;
      return await renderDetail(c, id, problem, 409);
    }
    c.set("auditNote", { details: { result: receipt.status, documents_removed: receipt.documents_removed } });
    return c.redirect(
      `/dashboard/verifications/${id}?notice=${receipt.status === "deleted" ? "redacted" : receipt.status}`,
      303,
    );
  });

  app.post("/verifications/:id/legal-hold", async (c) => {
    requireManage(c);
    const id = c.req.param("id");
    const form = await readForm(c);
    const hold = form.text("legal_hold");
    if (hold !== "set" && hold !== "release") {
      return await renderDetail(c, id, "Choose whether to set or release the legal hold.", 409);
    }
    const reason = form.text("reason");
    if (reason.length > MAX_HOLD_REASON) {
      return await renderDetail(c, id, `The reason must be at most ${MAX_HOLD_REASON} characters.`, 409);
    }
    try {
      await updateSession(deps, scopeOf(c), id, {
        legal_hold: hold === "set",
        ...(hold === "set" ? { legal_hold_reason: reason || null } : {}),
      });
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal === null) throw error;
      return await renderDetail(c, id, refusal, 409);
    }
    // The choice, never the reason (free text that may name someone).
    c.set("auditNote", { action: `dashboard.session.legal_hold.${hold}` });
    return c.redirect(`/dashboard/verifications/${id}?notice=${hold === "set" ? "hold_set" : "hold_released"}`, 303);
  });

  return app;
}
