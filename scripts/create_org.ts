/**
 * `deno task create-org --name "Acme" --slug acme`: creates an organisation with its starter keys
 * and prints them once as JSON.
 */
import { parseArgs } from "node:util";
import { withProductDatabase } from "../core/embedded/embedded_env.ts";
import { provisionOrganization } from "../core/orgs/provision.ts";

const { values } = parseArgs({ options: { name: { type: "string" }, slug: { type: "string" } } });
if (!values.name || !values.slug) {
  console.error('usage: deno task create-org --name "Acme Bank" --slug acme-bank');
  Deno.exit(64);
}
const org = await withProductDatabase((db) => provisionOrganization(db, { name: values.name!, slug: values.slug! }));
console.log(JSON.stringify(org, null, 2));
