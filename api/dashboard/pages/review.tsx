/**
 * Owns the dashboard's Review queue: the tabs with their counts (core/cases/tabs.ts), "Claim next"
 * (FIFO, core's claimNextCase), and the case page — the session's documents side by side through
 * signed URLs, the check results, the decision form (approve, or reject with a catalogue reason
 * code, free text and the block-list option), notes and history, with SLA colours from the case
 * DTO. The operator's user id is the reviewer id on every case action. Admins and reviewers act;
 * viewers read (403 if they post). Reads go through core with the operator's scope, so another
 * organisation's case is a 404.
 */
import { Hono } from "hono";
import type { CoreDeps } from "../../../core/deps.ts";
import type { DocumentRow } from "../../../core/db/database.ts";
import { parseOrThrow } from "../../../core/validation.ts";
import { findCase, listCaseRows } from "../../../core/cases/repository.ts";
import { CASE_TABS, caseCounts, type CaseTab, tabFilters } from "../../../core/cases/tabs.ts";
import { claimCase, claimNextCase, releaseCase } from "../../../core/cases/queue.ts";
import { approveSchema, decideCase, type DecisionInput, rejectSchema } from "../../../core/cases/decisions.ts";
import { addNote, listNotes, MAX_NOTE_LENGTH } from "../../../core/cases/annotations.ts";
import { REJECTION_REASONS } from "../../../core/cases/reasons.ts";
import { type SlaStatus, toCaseDto, toNoteDto } from "../../../core/cases/dto.ts";
import { caseDetail } from "../../../core/cases/detail.ts";
import { validationError } from "../../../core/errors.ts";
import { type DashboardContext, type DashboardEnv, operatorScope } from "../env.ts";
import { csrfField, DashboardPage } from "../layout.tsx";
import {
  DataTable,
  ErrorSummary,
  FieldError,
  type FieldErrors,
  formatTime,
  Notice,
  noticeFor,
  pageFromQuery,
  Pager,
  type PostedForm,
  readForm,
} from "./forms.tsx";
import { CheckGroups } from "./verifications/checks.tsx";
import { label } from "./verifications/list_view.tsx";
import { attempt, canReview, requireReview, reviewerNames } from "./actions.ts";

const NOTICES: Record<string, string> = {
  queue_empty: "The queue is empty: no unassigned case is waiting. Nice work.",
  claimed: "The case is yours: decide it, or release it back to the queue.",
  released: "The case went back to the queue.",
  approved: "The case was approved; its session is completed.",
  rejected: "The case was rejected; its session is completed.",
  recommended: "Your recommendation was recorded: dual review needs a different reviewer to decide.",
  note_added: "Note added.",
};

const TAB_LABELS: Record<CaseTab, string> = {
  unassigned: "Unassigned",
  mine: "Mine",
  pending_second_review: "Pending second review",
  escalated: "Escalated",
  all: "All",
};

const SLA_LABELS: Record<SlaStatus, string> = {
  green: "On time",
  yellow: "Due soon",
  red: "Overdue",
};

/** Side by side in this order; any other slot (proof of address) follows. */
const SLOT_ORDER = ["id_front", "id_back", "selfie"];
const SLOT_LABELS: Record<string, string> = { id_front: "Front", id_back: "Back", selfie: "Selfie" };

const NOTES_SHOWN = 200;

type CaseDto = ReturnType<typeof toCaseDto>;
type CaseDetail = Awaited<ReturnType<typeof caseDetail>>;
type Names = (id: string | null) => string;

function elapsed(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return hours >= 48
    ? `${Math.floor(hours / 24)} d ${hours % 24} h`
    : hours
    ? `${hours} h ${minutes} min`
    : `${minutes} min`;
}

