/**
 * `deno task restore <backup folder> [--dry-run] [--force] [--pg-bin-dir DIR]`: restores a backup
 * of `deno task backup` into this installation (DATABASE_URL, or the embedded Postgres when it is
 * unset, and the configured blob store), then re-applies the erasures recorded since the snapshot
 * (core/backup/restore.ts). Says what it will do first; `--dry-run` stops there. A database that
 * holds data is refused unless `--force`. Stop the API and the worker first. Exit 0 restored,
 * 1 refused or failed (the sentence says why), 64 usage, 69 no pg_restore new enough.
 */
import { parseArgs } from "node:util";
import { withProductDeps } from "../core/embedded/embedded_env.ts";
import { restoreBackup, type RestorePlan } from "../core/backup/restore.ts";
import { BackupFailure } from "../core/backup/pg_tools.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    force: { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
    "pg-bin-dir": { type: "string" },
  },
});
if (positionals.length !== 1) {
  console.error("usage: deno task restore <backup folder> [--dry-run] [--force] [--pg-bin-dir DIR]");
  Deno.exit(64);
}

function describe(plan: RestorePlan, dryRun: boolean): string[] {
  const m = plan.manifest;
  const held = Object.entries(plan.targetData);
  return [
    `${dryRun ? "would restore" : "restoring"} the backup of ${m.created_at} (Verifa ${m.product.version}):`,
    `  database: ${m.database.organizations} organisations, ${m.database.sessions} sessions, ${m.database.migrations.length} migrations` +
    (held.length ? `, replacing what the target holds (${held.map(([t, n]) => `${t} ${n}`).join(", ")})` : ""),
    `  objects: ${plan.objectsToWrite} written, ${plan.objectsToDelete} in the store but not in the backup deleted (the erasure ledger is kept)`,
    `  then: migrations to this version, and the erasures recorded since the day before the snapshot re-applied (${plan.erasures} in the ledger now)`,
  ];
}

try {
  const { report } = await withProductDeps(
    (deps, config) =>
      restoreBackup(deps, config, positionals[0], {
        force: values.force,
        dryRun: values["dry-run"],
        pgBinDir: values["pg-bin-dir"],
        onPlan: (plan) => describe(plan, values["dry-run"]).forEach((line) => console.log(line)),
        log: (line) => console.error(line),
      }),
    { migrate: false, poolSize: 2 },
  );
  if (report) {
    const r = report.replayed;
    console.log(
      `restored. erasures re-applied: ${r.erased} erased again, ${r.already} already erased in the snapshot, ${r.absent} of records made after it`,
    );
  }
} catch (error) {
  if (!(error instanceof BackupFailure)) throw error;
  console.error(error.message);
  Deno.exit(error.exitCode);
}
