/** Owns the Sessions REST resource: create, list, get, patch, resume, expire, tags, simulate, result. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../http.ts";
import { pageParams, paginated, queryDate, queryList, readJson, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import type { Principal } from "../../core/orgs/api_keys.ts";
import { metadataObjectSchema, parseCreateSessionBody } from "../../core/sessions/create_input.ts";
import {
  changeTags,
  createSession,
  expireSession,
  getSession,
  resumeSession,
  simulate,
  updateSession,
} from "../../core/sessions/service.ts";
import { findSession, listSessionDtoRows } from "../../core/sessions/repository.ts";
import { submitSession } from "../../core/capture/api_capture.ts";
import { assessRisk } from "../../core/risk/assessment.ts";
import { loadDecision } from "../../core/sessions/results.ts";
import { toResultDto, toSessionDto } from "../../core/sessions/dto.ts";
import { captureUrl, qrCodeDataUrl } from "../../core/sessions/capture_token.ts";
import { SESSION_STATUSES } from "../../core/sessions/status.ts";
import { snakeKeys } from "../../core/casing.ts";
import { parseOrThrow, requireObject } from "../../core/validation.ts";
import { AppError } from "../../core/errors.ts";
import { caseLinksOfSessions } from "../../core/cases/repository.ts";
import {
  holdSession,
  parseHoldRequest,
  parseReleaseRequest,
  releaseSessionHold,
} from "../../core/legal_holds/holds.ts";
import { holdChangeBy } from "../legal_hold_actor.ts";

const LEGAL_HOLD_BY_PATCH =
  "is set with POST /sessions/{id}/legal-hold and released with POST /sessions/{id}/legal-hold/release (scope legal_hold:write)";
export const patchSessionSchema = z.strictObject({
  external_ref: z.string().trim().min(1).max(255).nullable().optional(),
  metadata: metadataObjectSchema.optional(),
  // Legal holds have their own endpoints and opt-in scope (issue #15): POST …/{id}/legal-hold and
  // …/legal-hold/release (legal_hold:write); a PATCH naming them is refused by name.
  legal_hold: z.never({ error: LEGAL_HOLD_BY_PATCH }).optional(),
  legal_hold_reason: z.never({ error: LEGAL_HOLD_BY_PATCH }).optional(),
});
const tagSchema = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");
export const addTagSchema = z.strictObject({ tag: tagSchema });
export const setTagsSchema = z.strictObject({ tags: z.array(tagSchema) });
export const simulateSchema = z.strictObject({ action: z.string().min(1) });

export function sessionRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();
  const sessionDto = (row: Parameters<typeof toSessionDto>[0]) =>
    toSessionDto(row, deps.keyRing, deps.publicUrl, deps.clock());
  /** Reads (and patches) also show the session's review case. */
  const withCases = async (scope: Principal, rows: Parameters<typeof toSessionDto>[0][]) => {
    const links = await caseLinksOfSessions(deps.db, scope, rows.map((row) => row.id));
    return rows.map((row) => toSessionDto(row, deps.keyRing, deps.publicUrl, deps.clock(), links.get(row.id) ?? null));
  };

  app.post("/", requireScope("sessions:create"), async (c) => {
    const input = parseCreateSessionBody(await readJson(c));
    const { session, token } = await createSession(deps, c.get("principal"), input);
    const url = captureUrl(deps.publicUrl, token.token);
    return respond(c, { ...sessionDto(session), capture_url: url, qr_code_data_url: await qrCodeDataUrl(url) }, 201);
  });

  app.get("/", requireScope("sessions:read"), async (c) => {
    const page = pageParams(c, 50);
    const { rows, total } = await listSessionDtoRows(deps.db, c.get("principal"), {
      status: queryList(c, "status", SESSION_STATUSES),
      q: c.req.query("q") || undefined,
      externalRef: c.req.query("external_ref"),
      createdAfter: queryDate(c, "created_after"),
      createdBefore: queryDate(c, "created_before"),
    }, page);
    return respond(c, paginated(await withCases(c.get("principal"), rows), total, page));
  });

  app.get("/:id", requireScope("sessions:read"), async (c) => {
    const [dto] = await withCases(c.get("principal"), [await getSession(deps, c.get("principal"), c.req.param("id"))]);
    return respond(c, dto);
  });

  app.patch("/:id", requireScope("sessions:write"), async (c) => {
    const patch = parseOrThrow(patchSessionSchema, snakeKeys(requireObject(await readJson(c))));
    const [dto] = await withCases(c.get("principal"), [
      await updateSession(deps, c.get("principal"), c.req.param("id"), patch),
    ]);
    return respond(c, dto);
  });

  app.post("/:id/resume", requireScope("sessions:write"), async (c) => {
    const { session, token } = await resumeSession(deps, c.get("principal"), c.req.param("id"));
    const url = captureUrl(deps.publicUrl, token.token);
    return respond(c, {
      id: session.id,
      status: session.status,
      capture_url: url,
      expires_at: session.token_expires_at?.toISOString() ?? null,
      qr_code_data_url: await qrCodeDataUrl(url),
    });
  });

  // Legal hold (issue #15): its own opt-in scope, never sessions:write; a release needs a reason.
  app.post("/:id/legal-hold", requireScope("legal_hold:write"), async (c) => {
    const { reason } = parseHoldRequest(await readJson(c));
    const principal = c.get("principal");
    const session = await holdSession(deps, principal, c.req.param("id"), reason ?? null, holdChangeBy(c));
    return respond(c, sessionDto(session));
  });

  app.post("/:id/legal-hold/release", requireScope("legal_hold:write"), async (c) => {
    const { reason } = parseReleaseRequest(await readJson(c));
    const principal = c.get("principal");
    const session = await releaseSessionHold(deps, principal, c.req.param("id"), reason, holdChangeBy(c));
    return respond(c, sessionDto(session));
  });

  app.post("/:id/expire", requireScope("sessions:write"), async (c) => {
    const session = await expireSession(deps, c.get("principal"), c.req.param("id"));
    return respond(c, { id: session.id, status: session.status, expired_at: session.expired_at?.toISOString() });
  });

  app.get("/:id/tags", requireScope("sessions:read"), async (c) => {
    const session = await getSession(deps, c.get("principal"), c.req.param("id"));
    return respond(c, { id: session.id, tags: session.tags });
  });

  app.post("/:id/tags", requireScope("sessions:write"), async (c) => {
    const { tag } = parseOrThrow(addTagSchema, snakeKeys(requireObject(await readJson(c))));
    const session = await changeTags(deps, c.get("principal"), c.req.param("id"), (tags) => [...tags, tag]);
    return respond(c, { id: session.id, tags: session.tags });
  });

  app.put("/:id/tags", requireScope("sessions:write"), async (c) => {
    const { tags } = parseOrThrow(setTagsSchema, snakeKeys(requireObject(await readJson(c))));
    const session = await changeTags(deps, c.get("principal"), c.req.param("id"), () => tags);
    return respond(c, { id: session.id, tags: session.tags });
  });

  app.delete("/:id/tags/:tag", requireScope("sessions:write"), async (c) => {
    const removed = c.req.param("tag");
    const session = await changeTags(
      deps,
      c.get("principal"),
      c.req.param("id"),
      (t) => t.filter((x) => x !== removed),
    );
    return respond(c, { id: session.id, tags: session.tags });
  });

  app.post("/:id/simulate", requireScope("sessions:write"), async (c) => {
    if (c.get("principal").environment !== "sandbox") {
      throw new AppError("sandbox_only", "Simulation is only available with sandbox keys.");
    }
    const { action } = parseOrThrow(simulateSchema, snakeKeys(requireObject(await readJson(c))));
    const session = await simulate(deps, c.get("principal"), c.req.param("id"), action);
    return respond(c, { id: session.id, action, status: session.status, simulated: true });
  });

  app.post("/:id/submit", requireScope("sessions:write"), async (c) => {
    const session = await submitSession(deps, c.get("principal"), c.req.param("id"));
    return respond(c, { id: session.id, status: session.status }, 202);
  });

  app.get("/:id/risk", requireScope("verifications:read"), async (c) => {
    const scope = c.get("principal");
    return respond(c, await assessRisk(deps, scope, await findSession(deps.db, scope, c.req.param("id"))));
  });

  app.get("/:id/result", requireScope("verifications:read"), async (c) => {
    const { session, result, settings } = await loadDecision(deps, c.get("principal"), c.req.param("id"));
    return respond(c, toResultDto(session, result, deps.keyRing, settings, deps.clock()));
  });

  return app;
}
