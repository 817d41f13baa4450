/**
 * Owns the dashboard's Lists pages: the custom lists (type, match mode, item count), creating one
 * (admins), a list's page with its items (values decrypted as the API shows them), adding an item
 * (fields per type for the common types, a JSON value for the others), deleting one, and archiving
 * the list — refused while an active workflow uses it, with core's message. Items are day-to-day
 * work (admins and reviewers, like the block-list option of a rejection); the lists themselves are
 * admin-only. Everything goes through core/lists with the operator's scope, so another
 * organisation's list is a 404.
 */
import { Hono } from "hono";
import type { CoreDeps } from "../../../core/deps.ts";
import type { ListType } from "../../../core/db/database.ts";
import { parseOrThrow } from "../../../core/validation.ts";
import { validationError } from "../../../core/errors.ts";
import { LIST_TYPES, MATCH_MODES } from "../../../core/lists/item_values.ts";
import {
  archiveList,
  createList,
  createListSchema,
  findList,
  listLists,
  toListDto,
  workflowsUsingList,
} from "../../../core/lists/lists.ts";
import { addItem, deleteItem, listItems, toItemDto } from "../../../core/lists/items.ts";
import { type DashboardContext, type DashboardEnv, operatorScope } from "../env.ts";
import { csrfField, DashboardPage } from "../layout.tsx";
import {
  canManage,
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
  requireManage,
} from "./forms.tsx";
import { label } from "./verifications/list_view.tsx";
import { attempt, canReview, type Refusal, requireReview } from "./actions.ts";

const NOTICES: Record<string, string> = {
  created: "The list was created. Add items below.",
  item_added: "The item was added.",
  item_deleted: "The item was deleted.",
  archived: "The list is archived: it no longer matches and cannot change.",
};

type ListDto = ReturnType<typeof toListDto>;
type ItemDto = ReturnType<typeof toItemDto>;

/** One input of an item form: `key` is the value's field; checkboxes send booleans. */
interface ValueField {
  key: string;
  label: string;
  required?: boolean;
  checkbox?: boolean;
  placeholder?: string;
}

/** Forms for the common types; the others (IP, geolocation, fingerprints, face) take a JSON value. */
const VALUE_FIELDS: Partial<Record<ListType, ValueField[]>> = {
  name: [
    { key: "first_name", label: "First name", required: true },
    { key: "last_name", label: "Last name", required: true },
    { key: "date_of_birth", label: "Date of birth (optional)", placeholder: "YYYY-MM-DD" },
  ],
  email: [
    { key: "email", label: "Email (or domain)", required: true },
    { key: "match_domain_only", label: "Match the whole domain", checkbox: true },
  ],
  phone: [{ key: "phone", label: "Phone", required: true, placeholder: "+1 555 010 0000" }],
  government_id: [
    { key: "id_number", label: "ID number", required: true },
    { key: "id_class", label: "ID class (optional)", placeholder: "passport, drivers_license, …" },
  ],
  country: [{ key: "country_code", label: "Country code", required: true, placeholder: "US" }],
  string: [{ key: "value", label: "Value", required: true }],
};

const JSON_EXAMPLES: Partial<Record<ListType, string>> = {
  ip_address: '{"ip": "203.0.113.7"}',
  geolocation: '{"latitude": 52.37, "longitude": 4.89, "radius_meters": 5000}',
  browser_fingerprint: '{"fingerprint_hash": "…"}',
  device_fingerprint: '{"fingerprint_hash": "…"}',
  face: '{"embedding": [0.01, …]}',
};

/** What a posted item form sends, kept to show the form again when it is refused. */
type ItemValues = Record<string, string | boolean>;

/** The `{value, notes}` body the API's add-item takes, built from the form for the list's type. */
function itemBody(type: ListType, form: PostedForm): { value: unknown; notes?: string } {
  const notes = form.text("notes") || undefined;
  const fields = VALUE_FIELDS[type];
  if (!fields) {
    const raw = form.text("value_json");
    try {
      return { value: JSON.parse(raw), notes };
    } catch {
      throw validationError({ value: "must be a JSON object (see the example)" });
    }
  }
  const value: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.checkbox) {
      if (form.has(field.key)) value[field.key] = true;
    } else if (form.text(field.key) !== "") {
      value[field.key] = form.text(field.key);
    }
  }
  return { value, notes };
}

