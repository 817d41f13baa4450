/**
 * Owns the dashboard's Workflows pages: the list (version, default, active, rollout), a workflow's
 * page (its versions, the graph drawn as a diagram, a JSON editor whose Validate runs core's own
 * validation and whose Save writes a new version through core's updateWorkflow), and the admin
 * actions set-default and deactivate. Every read and write goes through core/workflows/service.ts
 * with the operator's scope, so another organisation's workflow is a 404.
 */
import { Hono } from "hono";
import type { CoreDeps } from "../../../core/deps.ts";
import type { WorkflowRow } from "../../../core/db/database.ts";
import { AppError } from "../../../core/errors.ts";
import { parseOrThrow } from "../../../core/validation.ts";
import type { WorkflowGraph } from "../../../core/workflows/graph.ts";
import { stepCount } from "../../../core/workflows/definition.ts";
import { DEFAULT_GRAPH } from "../../../core/workflows/templates.ts";
import { trafficPercentage } from "../../../core/workflows/rollout.ts";
import {
  deactivateWorkflow,
  getWorkflow,
  getWorkflowVersion,
  listWorkflows,
  listWorkflowVersions,
  setDefaultWorkflow,
  updateWorkflow,
  validateDefinition,
  validateWorkflowSchema,
} from "../../../core/workflows/service.ts";
import { type DashboardContext, type DashboardEnv, operatorScope } from "../env.ts";
import { csrfField, DashboardPage } from "../layout.tsx";
import { WorkflowDiagram } from "./workflow_diagram.tsx";
import {
  canManage,
  DataTable,
  ErrorSummary,
  FieldError,
  type FieldErrors,
  fieldErrorsOf,
  formatTime,
  Notice,
  noticeFor,
  pageFromQuery,
  Pager,
  readForm,
  requireManage,
} from "./forms.tsx";

const NOTICES: Record<string, string> = {
  saved: "Saved as a new version.",
  unchanged: "Nothing changed: the definition is the same as the current version, so no version was written.",
  default: "This workflow is now the default for new sessions.",
  deactivated: "Deactivated: new sessions can no longer use this workflow; sessions already on it keep running it.",
};

/** Editing a workflow here edits its graph and data requirements; name and description stay as they are. */
const EDITOR_KEYS = ["graph", "steps", "data_requirements"];

function rolloutText(row: WorkflowRow): string {
  if (row.previous_version === null || row.rollout_percentage >= 100) return `100% on v${row.version}`;
  return `${row.rollout_percentage}% on v${row.version}, ${100 - row.rollout_percentage}% on v${row.previous_version}`;
}

function editorText(graph: unknown, dataRequirements: unknown): string {
  return JSON.stringify({ graph, data_requirements: dataRequirements }, null, 2);
}

/** The editor's text as a definition; a JSON or shape problem is a field error on `definition`. */
function parseEditor(text: string) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AppError("validation_error", "The definition is not valid JSON.", {
      definition: `is not valid JSON: ${error instanceof SyntaxError ? error.message : "cannot be parsed"}`,
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AppError("validation_error", "The definition must be a JSON object.", {
      definition: `must be a JSON object with ${EDITOR_KEYS.join(", ")}`,
    });
  }
  return parseOrThrow(validateWorkflowSchema, parsed);
}

interface EditorState {
  text?: string;
  errors?: FieldErrors;
  /** The dry validation's verdict, when Validate was pressed. */
  valid?: { stepCount: number | null };
  /** A refusal that is not about a field (a conflict), shown at the top. */
  problem?: string;
  rollout?: string;
}

