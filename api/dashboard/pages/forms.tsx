/**
 * Owns the pieces the workflows, developers, settings and events pages share: reading a posted
 * form, the admin-only guard on changes, field errors next to inputs and as a summary, notices
 * chosen from fixed texts (never text from the URL), paging links and timestamps.
 */
import type { Child } from "hono/jsx";
import { AppError } from "../../../core/errors.ts";
import { type DashboardContext, roleAllows } from "../env.ts";

export type FieldErrors = Record<string, string>;

/** A posted form: each field's values (checkbox groups repeat a name); files are ignored. */
export class PostedForm {
  constructor(private readonly fields: Record<string, string[]>) {}

  /** The first value, trimmed; "" when absent. */
  text(name: string): string {
    return (this.fields[name]?.[0] ?? "").trim();
  }

  all(name: string): string[] {
    return this.fields[name] ?? [];
  }

  has(name: string): boolean {
    return (this.fields[name]?.length ?? 0) > 0;
  }
}

export async function readForm(c: DashboardContext): Promise<PostedForm> {
  const body = await c.req.parseBody({ all: true });
  const fields: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(body)) {
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
    if (name !== "csrf_token") fields[name] = values;
  }
  return new PostedForm(fields);
}

/** Changes are for admins: anyone else gets 403, whatever the page showed them. */
export function requireManage(c: DashboardContext): void {
  if (!roleAllows(c.get("operator").role, "manage")) {
    throw new AppError("forbidden", "Only an admin can change this.");
  }
}

export function canManage(c: DashboardContext): boolean {
  return roleAllows(c.get("operator").role, "manage");
}

/** The validation errors of an AppError, or null for any other failure (which the caller rethrows). */
export function fieldErrorsOf(error: unknown): FieldErrors | null {
  if (error instanceof AppError && error.code === "validation_error") return error.fields ?? { "": error.detail };
  return null;
}

/** The message for one field, shown under its input; `prefix` also matches nested paths (`graph.nodes.x`). */
export function FieldError({ errors, field, prefix }: { errors?: FieldErrors; field: string; prefix?: boolean }) {
  if (!errors) return null;
  const matches = Object.entries(errors).filter(([key]) =>
    key === field || (prefix && (key.startsWith(`${field}.`) || key.startsWith(`${field}[`)))
  );
  if (matches.length === 0) return null;
  return (
    <ul class="field-errors" data-field-errors={field}>
      {matches.map(([key, message]) => (
        <li key={key} data-field={key}>{key === field ? message : `${key}: ${message}`}</li>
      ))}
    </ul>
  );
}

export function ErrorSummary({ errors, title = "Please correct the following" }: {
  errors?: FieldErrors;
  title?: string;
}) {
  if (!errors || Object.keys(errors).length === 0) return null;
  return (
    <div class="notice error" role="alert" data-errors>
      <p>{title}:</p>
      <ul>
        {Object.entries(errors).map(([field, message]) => (
          <li data-field={field}>
            {field ? <code>{field}</code> : null} {message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Notice({ kind = "success", children }: { kind?: "success" | "error" | "info"; children?: Child }) {
  return <div class={`notice ${kind}`} role={kind === "error" ? "alert" : "status"}>{children}</div>;
}

/** The notice a redirect asked for by code; unknown codes show nothing. */
export function noticeFor(c: DashboardContext, texts: Record<string, string>): string | null {
  const code = c.req.query("notice");
  return code && Object.hasOwn(texts, code) ? texts[code] : null;
}

export function formatTime(date: Date | null | undefined): string {
  return date ? `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` : "—";
}

export const PAGE_SIZE = 25;

/** `?page=N` (1-based), bounded. */
export function pageFromQuery(c: DashboardContext, size = PAGE_SIZE): { page: number; limit: number; offset: number } {
  const raw = Number(c.req.query("page") ?? "1");
  const page = Number.isInteger(raw) && raw >= 1 && raw <= 100_000 ? raw : 1;
  return { page, limit: size, offset: (page - 1) * size };
}

/** Newer/older links that keep the page's other query parameters. */
export function Pager({ c, page, hasMore }: { c: DashboardContext; page: number; hasMore: boolean }) {
  if (page <= 1 && !hasMore) return null;
  const link = (to: number) => {
    const url = new URL(c.req.url);
    url.searchParams.delete("notice");
    url.searchParams.set("page", String(to));
    return `${url.pathname}?${url.searchParams}`;
  };
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? <a href={link(page - 1)} rel="prev">← Previous</a> : null}
      <span>Page {page}</span>
      {hasMore ? <a href={link(page + 1)} rel="next">Next →</a> : null}
    </nav>
  );
}

/** A list page's table: `name` becomes `data-table`, the headings a header row, the children the body rows. */
export function DataTable({ name, headings, children }: { name: string; headings: string[]; children?: Child }) {
  return (
    <table class="data-table" data-table={name}>
      <thead>
        <tr>
          {headings.map((heading) => <th key={heading}>{heading}</th>)}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
