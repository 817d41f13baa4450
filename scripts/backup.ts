/**
 * `deno task backup [--out DIR] [--pg-bin-dir DIR]`: writes one consistent snapshot of this
 * installation (database dump, every blob-store object, manifest: core/backup/backup.ts) into a
 * new folder under DIR (default ./backups) and prints its path. Works against DATABASE_URL, or the
 * embedded Postgres when it is unset (then `deno task start` must be stopped). Never migrates:
 * a backup taken before an upgrade holds the database as it was. Exit 69 when no pg_dump new
 * enough for the server is installed, 1 when the backup failed (nothing is left behind).
 */
import { parseArgs } from "node:util";
import { withProductDeps } from "../core/embedded/embedded_env.ts";
import { createBackup } from "../core/backup/backup.ts";
import { BackupFailure } from "../core/backup/pg_tools.ts";

const { values } = parseArgs({
  options: { out: { type: "string", default: "backups" }, "pg-bin-dir": { type: "string" } },
});

try {
  const { path, manifest } = await withProductDeps(
    (deps, config) =>
      createBackup(deps, config, {
        outDir: values.out,
        pgBinDir: values["pg-bin-dir"],
        log: (line) => console.error(line),
      }),
    { migrate: false, poolSize: 2 },
  );
  console.log(`backup written: ${path}`);
  console.log(`  snapshot ${manifest.created_at}, Verifa ${manifest.product.version}`);
  console.log(
    `  database: ${manifest.database.organizations} organisations, ${manifest.database.sessions} sessions, ${manifest.database.migrations.length} migrations (${manifest.database.bytes} bytes, pg_dump ${manifest.database.pg_dump_version})`,
  );
  console.log(
    `  objects: ${manifest.blobs.count} (${manifest.blobs.bytes} bytes)${
      manifest.blobs.referenced_missing ? `; ${manifest.blobs.referenced_missing} erased after the snapshot` : ""
    }`,
  );
  console.log(`  keys needed to read it: encryption ${manifest.keys.encryption_key_ids.join(", ")}`);
} catch (error) {
  if (!(error instanceof BackupFailure)) throw error;
  console.error(error.message);
  Deno.exit(error.exitCode);
}