export function workflowsPages(deps: CoreDeps) {
  const app = new Hono<DashboardEnv>();

  app.get("/workflows", async (c) => {
    const { page, limit, offset } = pageFromQuery(c);
    const { items, total } = await listWorkflows(deps.db, operatorScope(c.get("operator")), { limit, offset }, {});
    return c.html(
      <DashboardPage c={c} title="Workflows" active="workflows">
        <p>
          Each change of a workflow writes a new version; sessions keep the version they started with. A workflow's page
          shows its graph and lets admins edit it.
        </p>
        <DataTable name="workflows" headings={["Name", "Version", "Checks", "Default", "Active", "Rollout", "Updated"]}>
          {items.map(({ row }) => (
            <tr data-workflow-id={row.id}>
              <td>
                <a href={`/dashboard/workflows/${row.id}`}>{row.name}</a>
              </td>
              <td>v{row.version}</td>
              <td>{stepCount((row.graph ?? DEFAULT_GRAPH) as unknown as WorkflowGraph)}</td>
              <td>{row.is_default ? "Default" : ""}</td>
              <td>{row.is_active ? "Active" : "Deactivated"}</td>
              <td>{rolloutText(row)}</td>
              <td>{formatTime(row.updated_at)}</td>
            </tr>
          ))}
        </DataTable>
        {items.length === 0 ? <p>No workflows in this environment.</p> : null}
        <Pager c={c} page={page} hasMore={offset + items.length < total} />
      </DashboardPage>,
    );
  });

  async function renderWorkflow(
    c: DashboardContext,
    id: string,
    state: EditorState = {},
    status: 200 | 409 | 422 = 200,
  ) {
    const scope = operatorScope(c.get("operator"));
    const { row } = await getWorkflow(deps.db, scope, id);
    const { page, limit, offset } = pageFromQuery(c, 20);
    const versions = await listWorkflowVersions(deps.db, scope, id, { limit, offset });

    // ?version=N shows that version's graph and loads it into the editor (to restore it, save it).
    const requested = c.req.query("version");
    let shown = {
      version: row.version,
      graph: (row.graph ?? DEFAULT_GRAPH) as unknown,
      requirements: row.data_requirements as unknown,
    };
    if (requested !== undefined && /^[1-9]\d{0,8}$/.test(requested) && Number(requested) !== row.version) {
      const { version } = await getWorkflowVersion(deps.db, scope, id, Number(requested));
      shown = { version: version.version, graph: version.graph, requirements: version.data_requirements };
    }
    const manage = canManage(c);
    const notice = noticeFor(c, NOTICES);
    const action = (path: string) => `/dashboard/workflows/${row.id}/${path}`;

    return c.html(
      <DashboardPage c={c} title={`Workflow: ${row.name}`} active="workflows">
        <p>
          <a href="/dashboard/workflows">← All workflows</a>
        </p>
        {notice ? <Notice>{notice}</Notice> : null}
        {state.problem ? <Notice kind="error">{state.problem}</Notice> : null}
        <dl class="details" data-workflow-id={row.id}>
          <dt>Current version</dt>
          <dd>v{row.version}</dd>
          <dt>Default</dt>
          <dd>{row.is_default ? "Yes: sessions created without a workflow_id use it" : "No"}</dd>
          <dt>Status</dt>
          <dd>{row.is_active ? "Active" : "Deactivated"}</dd>
          <dt>Rollout</dt>
          <dd>{rolloutText(row)}</dd>
          {row.description ? <dt>Description</dt> : null}
          {row.description ? <dd>{row.description}</dd> : null}
        </dl>
        {manage
          ? (
            <div class="actions">
              {!row.is_default && row.is_active
                ? (
                  <form method="post" action={action("set-default")}>
                    {csrfField(c)}
                    <button type="submit" data-action="set-default">Set as default</button>
                  </form>
                )
                : null}
              {row.is_active && !row.is_default
                ? (
                  <form method="post" action={action("deactivate")}>
                    {csrfField(c)}
                    <button type="submit" class="danger" data-action="deactivate">Deactivate</button>
                  </form>
                )
                : null}
            </div>
          )
          : null}

        <section aria-labelledby="diagram-title">
          <h2 id="diagram-title">Graph (version {shown.version})</h2>
          <div class="diagram-scroll">
            <WorkflowDiagram graph={shown.graph as WorkflowGraph} title={`${row.name}, version ${shown.version}`} />
          </div>
        </section>

        <section aria-labelledby="editor-title">
          <h2 id="editor-title">Definition</h2>
          <p>
            The graph and data requirements as JSON, in the format of <code>PATCH /api/v1/workflows/{"{id}"}</code>.
            {manage
              ? " Saving writes a new version; sessions already started keep theirs."
              : " Only an admin can save changes."}
          </p>
          {state.valid
            ? (
              <Notice>
                Valid: {state.valid.stepCount} check{state.valid.stepCount === 1 ? "" : "s"}.
              </Notice>
            )
            : null}
          <ErrorSummary errors={state.errors} title="The definition has problems" />
          <form method="post" action={action("validate")} class="workflow-editor">
            {csrfField(c)}
            <label for="definition">Graph and data requirements (JSON)</label>
            <textarea id="definition" name="definition" rows={28} cols={100} spellcheck={false}>
              {state.text ?? editorText(shown.graph, shown.requirements)}
            </textarea>
            <FieldError errors={state.errors} field="definition" />
            {manage
              ? (
                <p>
                  <label>
                    Roll out the new version to{" "}
                    <input
                      type="number"
                      name="rollout_percentage"
                      min={0}
                      max={100}
                      step={1}
                      value={state.rollout ?? "100"}
                    />{" "}
                    % of new sessions
                  </label>
                  <FieldError errors={state.errors} field="rollout_percentage" />
                </p>
              )
              : null}
            <div class="actions">
              <button type="submit" data-action="validate">Validate</button>
              {manage
                ? (
                  <button type="submit" formaction={action("versions")} class="primary" data-action="save-version">
                    Save as new version
                  </button>
                )
                : null}
            </div>
          </form>
        </section>

        <section aria-labelledby="versions-title">
          <h2 id="versions-title">Versions</h2>
          <DataTable name="versions" headings={["Version", "Name", "Checks", "Traffic", "Created", ""]}>
            {versions.rows.map((v) => (
              <tr data-version={v.version}>
                <td>v{v.version}{v.version === row.version ? " (current)" : ""}</td>
                <td>{v.name}</td>
                <td>{stepCount(v.graph as unknown as WorkflowGraph)}</td>
                <td>{trafficPercentage(row, v.version)}%</td>
                <td>{formatTime(v.created_at)}</td>
                <td>
                  {v.version === shown.version
                    ? "Shown"
                    : <a href={`/dashboard/workflows/${row.id}?version=${v.version}`}>View</a>}
                </td>
              </tr>
            ))}
          </DataTable>
          <Pager c={c} page={page} hasMore={offset + versions.rows.length < versions.total} />
        </section>
      </DashboardPage>,
      status,
    );
  }

  app.get("/workflows/:id", (c) => renderWorkflow(c, c.req.param("id")));

  app.post("/workflows/:id/validate", async (c) => {
    const id = c.req.param("id");
    // Looked up first, so another organisation's workflow is a 404 here too.
    await getWorkflow(deps.db, operatorScope(c.get("operator")), id);
    const form = await readForm(c);
    const text = form.text("definition");
    const rollout = form.text("rollout_percentage") || undefined;
    try {
      const result = validateDefinition(parseEditor(text));
      if (result.valid) return await renderWorkflow(c, id, { text, rollout, valid: { stepCount: result.step_count } });
      return await renderWorkflow(c, id, { text, rollout, errors: result.errors }, 422);
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      return await renderWorkflow(c, id, { text, rollout, errors }, 422);
    }
  });

  app.post("/workflows/:id/versions", async (c) => {
    requireManage(c);
    const id = c.req.param("id");
    const scope = operatorScope(c.get("operator"));
    const before = (await getWorkflow(deps.db, scope, id)).row.version;
    const form = await readForm(c);
    const text = form.text("definition");
    const rolloutRaw = form.text("rollout_percentage");
    try {
      const rollout = rolloutRaw === "" ? undefined : Number(rolloutRaw);
      if (rollout !== undefined && !(Number.isInteger(rollout) && rollout >= 0 && rollout <= 100)) {
        throw new AppError("validation_error", "Invalid rollout.", { rollout_percentage: "must be from 0 to 100" });
      }
      const definition = parseEditor(text);
      const { row } = await updateWorkflow(deps, scope, id, { ...definition, rollout_percentage: rollout });
      return c.redirect(`/dashboard/workflows/${id}?notice=${row.version > before ? "saved" : "unchanged"}`, 303);
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      return await renderWorkflow(c, id, { text, rollout: rolloutRaw, errors }, 422);
    }
  });

  /** A conflict (e.g. deactivating the default) is shown on the page, not as an error page. */
  const action = (path: string, run: typeof setDefaultWorkflow, notice: string) =>
    app.post(`/workflows/:id/${path}`, async (c) => {
      requireManage(c);
      const id = c.req.param("id");
      try {
        await run(deps, operatorScope(c.get("operator")), id);
      } catch (error) {
        if (error instanceof AppError && error.code === "conflict") {
          return await renderWorkflow(c, id, { problem: error.detail }, 409);
        }
        throw error;
      }
      return c.redirect(`/dashboard/workflows/${id}?notice=${notice}`, 303);
    });
  action("set-default", setDefaultWorkflow, "default");
  action("deactivate", deactivateWorkflow, "deactivated");

  return app;
}
