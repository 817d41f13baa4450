/**
 * `deno task create-api-key --org org_… --environment sandbox|live [--type secret|publishable]
 * [--scopes a,b] [--label …] [--rate-limit N] [--allowed-origins https://a,https://b]`:
 * mints a key and prints its secret once. The only way to set a per-key rate limit, so that no
 * key can raise its own.
 */
import { parseArgs } from "node:util";
import { withProductDatabase } from "../core/embedded/embedded_env.ts";
import { createApiKey } from "../core/orgs/api_keys.ts";
import { ALL_SCOPES, DEFAULT_SCOPES } from "../core/orgs/scopes.ts";

const { values } = parseArgs({
  options: {
    org: { type: "string" },
    environment: { type: "string" },
    type: { type: "string", default: "secret" },
    scopes: { type: "string" },
    label: { type: "string" },
    "rate-limit": { type: "string" },
    "allowed-origins": { type: "string" },
  },
});
const problems: string[] = [];
if (!values.org) problems.push("--org is required");
if (values.environment !== "sandbox" && values.environment !== "live") {
  problems.push("--environment must be sandbox or live");
}
if (values.type !== "secret" && values.type !== "publishable") problems.push("--type must be secret or publishable");
const scopes = values.scopes ? values.scopes.split(",").map((s) => s.trim()) : [...DEFAULT_SCOPES];
const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
if (unknown.length) problems.push(`unknown scopes: ${unknown.join(", ")}`);
const rateLimit = values["rate-limit"] ? Number(values["rate-limit"]) : null;
if (rateLimit !== null && !(Number.isInteger(rateLimit) && rateLimit > 0)) {
  problems.push("--rate-limit must be a positive integer");
}
if (problems.length) {
  console.error(problems.join("\n"));
  Deno.exit(64);
}

const { row, secret } = await withProductDatabase(async (db) => {
  const org = await db.selectFrom("organizations").select("id").where("id", "=", values.org!).executeTakeFirst();
  if (!org) {
    console.error(`organisation ${values.org} not found`);
    Deno.exit(65);
  }
  return await createApiKey(db, values.org!, {
    environment: values.environment as "sandbox" | "live",
    kind: values.type as "secret" | "publishable",
    scopes,
    label: values.label ?? null,
    rateLimitPerMinute: rateLimit,
    allowedOrigins: values["allowed-origins"]?.split(",").map((s) => s.trim()) ?? null,
  });
});
console.log(
  JSON.stringify({ id: row.id, environment: row.environment, type: row.kind, scopes: row.scopes, secret }, null, 2),
);
