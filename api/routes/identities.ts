/**
 * Owns the Identities REST resource: create stub, list (offset or cursor pages), get, patch,
 * erase, export, search, merge and its preview, sessions, audit log, archive and restore, flag
 * and unflag, tags. `{id}` is an `idn_…` id or the customer's external_ref.
 */
import { Hono } from "hono";
import type { AppContext, AppEnv } from "../http.ts";
import { pageParams, paginated, queryList, readJson, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import type { IdentityRow } from "../../core/db/database.ts";
import { AppError } from "../../core/errors.ts";
import { snakeKeys } from "../../core/casing.ts";
import { parseOrThrow, requireObject } from "../../core/validation.ts";
import { toSessionDto } from "../../core/sessions/dto.ts";
import { IDENTITY_STATUSES } from "../../core/identities/status.ts";
import {
  createIdentitySchema,
  flagSchema,
  mergeSchema,
  patchIdentitySchema,
  searchSchema,
  tagsSchema,
} from "../../core/identities/input.ts";
import {
  findIdentity,
  type IdentityPage,
  listIdentityEvents,
  listIdentityRows,
  listIdentitySessions,
} from "../../core/identities/repository.ts";
import {
  archiveIdentity,
  changeIdentityTags,
  createIdentityStub,
  flagIdentity,
  presentIdentities,
  presentIdentity,
  redactIdentity,
  restoreIdentity,
  type TagOperation,
  unflagIdentity,
  updateIdentity,
} from "../../core/identities/service.ts";
import { searchIdentities } from "../../core/identities/search.ts";
import { mergeIdentities, previewMerge } from "../../core/identities/merge.ts";
import { exportIdentity } from "../../core/identities/export.ts";
import {
  holdIdentity,
  parseHoldRequest,
  parseReleaseRequest,
  releaseIdentityHold,
} from "../../core/legal_holds/holds.ts";
import { holdChangeBy } from "../legal_hold_actor.ts";

const DEFAULT_PAGE_SIZE = 25;

async function body(c: AppContext): Promise<Record<string, unknown>> {
  return snakeKeys(requireObject(await readJson(c)));
}

function pageSize(c: AppContext): number {
  const raw = c.req.query("page[size]") ?? c.req.query("limit");
  if (raw === undefined || raw === "") return DEFAULT_PAGE_SIZE;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 100) {
    throw new AppError("invalid_parameter", "page[size] must be an integer from 1 to 100.");
  }
  return Number(raw);
}

/** Cursor pages when any `page[…]` parameter is present (Persona's style), offset pages otherwise. */
function identityPage(c: AppContext): IdentityPage {
  const after = c.req.query("page[after]") || undefined;
  const before = c.req.query("page[before]") || undefined;
  if (after && before) throw new AppError("invalid_parameter", "Send page[after] or page[before], not both.");
  if (!after && !before && c.req.query("page[size]") === undefined) {
    return { kind: "offset", ...pageParams(c, DEFAULT_PAGE_SIZE) };
  }
  if (c.req.query("offset") !== undefined) {
    throw new AppError("invalid_parameter", "offset cannot be combined with cursor (page[…]) parameters.");
  }
  return { kind: "cursor", limit: pageSize(c), after, before };
}

/** The same request with the cursor moved: filters and page size carry over. */
function cursorLink(c: AppContext, name: "page[after]" | "page[before]", id: string): string {
  const url = new URL(c.req.url);
  url.searchParams.delete("page[after]");
  url.searchParams.delete("page[before]");
  url.searchParams.set(name, id);
  return `${url.pathname}?${url.searchParams.toString()}`;
}

function includeArchived(c: AppContext): boolean {
  const raw = c.req.query("include_archived");
  if (raw === undefined || raw === "" || raw === "false" || raw === "0") return false;
  if (raw === "true" || raw === "1") return true;
  throw new AppError("invalid_parameter", "include_archived must be true or false.");
}

