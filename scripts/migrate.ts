/** `deno task migrate`: applies pending migrations (to DATABASE_URL, or the embedded Postgres without it). */
import { withProductDatabase } from "../core/embedded/embedded_env.ts";

await withProductDatabase(async () => {});
console.log("database is up to date");