function itemValues(type: ListType, form: PostedForm): ItemValues {
  const values: ItemValues = { notes: form.text("notes"), value_json: form.text("value_json") };
  for (const field of VALUE_FIELDS[type] ?? []) {
    values[field.key] = field.checkbox ? form.has(field.key) : form.text(field.key);
  }
  return values;
}

/** An item's value as one line of text, per type. */
function itemText(type: string, value: Record<string, unknown>): string {
  const v = (key: string) => (value[key] === undefined || value[key] === null ? "" : String(value[key]));
  switch (type) {
    case "name":
      return `${v("first_name")} ${v("last_name")}${value.date_of_birth ? ` (born ${v("date_of_birth")})` : ""}`;
    case "email":
      return value.match_domain_only ? `${v("email")} (whole domain)` : v("email");
    case "phone":
      return v("phone");
    case "government_id":
      return value.id_class ? `${v("id_number")} (${v("id_class")})` : v("id_number");
    case "country":
      return v("country_code");
    case "string":
      return v("value");
    case "ip_address":
      return v("ip");
    case "geolocation":
      return `${v("latitude")}, ${v("longitude")} ± ${v("radius_meters")} m`;
    case "browser_fingerprint":
    case "device_fingerprint":
      return v("fingerprint_hash");
    case "face":
      return `Face template (${Array.isArray(value.embedding) ? value.embedding.length : 0} values)`;
    default:
      return JSON.stringify(value);
  }
}

function ListsTable({ lists }: { lists: ListDto[] }) {
  if (lists.length === 0) return <p data-empty>No lists yet.</p>;
  return (
    <DataTable name="lists" headings={["Name", "Type", "Match mode", "Items", "State", "Created"]}>
      {lists.map((list) => (
        <tr data-list-id={list.id}>
          <td>
            <a href={`/dashboard/lists/${list.id}`}>{list.name}</a>
          </td>
          <td>{label(list.list_type)}</td>
          <td>
            <span class={`badge match-${list.match_mode}`}>{list.match_mode}</span>
          </td>
          <td data-item-count>{list.item_count}</td>
          <td>{list.archived_at ? "archived" : list.is_active ? "active" : "inactive"}</td>
          <td>{formatTime(new Date(list.created_at))}</td>
        </tr>
      ))}
    </DataTable>
  );
}

interface NewListValues {
  name: string;
  list_type: string;
  match_mode: string;
  description: string;
}

function NewListForm({ c, values, errors }: { c: DashboardContext; values: NewListValues; errors?: FieldErrors }) {
  return (
    <section aria-labelledby="new-list-title" data-section="new-list">
      <h2 id="new-list-title">New list</h2>
      <ErrorSummary errors={errors} />
      <form method="post" action="/dashboard/lists" data-form="new-list">
        {csrfField(c)}
        <label>
          Name
          <input type="text" name="name" maxlength={200} required value={values.name} />
        </label>
        <FieldError errors={errors} field="name" />
        <label>
          Type
          <select name="list_type">
            {LIST_TYPES.map((t) => <option key={t} value={t} selected={values.list_type === t}>{label(t)}</option>)}
          </select>
        </label>
        <FieldError errors={errors} field="list_type" />
        <label>
          Match mode
          <select name="match_mode">
            {MATCH_MODES.map((m) => (
              <option key={m} value={m} selected={(values.match_mode || "flag") === m}>{m}</option>
            ))}
          </select>
        </label>
        <FieldError errors={errors} field="match_mode" />
        <label>
          Description (optional)
          <textarea name="description" rows={2} maxlength={2000}>{values.description}</textarea>
        </label>
        <FieldError errors={errors} field="description" />
        <button type="submit" data-action="create-list">Create list</button>
      </form>
    </section>
  );
}

