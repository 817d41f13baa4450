/**
 * `deno task migrate`: applies pending migrations (to DATABASE_URL, or the embedded Postgres
 * without it). `deno task migrate --status` changes nothing: it lists each shipped migration as
 * applied or pending (and any the database has that this code does not ship, i.e. a newer
 * version migrated it), and exits 0 when none is pending, 2 when some are (1 stays an error).
 */
import { withProductDatabase } from "../core/embedded/embedded_env.ts";
import { migrationStatus } from "../core/db/migrate.ts";

const EXIT_PENDING = 2;

if (Deno.args.includes("--status")) {
  const status = await withProductDatabase(migrationStatus, { migrate: false });
  for (const name of status.applied) {
    console.log(`${status.unknown.includes(name) ? "unknown" : "applied"}  ${name}`);
  }
  for (const name of status.pending) console.log(`pending  ${name}`);
  if (status.unknown.length > 0) {
    console.log(`${status.unknown.length} applied by a newer version of Verifa than this one`);
  }
  if (status.pending.length > 0) {
    console.log(`${status.pending.length} pending: run deno task migrate`);
    Deno.exit(EXIT_PENDING);
  }
  console.log("database is up to date");
} else if (Deno.args.length > 0) {
  console.error(`unknown argument ${Deno.args[0]}: deno task migrate [--status]`);
  Deno.exit(64);
} else {
  await withProductDatabase(async () => {});
  console.log("database is up to date");
}