export function identityRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();
  const read = requireScope("identities:read");
  const write = requireScope("identities:write");
  const present = (c: AppContext, row: IdentityRow) => presentIdentity(deps, c.get("principal"), row);

  app.post("/", write, async (c) => {
    const input = parseOrThrow(createIdentitySchema, await body(c));
    const { identity, created } = await createIdentityStub(deps, c.get("principal"), input);
    return respond(c, { ...await present(c, identity), upserted: !created }, created ? 201 : 200);
  });

  app.get("/", read, async (c) => {
    const scope = c.get("principal");
    const page = identityPage(c);
    const { rows, total, hasMore } = await listIdentityRows(deps.db, scope, {
      status: queryList(c, "status", IDENTITY_STATUSES),
      q: c.req.query("q") || undefined,
      includeArchived: includeArchived(c),
    }, page);
    const data = await presentIdentities(deps, deps.db, scope, rows);
    if (page.kind === "offset") return respond(c, paginated(data, total, page));
    // Walking forward, a previous page exists once a cursor was given; walking back, so does a next one.
    const hasNext = page.before ? true : hasMore;
    const hasPrev = page.before ? hasMore : page.after !== undefined;
    return respond(c, {
      data,
      pagination: { total, limit: page.limit },
      links: {
        next: hasNext && rows.length ? cursorLink(c, "page[after]", rows.at(-1)!.id) : null,
        prev: hasPrev && rows.length ? cursorLink(c, "page[before]", rows[0].id) : null,
      },
    });
  });

  app.post("/search", read, async (c) => {
    const criteria = parseOrThrow(searchSchema, await body(c));
    const scope = c.get("principal");
    const rows = await searchIdentities(deps, scope, criteria);
    return respond(c, { data: await presentIdentities(deps, deps.db, scope, rows) });
  });

  app.post("/merge/preview", read, async (c) => {
    const scope = c.get("principal");
    const preview = await previewMerge(deps, scope, parseOrThrow(mergeSchema, await body(c)));
    const [primary, ...secondaries] = await presentIdentities(deps, deps.db, scope, [
      preview.primary,
      ...preview.secondaries,
    ]);
    return respond(c, { primary, secondaries, result: preview.result, conflicting_fields: preview.conflicting_fields });
  });

  app.post("/merge", write, async (c) => {
    const input = parseOrThrow(mergeSchema, await body(c));
    const scope = c.get("principal");
    const merged = await mergeIdentities(deps, scope, input);
    const [primary, ...secondaries] = await presentIdentities(deps, deps.db, scope, [
      merged.primary,
      ...merged.secondaries,
    ]);
    if (input.secondary_identity_id !== undefined) return respond(c, { primary, secondary: secondaries[0] });
    return respond(c, { primary, merged_count: secondaries.length, merged_ids: secondaries.map((s) => s.id) });
  });

  app.get("/:id", read, async (c) => {
    return respond(c, await present(c, await findIdentity(deps.db, c.get("principal"), c.req.param("id"))));
  });

  app.patch("/:id", write, async (c) => {
    const patch = parseOrThrow(patchIdentitySchema, await body(c));
    return respond(c, await present(c, await updateIdentity(deps, c.get("principal"), c.req.param("id"), patch)));
  });

  // Erasure is destructive and irreversible: it takes the opt-in redact scope, not identities:write.
  app.delete("/:id", requireScope("redact:write"), async (c) => {
    const principal = c.get("principal");
    const { identity, alreadyRedacted, sessionsRedacted, retained } = await redactIdentity(
      deps,
      principal,
      c.req.param("id"),
      { type: "api_key", id: principal.keyId },
    );
    return respond(c, {
      id: identity.id,
      status: identity.status,
      redacted_at: identity.redacted_at?.toISOString() ?? null,
      already_redacted: alreadyRedacted,
      sessions_redacted: sessionsRedacted,
      // What the erasure keeps on purpose (block-list items, audit rows naming the external_ref).
      retained,
    });
  });

  app.get("/:id/export", read, async (c) => {
    return respond(c, await exportIdentity(deps, c.get("principal"), c.req.param("id")));
  });

  app.get("/:id/sessions", read, async (c) => {
    const scope = c.get("principal");
    const identity = await findIdentity(deps.db, scope, c.req.param("id"));
    const page = pageParams(c, 50);
    const { rows, total } = await listIdentitySessions(deps.db, scope, identity.id, page);
    const now = deps.clock();
    return respond(c, paginated(rows.map((row) => toSessionDto(row, deps.keyRing, deps.publicUrl, now)), total, page));
  });

  app.get("/:id/audit-log", read, async (c) => {
    const scope = c.get("principal");
    const identity = await findIdentity(deps.db, scope, c.req.param("id"));
    const page = pageParams(c, 50);
    const { rows, total } = await listIdentityEvents(deps.db, scope, identity.id, page);
    const data = rows.map((row) => ({
      id: row.id,
      type: row.type,
      identity_id: row.identity_id,
      session_id: row.session_id,
      payload: row.payload,
      created_at: row.created_at.toISOString(),
    }));
    return respond(c, paginated(data, total, page));
  });

  app.post("/:id/archive", write, async (c) => {
    const identity = await archiveIdentity(deps, c.get("principal"), c.req.param("id"));
    return respond(c, { id: identity.id, status: identity.status, archived_at: identity.archived_at?.toISOString() });
  });

  app.post("/:id/restore", write, async (c) => {
    return respond(c, await present(c, await restoreIdentity(deps, c.get("principal"), c.req.param("id"))));
  });

  app.post("/:id/flag", write, async (c) => {
    const { reason } = parseOrThrow(flagSchema, await body(c));
    return respond(c, await present(c, await flagIdentity(deps, c.get("principal"), c.req.param("id"), reason)));
  });

  app.post("/:id/unflag", write, async (c) => {
    return respond(c, await present(c, await unflagIdentity(deps, c.get("principal"), c.req.param("id"))));
  });

  // Legal hold (issue #15): its own opt-in scope, never identities:write; a release needs a reason.
  app.post("/:id/legal-hold", requireScope("legal_hold:write"), async (c) => {
    const { reason } = parseHoldRequest(await body(c));
    return respond(
      c,
      await present(
        c,
        await holdIdentity(deps, c.get("principal"), c.req.param("id"), reason ?? null, holdChangeBy(c)),
      ),
    );
  });

  app.post("/:id/legal-hold/release", requireScope("legal_hold:write"), async (c) => {
    const { reason } = parseReleaseRequest(await body(c));
    return respond(
      c,
      await present(c, await releaseIdentityHold(deps, c.get("principal"), c.req.param("id"), reason, holdChangeBy(c))),
    );
  });

  for (const operation of ["add", "remove", "set"] as const satisfies readonly TagOperation[]) {
    app.post(`/:id/tags/${operation}`, write, async (c) => {
      const tags = parseOrThrow(tagsSchema, await body(c));
      const identity = await changeIdentityTags(deps, c.get("principal"), c.req.param("id"), operation, tags);
      return respond(c, { id: identity.id, tags: identity.tags });
    });
  }

  return app;
}
