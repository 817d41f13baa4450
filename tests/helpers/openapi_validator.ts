/**
 * Owns checking an HTTP answer against the API document: finds the documented operation for a
 * method and path, and asserts that the status is one the operation documents and that the body
 * validates against that status's schema (JSON Schema 2020-12, with ajv). The test world's request
 * helper runs it on every answer, so every API test also tests the document.
 */
import { Ajv2020 } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { ValidateFunction } from "ajv";
import { openApiDocument } from "../../api/openapi/document.ts";
import { snakeKeysDeep } from "../../core/casing.ts";

interface DocumentedResponse {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
}

interface DocumentedOperation {
  method: string;
  template: string;
  pattern: RegExp;
  literals: number;
  responses: Record<string, DocumentedResponse>;
}

let operations: DocumentedOperation[] | null = null;
let ajv: Ajv2020 | null = null;
const validators = new Map<string, ValidateFunction>();
const DOCUMENT_ID = "verifa-openapi.json";

function documentedOperations(): DocumentedOperation[] {
  if (operations) return operations;
  const found: DocumentedOperation[] = [];
  for (const [template, item] of Object.entries(openApiDocument().paths)) {
    const segments = template.split("/");
    const pattern = new RegExp(
      `^${segments.map((s) => (s.startsWith("{") ? "[^/]+" : s.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))).join("/")}$`,
    );
    for (const [method, op] of Object.entries(item)) {
      found.push({
        method: method.toUpperCase(),
        template,
        pattern,
        literals: segments.filter((s) => !s.startsWith("{")).length,
        responses: op.responses as DocumentedOperation["responses"],
      });
    }
  }
  // Where two templates match (`/workflows/templates`, `/workflows/{id}`), the more literal wins, as in the router.
  operations = found.sort((a, b) => b.literals - a.literals);
  return operations;
}

/** The compiled schema at a JSON pointer into the document (its `$ref`s resolve within the document). */
export function documentValidator(pointer: string): ValidateFunction {
  let validate = validators.get(pointer);
  if (validate) return validate;
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats.default(ajv);
    ajv.addFormat("binary", true);
    ajv.addSchema(openApiDocument(), DOCUMENT_ID);
  }
  validate = ajv.getSchema(`${DOCUMENT_ID}#${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  validators.set(pointer, validate);
  return validate;
}

/** A JSON pointer from its parts, each escaped (`/` in a path template becomes `~1`). */
export function jsonPointer(...parts: string[]): string {
  return parts.map((part) => `/${part.replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

export function findDocumentedOperation(method: string, path: string): DocumentedOperation | undefined {
  // As the server sees it: the URL parser resolves dot segments (`%2e%2e` too) before routing.
  const bare = new URL(path, "http://verifa.test").pathname;
  return documentedOperations().find((op) => op.method === method.toUpperCase() && op.pattern.test(bare));
}

/** Problems with a JSON body against a schema of the document, or [] when it validates. */
export function schemaProblems(pointer: string, body: unknown): string[] {
  const validate = documentValidator(pointer);
  if (validate(snakeKeysDeep(body))) return [];
  return (validate.errors ?? []).slice(0, 8).map((e) =>
    `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`
  );
}

/**
 * Throws when `response` (a clone: its body is read) is outside what the document says of
 * `method path`. Calls to paths the document does not cover (pages, the dashboard, unknown
 * routes) are not checked. JSON bodies are compared in snake_case, the casing the document
 * describes: a camel or kebab `Key-Inflection` only re-cases the keys.
 */
export async function assertDocumentedResponse(method: string, path: string, response: Response): Promise<void> {
  const op = findDocumentedOperation(method, path);
  if (!op) return;
  const where = `${method.toUpperCase()} ${path} → ${response.status} (documented as ${op.method} ${op.template})`;
  const listed = op.responses[String(response.status)] as DocumentedResponse | undefined;
  // Error answers are shared components (`$ref: #/components/responses/…`).
  const ref = listed?.$ref?.replace(/^#/, "");
  const documented = ref
    ? openApiDocument().components.responses![ref.split("/").pop()!] as DocumentedResponse
    : listed;
  if (!documented) {
    throw new Error(`${where}: status not in the API document (${Object.keys(op.responses).join(", ")})`);
  }
  const type = (response.headers.get("content-type") ?? "").split(";")[0].trim();
  const content = documented.content;
  if (!content) {
    const text = await response.text();
    if (text.length > 0) throw new Error(`${where}: the document says no body, got ${type}`);
    return;
  }
  if (content["*/*"]) return;
  if (!content[type]) throw new Error(`${where}: content type ${type} is not documented (${Object.keys(content)})`);
  if (type !== "application/json") return;
  const text = await response.text();
  const pointer = ref ? `${ref}${jsonPointer("content", type, "schema")}` : jsonPointer(
    "paths",
    op.template,
    op.method.toLowerCase(),
    "responses",
    String(response.status),
    "content",
    type,
    "schema",
  );
  const problems = schemaProblems(pointer, text ? JSON.parse(text) : null);
  if (problems.length) {
    throw new Error(
      `${where}: the body does not match the API document:\n  ${problems.join("\n  ")}\nbody: ${text.slice(0, 1500)}`,
    );
  }
}