function ItemsTable({ c, list, items }: { c: DashboardContext; list: ListDto; items: ItemDto[] }) {
  if (items.length === 0) return <p data-empty>No items yet.</p>;
  const canDelete = canReview(c) && !list.archived_at;
  return (
    <DataTable name="items" headings={["Value", "Notes", "Added by", "Added", ...(canDelete ? [""] : [])]}>
      {items.map((item) => (
        <tr data-item-id={item.id}>
          <td data-item-value>{itemText(item.list_type, item.value as Record<string, unknown>)}</td>
          <td>{item.notes ?? "—"}</td>
          <td>{item.created_by}</td>
          <td>{formatTime(new Date(item.created_at))}</td>
          {canDelete
            ? (
              <td>
                <form method="post" action={`/dashboard/lists/${list.id}/items/${item.id}/delete`}>
                  {csrfField(c)}
                  <button type="submit" class="danger" data-action="delete-item">Delete</button>
                </form>
              </td>
            )
            : null}
        </tr>
      ))}
    </DataTable>
  );
}

function AddItemForm({ c, list, values, errors }: {
  c: DashboardContext;
  list: ListDto;
  values: ItemValues;
  errors?: FieldErrors;
}) {
  const fields = VALUE_FIELDS[list.list_type];
  const text = (key: string) => (typeof values[key] === "string" ? values[key] as string : "");
  return (
    <section aria-labelledby="add-item-title" data-section="add-item">
      <h2 id="add-item-title">Add an item</h2>
      <ErrorSummary errors={errors} />
      <form method="post" action={`/dashboard/lists/${list.id}/items`} data-form="add-item">
        {csrfField(c)}
        {fields
          ? fields.map((field) =>
            field.checkbox
              ? (
                <label class="checkbox">
                  <input type="checkbox" name={field.key} value="1" checked={values[field.key] === true} />
                  {field.label}
                </label>
              )
              : (
                <>
                  <label>
                    {field.label}
                    <input
                      type="text"
                      name={field.key}
                      required={field.required}
                      placeholder={field.placeholder}
                      value={text(field.key)}
                    />
                  </label>
                  <FieldError errors={errors} field={`value.${field.key}`} />
                </>
              )
          )
          : (
            <>
              <label>
                Value (JSON)
                <textarea name="value_json" rows={4} required placeholder={JSON_EXAMPLES[list.list_type]}>
                  {text("value_json")}
                </textarea>
              </label>
              <FieldError errors={errors} field="value" prefix />
            </>
          )}
        <label>
          Notes (optional)
          <input type="text" name="notes" maxlength={2000} value={text("notes")} />
        </label>
        <FieldError errors={errors} field="notes" />
        <button type="submit" data-action="add-item">Add item</button>
      </form>
    </section>
  );
}

interface ListPageState extends Refusal {
  item?: ItemValues;
}

