/**
 * Owns the workflows REST resource (list, create, get, patch, versions, set-default, deactivate,
 * templates, dry validation) and the verification-policy catalogue. Reads need workflows:read,
 * changes workflows:write (which implies read).
 */
import { Hono } from "hono";
import type { AppContext, AppEnv } from "../http.ts";
import { pageParams, paginated, readJson, respond } from "../http.ts";
import { requireScope } from "../middleware/authenticate.ts";
import type { CoreDeps } from "../../core/deps.ts";
import { AppError } from "../../core/errors.ts";
import { snakeKeys, snakeKeysDeep } from "../../core/casing.ts";
import { parseOrThrow, requireObject } from "../../core/validation.ts";
import {
  createWorkflow,
  createWorkflowSchema,
  deactivateWorkflow,
  getWorkflow,
  getWorkflowVersion,
  listWorkflows,
  listWorkflowVersions,
  setDefaultWorkflow,
  updateWorkflow,
  updateWorkflowSchema,
  validateDefinition,
  validateWorkflowSchema,
  type WorkflowWithHead,
} from "../../core/workflows/service.ts";
import { toPolicyDto, toTemplateDto, toVersionDto, toWorkflowDto } from "../../core/workflows/dto.ts";
import { INDUSTRIES, TEMPLATES } from "../../core/workflows/templates.ts";
import { POLICIES } from "../../core/workflows/policies.ts";

/**
 * Top-level keys in any casing become snake_case, and so do data_requirements' keys. graph and
 * steps are documents in their own snake_case format whose node ids are the customer's: as sent.
 */
async function readDefinitionBody(c: AppContext): Promise<Record<string, unknown>> {
  const body = snakeKeys(requireObject(await readJson(c)));
  if (body.data_requirements !== undefined) body.data_requirements = snakeKeysDeep(body.data_requirements);
  return body;
}

function dto(item: WorkflowWithHead) {
  return toWorkflowDto(item.row, item.head);
}

function queryBoolean(c: AppContext, name: string): boolean | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return undefined;
  if (raw !== "true" && raw !== "false") throw new AppError("invalid_parameter", `${name} must be true or false.`);
  return raw === "true";
}

export function workflowRoutes(deps: CoreDeps) {
  const app = new Hono<AppEnv>();
  const read = requireScope("workflows:read");
  const write = requireScope("workflows:write");

  app.get("/", read, async (c) => {
    const page = pageParams(c, 50);
    const { items, total } = await listWorkflows(deps.db, c.get("principal"), page, {
      isActive: queryBoolean(c, "is_active"),
    });
    return respond(c, paginated(items.map(dto), total, page));
  });

  app.post("/", write, async (c) => {
    const input = parseOrThrow(createWorkflowSchema, await readDefinitionBody(c));
    return respond(c, dto(await createWorkflow(deps, c.get("principal"), input)), 201);
  });

  // Before /:id, which would otherwise take "templates" and "validate" for ids.
  app.get("/templates", read, (c) => {
    const industry = c.req.query("industry");
    if (industry && !(INDUSTRIES as readonly string[]).includes(industry)) {
      throw new AppError("invalid_parameter", `industry must be one of ${INDUSTRIES.join(", ")}.`);
    }
    const templates = TEMPLATES.filter((t) => !industry || (t.industries as string[]).includes(industry));
    return respond(c, { data: templates.map(toTemplateDto) });
  });

  app.post("/validate", read, async (c) => {
    const input = parseOrThrow(validateWorkflowSchema, await readDefinitionBody(c));
    return respond(c, validateDefinition(input));
  });

  app.get("/:id", read, async (c) => {
    return respond(c, dto(await getWorkflow(deps.db, c.get("principal"), c.req.param("id"))));
  });

  app.patch("/:id", write, async (c) => {
    const input = parseOrThrow(updateWorkflowSchema, await readDefinitionBody(c));
    return respond(c, dto(await updateWorkflow(deps, c.get("principal"), c.req.param("id"), input)));
  });

  app.get("/:id/versions", read, async (c) => {
    const page = pageParams(c, 25);
    const { workflow, rows, total } = await listWorkflowVersions(deps.db, c.get("principal"), c.req.param("id"), page);
    return respond(c, paginated(rows.map((v) => toVersionDto(v, workflow)), total, page));
  });

  app.get("/:id/versions/:version", read, async (c) => {
    const raw = c.req.param("version");
    if (!/^[1-9]\d{0,8}$/.test(raw)) throw new AppError("invalid_parameter", "version must be a positive integer.");
    const { workflow, version } = await getWorkflowVersion(deps.db, c.get("principal"), c.req.param("id"), Number(raw));
    return respond(c, toVersionDto(version, workflow));
  });

  app.post("/:id/set-default", write, async (c) => {
    return respond(c, dto(await setDefaultWorkflow(deps, c.get("principal"), c.req.param("id"))));
  });

  app.post("/:id/deactivate", write, async (c) => {
    return respond(c, dto(await deactivateWorkflow(deps, c.get("principal"), c.req.param("id"))));
  });

  return app;
}

/** `GET /api/v1/verification-policies`: the checks a policy node may run, with their options. */
export function verificationPolicyRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", requireScope("workflows:read"), (c) => respond(c, { data: POLICIES.map(toPolicyDto) }));
  return app;
}
