/**
 * Owns the session privacy endpoints (issue #9): erasure of one session (`DELETE …/{id}/data`) and
 * of up to 100 (`POST …/bulk-redact`), and the data-subject export (`GET …/{id}/export`).
 * Erasure is irreversible and takes the opt-in `redact:write` scope, as identity erasure does.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../http.ts";
import { readJson, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import type { AuditActor } from "../../core/audit/log.ts";
import { snakeKeys } from "../../core/casing.ts";
import { parseOrThrow, requireObject } from "../../core/validation.ts";
import { findSession } from "../../core/sessions/repository.ts";
import {
  legalHoldError,
  legalHoldOf,
  MAX_BULK_REDACT,
  redactSession,
  redactSessions,
} from "../../core/privacy/redaction.ts";
import { exportSession } from "../../core/privacy/export.ts";

export const bulkRedactSchema = z.strictObject({
  session_ids: z.array(z.string().trim().min(1).max(100))
    .min(1, "must list at least one session")
    .max(MAX_BULK_REDACT, `must list at most ${MAX_BULK_REDACT} sessions`),
});

function actorOf(c: AppContext): AuditActor {
  return { type: "api_key", id: c.get("principal").keyId };
}

export function privacyRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();

  app.post("/bulk-redact", requireScope("redact:write"), async (c) => {
    const { session_ids } = parseOrThrow(bulkRedactSchema, snakeKeys(requireObject(await readJson(c))));
    const results = await redactSessions(deps, c.get("principal"), session_ids, actorOf(c));
    return respond(c, { total: results.length, results });
  });

  app.delete("/:id/data", requireScope("redact:write"), async (c) => {
    const scope = c.get("principal");
    const receipt = await redactSession(deps, scope, c.req.param("id"), actorOf(c), "api");
    if (receipt.status === "legal_hold") {
      const session = await findSession(deps.db, scope, receipt.session_id);
      throw legalHoldError(session.id, (await legalHoldOf(deps.db, session)) ?? "session");
    }
    if (receipt.status === "already_redacted") {
      return respond(c, {
        status: "already_redacted",
        session_id: receipt.session_id,
        documents_removed: 0,
        message: "Session data was already redacted.",
      });
    }
    return respond(c, {
      status: "deleted",
      session_id: receipt.session_id,
      documents_removed: receipt.documents_removed,
      // What the erasure keeps on purpose (block-list items, audit rows), as its audit receipt lists it.
      retained: receipt.retained,
      message: "Session data permanently redacted.",
    });
  });

  // The audit row (`api.session.export`) is written by api/middleware/audit.ts, which records the
  // DSAR export reads and refuses the export if it cannot: not appended here, so it is never twice.
  app.get("/:id/export", requireScope("sessions:read"), async (c) => {
    return respond(c, await exportSession(deps, c.get("principal"), c.req.param("id")));
  });

  return app;
}