export function listsPages(deps: CoreDeps) {
  const app = new Hono<DashboardEnv>();
  const scopeOf = (c: DashboardContext) => operatorScope(c.get("operator"));

  async function renderLists(
    c: DashboardContext,
    values?: NewListValues,
    errors?: FieldErrors,
    status: 200 | 409 | 422 = 200,
  ) {
    const archived = c.req.query("archived") === "1";
    const { page, limit, offset } = pageFromQuery(c);
    const { rows, total } = await listLists(deps.db, scopeOf(c), { include_archived: archived }, { limit, offset });
    return c.html(
      <DashboardPage c={c} title="Lists" active="lists">
        <p>
          {archived
            ? <a href="/dashboard/lists">Hide archived lists</a>
            : <a href="/dashboard/lists?archived=1">Show archived lists</a>}
        </p>
        <ListsTable lists={rows.map((row) => toListDto(row))} />
        <Pager c={c} page={page} hasMore={offset + rows.length < total} />
        {canManage(c)
          ? (
            <NewListForm
              c={c}
              values={values ?? { name: "", list_type: "name", match_mode: "flag", description: "" }}
              errors={errors}
            />
          )
          : null}
      </DashboardPage>,
      status,
    );
  }

  app.get("/lists", (c) => renderLists(c));

  app.post("/lists", async (c) => {
    requireManage(c);
    const form = await readForm(c);
    const values: NewListValues = {
      name: form.text("name"),
      list_type: form.text("list_type"),
      match_mode: form.text("match_mode"),
      description: form.text("description"),
    };
    let created = "";
    const refused = await attempt(async () => {
      const input = parseOrThrow(createListSchema, {
        name: values.name,
        list_type: values.list_type,
        match_mode: values.match_mode || undefined,
        description: values.description || undefined,
      });
      created = (await createList(deps, scopeOf(c), input)).id;
    }, ({ errors }, status) => renderLists(c, values, errors, status));
    return refused ?? c.redirect(`/dashboard/lists/${created}?notice=created`, 303);
  });

  async function renderList(c: DashboardContext, id: string, state: ListPageState = {}, status: 200 | 409 | 422 = 200) {
    const scope = scopeOf(c);
    const row = await findList(deps.db, scope, id);
    const { page, limit, offset } = pageFromQuery(c);
    const [workflows, items] = await Promise.all([
      workflowsUsingList(deps.db, scope, row.id),
      listItems(deps.db, scope, row.id, { limit, offset }),
    ]);
    const list = toListDto(row, workflows);
    const notice = noticeFor(c, NOTICES);
    const writable = !list.archived_at;
    return c.html(
      <DashboardPage c={c} title={`List ${list.name}`} active="lists">
        <p>
          <a href="/dashboard/lists">← All lists</a>
        </p>
        {notice ? <Notice>{notice}</Notice> : null}
        {state.problem ? <Notice kind="error">{state.problem}</Notice> : null}
        <section aria-labelledby="list-title" data-section="list">
          <h2 id="list-title">List</h2>
          <dl class="details">
            <dt>List ID</dt>
            <dd>
              <code>{list.id}</code>
            </dd>
            <dt>Type</dt>
            <dd>{label(list.list_type)}</dd>
            <dt>Match mode</dt>
            <dd>{list.match_mode}</dd>
            <dt>Items</dt>
            <dd data-item-count>{list.item_count}</dd>
            <dt>State</dt>
            <dd data-list-state>{list.archived_at ? "archived" : list.is_active ? "active" : "inactive"}</dd>
            <dt>Description</dt>
            <dd>{list.description ?? "—"}</dd>
            <dt>Used by workflows</dt>
            <dd>
              {workflows.length
                ? workflows.map((w) => (
                  <a href={`/dashboard/workflows/${w.id}`} data-workflow-id={w.id}>{w.name} (v{w.version})</a>
                ))
                : "—"}
            </dd>
          </dl>
          {canManage(c) && writable
            ? (
              <form method="post" action={`/dashboard/lists/${list.id}/archive`}>
                {csrfField(c)}
                <button type="submit" class="danger" data-action="archive-list">Archive list</button>
              </form>
            )
            : null}
        </section>
        <section aria-labelledby="items-title" data-section="items">
          <h2 id="items-title">Items</h2>
          <ItemsTable c={c} list={list} items={items.rows.map((r) => toItemDto(deps, r))} />
          <Pager c={c} page={page} hasMore={offset + items.rows.length < items.total} />
        </section>
        {canReview(c) && writable
          ? <AddItemForm c={c} list={list} values={state.item ?? {}} errors={state.errors} />
          : null}
      </DashboardPage>,
      status,
    );
  }

  app.get("/lists/:id", (c) => renderList(c, c.req.param("id")));

  app.post("/lists/:id/items", async (c) => {
    requireReview(c);
    const form = await readForm(c);
    const scope = scopeOf(c);
    const list = await findList(deps.db, scope, c.req.param("id"));
    const item = itemValues(list.list_type, form);
    const refused = await attempt(
      () => addItem(deps, scope, list.id, itemBody(list.list_type, form), c.get("operator").userId),
      (refusal, status) => renderList(c, list.id, { ...refusal, item }, status),
    );
    return refused ?? c.redirect(`/dashboard/lists/${list.id}?notice=item_added`, 303);
  });

  /** A change to the list; a refusal (archived, in use by a workflow) shows core's message on the page. */
  function action(path: string, run: (c: DashboardContext, id: string) => Promise<unknown>, notice: string) {
    app.post(`/lists/:id/${path}`, async (c) => {
      const id = c.req.param("id");
      const refused = await attempt(() => run(c, id), (refusal, status) => renderList(c, id, refusal, status));
      return refused ?? c.redirect(`/dashboard/lists/${id}?notice=${notice}`, 303);
    });
  }

  action("items/:itemId/delete", (c, id) => {
    requireReview(c);
    return deleteItem(deps, scopeOf(c), id, c.req.param("itemId")!);
  }, "item_deleted");
  action("archive", (c, id) => {
    requireManage(c);
    return archiveList(deps, scopeOf(c), id);
  }, "archived");

  return app;
}