function SlaBadge({ dto }: { dto: Pick<CaseDto, "sla_status" | "sla_elapsed_seconds"> }) {
  return (
    <span class={`badge sla sla-${dto.sla_status}`} data-sla={dto.sla_status} title="Time in review">
      {SLA_LABELS[dto.sla_status]} · {elapsed(dto.sla_elapsed_seconds)}
    </span>
  );
}

function CaseStatusBadge({ status }: { status: string }) {
  return <span class={`badge case-${status}`} data-case-status={status}>{label(status)}</span>;
}

function tabOf(c: DashboardContext): CaseTab {
  const tab = c.req.query("tab") ?? "";
  return (CASE_TABS as readonly string[]).includes(tab) ? tab as CaseTab : "unassigned";
}

function QueueTabs({ tab, counts }: { tab: CaseTab; counts: Record<CaseTab, number> }) {
  return (
    <nav class="tabs" aria-label="Queue tabs">
      <ul>
        {CASE_TABS.map((t) => (
          <li>
            <a href={`/dashboard/review?tab=${t}`} aria-current={t === tab ? "page" : undefined} data-tab={t}>
              {TAB_LABELS[t]} <span class="count" data-count={t}>{counts[t]}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function QueueTable({ cases, who }: { cases: CaseDto[]; who: Names }) {
  if (cases.length === 0) return <p data-empty>No cases here.</p>;
  return (
    <DataTable
      name="cases"
      headings={["Case", "Session", "Status", "Priority", "Assigned to", "In review since", "SLA"]}
    >
      {cases.map((dto) => (
        <tr data-case-id={dto.id} data-sla={dto.sla_status} class={`sla-row-${dto.sla_status}`}>
          <td>
            <a href={`/dashboard/review/${dto.id}`}>{dto.id}</a>
          </td>
          <td>
            <a href={`/dashboard/verifications/${dto.session_id}`}>{dto.session_id}</a>
          </td>
          <td>
            <CaseStatusBadge status={dto.status} />
          </td>
          <td>{dto.priority}</td>
          <td>{who(dto.assigned_to)}</td>
          <td>{dto.entered_review_at ? formatTime(new Date(dto.entered_review_at)) : "—"}</td>
          <td>
            <SlaBadge dto={dto} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function Row({ name, children }: { name: string; children?: unknown }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{children ?? "—"}</dd>
    </>
  );
}

const when = (value: string | null) => (value ? formatTime(new Date(value)) : null);

function CaseSummary({ detail, who }: { detail: CaseDetail; who: Names }) {
  return (
    <section aria-labelledby="case-title" data-section="case">
      <h2 id="case-title">Case</h2>
      <dl class="details">
        <Row name="Status">
          <CaseStatusBadge status={detail.status} />
        </Row>
        <Row name="SLA">
          <SlaBadge dto={detail} />
        </Row>
        <Row name="Priority">{detail.priority}</Row>
        <Row name="Source">{detail.source}</Row>
        <Row name="Assigned to">{who(detail.assigned_to)}</Row>
        <Row name="In review since">{when(detail.entered_review_at)}</Row>
        {detail.claim_expires_at ? <Row name="Claim expires">{when(detail.claim_expires_at)}</Row> : null}
        <Row name="Session">
          <a href={`/dashboard/verifications/${detail.session.id}`}>{detail.session.id}</a>{" "}
          ({label(detail.session.status)})
        </Row>
        <Row name="External ref">{detail.session.external_ref}</Row>
        <Row name="Country">{detail.session.country}</Row>
        <Row name="Document type">{detail.session.document_type ? label(detail.session.document_type) : null}</Row>
        {detail.identity_id
          ? (
            <Row name="Identity">
              <a href={`/dashboard/identities/${detail.identity_id}`}>{detail.identity_id}</a>
            </Row>
          )
          : null}
        {detail.escalated_to
          ? (
            <Row name="Escalated">
              to {who(detail.escalated_to)} by {who(detail.escalated_by)}
              {detail.escalation_reason ? `: ${detail.escalation_reason}` : ""}
            </Row>
          )
          : null}
        {detail.first_decision
          ? (
            <Row name="First review">
              {detail.first_decision} by {who(detail.first_reviewer)}
              {detail.first_reason_code ? ` (${detail.first_reason_code})` : ""}
            </Row>
          )
          : null}
        {detail.decision
          ? (
            <Row name="Decision">
              <span data-decision={detail.decision}>{detail.decision}</span> by {who(detail.decided_by)},{" "}
              {when(detail.decided_at)}
              {detail.reason_code ? ` — ${detail.reason_code}` : ""}
              {detail.reason ? `: ${detail.reason}` : ""}
            </Row>
          )
          : null}
      </dl>
    </section>
  );
}

type DocumentDto = CaseDetail["documents"][number];

function slotRank(slot: string): number {
  const i = SLOT_ORDER.indexOf(slot);
  return i === -1 ? SLOT_ORDER.length : i;
}

/** Front, back and selfie next to each other at full size (signed URLs, never inline data); a missing slot says so. */
function DocumentsSideBySide({ documents, expired }: { documents: DocumentDto[]; expired: boolean }) {
  if (expired) {
    return (
      <section aria-labelledby="documents-title" data-section="documents">
        <h2 id="documents-title">Documents</h2>
        <p>The documents are past the sensitive-data window.</p>
      </section>
    );
  }
  const bySlot = new Map<string, DocumentDto>(documents.map((d) => [d.doc_type, d]));
  const slots = [...new Set([...SLOT_ORDER, ...bySlot.keys()])].sort((a, b) => slotRank(a) - slotRank(b));
  return (
    <section aria-labelledby="documents-title" data-section="documents">
      <h2 id="documents-title">Documents</h2>
      <div class="side-by-side" data-documents>
        {slots.map((slot) => {
          const doc = bySlot.get(slot);
          const name = SLOT_LABELS[slot] ?? label(slot as DocumentRow["doc_type"]);
          return (
            <figure data-document={slot}>
              {doc
                ? doc.mime_type === "application/pdf"
                  ? (
                    <a href={doc.url} target="_blank" rel="noopener">
                      Open PDF
                    </a>
                  )
                  : (
                    <a href={doc.url} target="_blank" rel="noopener">
                      <img src={doc.url} alt={name} />
                    </a>
                  )
                : <p class="missing">Not uploaded</p>}
              <figcaption>
                {name}
                {doc?.document_type ? ` · ${label(doc.document_type)}` : ""}
              </figcaption>
            </figure>
          );
        })}
      </div>
      {documents.length
        ? <p class="hint">Links expire after {documents[0].expires_in} s; reload for new ones.</p>
        : null}
    </section>
  );
}

function CheckResults({ detail }: { detail: CaseDetail }) {
  return (
    <section aria-labelledby="checks-title" data-section="checks">
      <h2 id="checks-title">Check results</h2>
      {detail.result
        ? (
          <p>
            Result: <span class={`badge result-${detail.result.status}`}>{label(detail.result.status)}</span>
          </p>
        )
        : null}
      <CheckGroups checkResults={detail.check_results as Record<string, unknown>} />
    </section>
  );
}

interface DecisionValues {
  reason_code: string;
  reason: string;
  add_to_blocklist: boolean;
}

function QueueActions({ c, detail }: { c: DashboardContext; detail: CaseDetail }) {
  const me = c.get("operator").userId;
  const base = `/dashboard/review/${detail.id}`;
  const claim = detail.status === "open";
  const release = detail.status === "in_review";
  if (!claim && !release) return null;
  return (
    <div class="actions" data-section="queue-actions">
      {claim
        ? (
          <form method="post" action={`${base}/claim`}>
            {csrfField(c)}
            <button type="submit" data-action="claim">Claim this case</button>
          </form>
        )
        : null}
      {release
        ? (
          <form method="post" action={`${base}/release`}>
            {csrfField(c)}
            <button type="submit" data-action="release">
              {detail.assigned_to === me ? "Release back to the queue" : "Release someone else's claim"}
            </button>
          </form>
        )
        : null}
    </div>
  );
}

function DecisionForm({ c, detail, values, errors }: {
  c: DashboardContext;
  detail: CaseDetail;
  values: DecisionValues;
  errors?: FieldErrors;
}) {
  const me = c.get("operator").userId;
  let blocked: string | null = null;
  if (detail.status === "open") blocked = "Claim the case before you decide it.";
  else if (detail.assigned_to !== null && detail.assigned_to !== me) {
    blocked = "The case is assigned to someone else: only they can decide it until it is released or reassigned.";
  } else if (detail.status === "pending_second_review" && detail.first_reviewer === me) {
    blocked = "Dual review: you made the first recommendation, so a different reviewer must decide.";
  }
  return (
    <section aria-labelledby="decision-title" data-section="decision">
      <h2 id="decision-title">Decision</h2>
      {blocked ? <p class="hint" data-decision-blocked>{blocked}</p> : null}
      <ErrorSummary errors={errors} />
      <form method="post" action={`/dashboard/review/${detail.id}/decision`} data-form="decision">
        {csrfField(c)}
        <label>
          Rejection reason
          <select name="reason_code">
            <option value="">— choose when rejecting —</option>
            {Object.entries(REJECTION_REASONS).map(([code, text]) => (
              <option value={code} selected={values.reason_code === code}>{label(code)}: {text}</option>
            ))}
          </select>
        </label>
        <FieldError errors={errors} field="reason_code" />
        <label>
          Notes on the decision (kept encrypted on the case; required for "other")
          <textarea name="reason" rows={3} maxlength={5000}>{values.reason}</textarea>
        </label>
        <FieldError errors={errors} field="reason" />
        <label class="checkbox">
          <input type="checkbox" name="add_to_blocklist" value="1" checked={values.add_to_blocklist} />
          On rejection, add the session's document number, device and face to a block list
        </label>
        <div class="actions">
          <button type="submit" name="decision" value="approve" data-action="approve">Approve</button>
          <button type="submit" name="decision" value="reject" class="danger" data-action="reject">Reject</button>
        </div>
      </form>
    </section>
  );
}

function Notes({ c, caseId, notes, who, text, errors }: {
  c: DashboardContext;
  caseId: string;
  notes: ReturnType<typeof toNoteDto>[];
  who: Names;
  text: string;
  errors?: FieldErrors;
}) {
  return (
    <section aria-labelledby="notes-title" data-section="notes">
      <h2 id="notes-title">Notes</h2>
      {notes.length === 0 ? <p>No notes yet.</p> : (
        <ol class="notes">
          {notes.map((note) => (
            <li data-note-id={note.id}>
              <p class="note-meta">
                {who(note.author)} · {when(note.created_at)}
              </p>
              <p class="note-text">{note.text}</p>
            </li>
          ))}
        </ol>
      )}
      {canReview(c)
        ? (
          <form method="post" action={`/dashboard/review/${caseId}/notes`} data-form="note">
            {csrfField(c)}
            <label>
              Add a note
              <textarea name="text" rows={3} maxlength={MAX_NOTE_LENGTH} required>{text}</textarea>
            </label>
            <FieldError errors={errors} field="text" />
            <button type="submit" data-action="add-note">Add note</button>
          </form>
        )
        : null}
    </section>
  );
}

function History({ detail, who }: { detail: CaseDetail; who: Names }) {
  return (
    <section aria-labelledby="history-title" data-section="history">
      <h2 id="history-title">History</h2>
      <ol class="history">
        {detail.history.map((entry) => (
          <li data-action-name={entry.action}>
            {when(entry.created_at)}: {label(entry.action)} by {who(entry.actor)}
            {entry.from_status && entry.to_status && entry.from_status !== entry.to_status
              ? ` (${label(entry.from_status)} → ${label(entry.to_status)})`
              : ""}
          </li>
        ))}
      </ol>
    </section>
  );
}

interface CasePageState {
  problem?: string;
  decision?: DecisionValues;
  decisionErrors?: FieldErrors;
  noteText?: string;
  noteErrors?: FieldErrors;
}

function decisionValues(form: PostedForm): DecisionValues {
  return {
    reason_code: form.text("reason_code"),
    reason: form.text("reason"),
    add_to_blocklist: form.has("add_to_blocklist"),
  };
}

export function reviewPages(deps: CoreDeps) {
  const app = new Hono<DashboardEnv>();
  const scopeOf = (c: DashboardContext) => operatorScope(c.get("operator"));

  app.get("/review", async (c) => {
    const scope = scopeOf(c);
    const me = c.get("operator").userId;
    const tab = tabOf(c);
    const { page, limit, offset } = pageFromQuery(c);
    const [counts, { rows, total }, who] = await Promise.all([
      caseCounts(deps.db, scope, me),
      listCaseRows(deps.db, scope, tabFilters(tab, me), { limit, offset }),
      reviewerNames(deps, c),
    ]);
    const now = deps.clock();
    const notice = noticeFor(c, NOTICES);
    return c.html(
      <DashboardPage c={c} title="Review queue" active="review">
        {notice ? <Notice kind={c.req.query("notice") === "queue_empty" ? "info" : "success"}>{notice}</Notice> : null}
        {canReview(c)
          ? (
            <form method="post" action="/dashboard/review/next" class="claim-next">
              {csrfField(c)}
              <button type="submit" data-action="claim-next">Claim next</button>
              <span class="hint">Takes the case that has waited longest ({counts.unassigned} unassigned).</span>
            </form>
          )
          : <p class="hint">Viewers see the queue read-only.</p>}
        <QueueTabs tab={tab} counts={counts} />
        <QueueTable cases={rows.map((row) => toCaseDto(row, deps.keyRing, now))} who={who} />
        <Pager c={c} page={page} hasMore={offset + rows.length < total} />
      </DashboardPage>,
    );
  });

  app.post("/review/next", async (c) => {
    requireReview(c);
    const claimed = await claimNextCase(deps, scopeOf(c), c.get("operator").userId);
    if (!claimed) {
      c.set("auditNote", { details: { claimed: false } });
      return c.redirect("/dashboard/review?notice=queue_empty", 303);
    }
    return c.redirect(`/dashboard/review/${claimed.id}?notice=claimed`, 303);
  });

  async function renderCase(c: DashboardContext, id: string, state: CasePageState = {}, status: 200 | 409 | 422 = 200) {
    const scope = scopeOf(c);
    const reviewCase = await findCase(deps.db, scope, id);
    const [detail, notes, who] = await Promise.all([
      caseDetail(deps, scope, reviewCase),
      listNotes(deps, scope, reviewCase.id, { limit: NOTES_SHOWN, offset: 0 }),
      reviewerNames(deps, c),
    ]);
    const noteDtos = notes.rows.map((row) => toNoteDto(row, deps.keyRing));
    const notice = noticeFor(c, NOTICES);
    const act = canReview(c);
    // Past the sensitive-data window caseDetail issues no links (the result says so).
    const expired = detail.result?.sensitive_data_expired === true;
    return c.html(
      <DashboardPage c={c} title={`Case ${detail.id}`} active="review">
        <p>
          <a href="/dashboard/review">← Review queue</a>
        </p>
        {notice ? <Notice>{notice}</Notice> : null}
        {state.problem ? <Notice kind="error">{state.problem}</Notice> : null}
        {act ? <QueueActions c={c} detail={detail} /> : null}
        <CaseSummary detail={detail} who={who} />
        <DocumentsSideBySide documents={detail.documents} expired={expired} />
        <CheckResults detail={detail} />
        {act && !detail.is_final
          ? (
            <DecisionForm
              c={c}
              detail={detail}
              values={state.decision ?? { reason_code: "", reason: "", add_to_blocklist: false }}
              errors={state.decisionErrors}
            />
          )
          : null}
        <Notes
          c={c}
          caseId={detail.id}
          notes={noteDtos}
          who={who}
          text={state.noteText ?? ""}
          errors={state.noteErrors}
        />
        <History detail={detail} who={who} />
      </DashboardPage>,
      status,
    );
  }

  app.get("/review/:id", (c) => renderCase(c, c.req.param("id")));

  /** A queue move on the case: refusals (someone else's claim, wrong status) are shown on the page. */
  function queueAction(path: string, run: (c: DashboardContext, id: string) => Promise<unknown>, notice: string) {
    app.post(`/review/:id/${path}`, async (c) => {
      requireReview(c);
      const id = c.req.param("id");
      const refused = await attempt(() => run(c, id), ({ problem }, status) => renderCase(c, id, { problem }, status));
      return refused ?? c.redirect(`/dashboard/review/${id}?notice=${notice}`, 303);
    });
  }

  queueAction("claim", (c, id) => claimCase(deps, scopeOf(c), id, c.get("operator").userId), "claimed");
  queueAction("release", (c, id) => releaseCase(deps, scopeOf(c), id, c.get("operator").userId), "released");

  /** The form's choice as core's decision input, validated by the API's own schemas. */
  function decisionInput(choice: string, values: DecisionValues, reviewer: string): DecisionInput {
    const reason = values.reason || undefined;
    if (choice === "approve") {
      parseOrThrow(approveSchema, { reason });
      return { decision: "approved", reviewer, reason };
    }
    if (choice !== "reject") throw validationError({ decision: "must be approve or reject" });
    const input = parseOrThrow(rejectSchema, {
      reason_code: values.reason_code || undefined,
      reason,
      add_to_blocklist: values.add_to_blocklist,
    });
    return {
      decision: "rejected",
      reviewer,
      reasonCode: input.reason_code,
      reason: input.reason,
      addToBlocklist: input.add_to_blocklist ?? false,
    };
  }

  app.post("/review/:id/decision", async (c) => {
    requireReview(c);
    const id = c.req.param("id");
    const form = await readForm(c);
    const values = decisionValues(form);
    let notice = "";
    const refused = await attempt(
      async () => {
        const input = decisionInput(form.text("decision"), values, c.get("operator").userId);
        const outcome = await decideCase(deps, scopeOf(c), id, input);
        notice = outcome.final ? outcome.reviewCase.status : "recommended";
        // The validated choice (approve/reject), not the form's text: `dashboard.case.approve`.
        c.set("auditNote", {
          action: `dashboard.case.${input.decision === "approved" ? "approve" : "reject"}`,
          details: { final: outcome.final },
        });
      },
      ({ problem, errors }, status) => renderCase(c, id, { problem, decision: values, decisionErrors: errors }, status),
    );
    return refused ?? c.redirect(`/dashboard/review/${id}?notice=${notice}`, 303);
  });

  app.post("/review/:id/notes", async (c) => {
    requireReview(c);
    const id = c.req.param("id");
    const text = (await readForm(c)).text("text");
    if (!text || text.length > MAX_NOTE_LENGTH) {
      // Found first, so another organisation's case stays a 404 rather than a form error.
      await findCase(deps.db, scopeOf(c), id);
      const message = text ? `must be at most ${MAX_NOTE_LENGTH} characters` : "must not be empty";
      return await renderCase(c, id, { noteText: text, noteErrors: { text: message } }, 422);
    }
    await addNote(deps, scopeOf(c), id, c.get("operator").userId, text);
    return c.redirect(`/dashboard/review/${id}?notice=note_added#notes-title`, 303);
  });

  return app;
}
