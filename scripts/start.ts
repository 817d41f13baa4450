/**
 * `deno task start`: the whole product on one machine. Without DATABASE_URL it runs an embedded
 * Postgres under .verifa/, migrates, provisions a first organisation on first run (printing its
 * keys once and saving them to .verifa/credentials.json, mode 0600), then serves the API with
 * the worker beside it.
 */
import { onShutdown, parseConfigOrExit, watchBoot } from "../core/process.ts";
import { assertPortFree } from "../core/boot_failure.ts";
import { createLogger } from "../core/logger.ts";
import { createCoreDeps } from "../core/runtime.ts";
import { createSandboxedEngines } from "../core/verification/engines.ts";
import { createPgBossQueue } from "../worker/queue_client.ts";
import { prepareEnvironment } from "../core/embedded/embedded_env.ts";
import { takeOverShutdownSignals } from "../core/embedded/embedded_postgres.ts";
import { migrateToLatest } from "../core/db/migrate.ts";
import { countOrganizations } from "../core/orgs/organizations.ts";
import { provisionOrganization } from "../core/orgs/provision.ts";
import { createInvite, enrolUrl } from "../core/operators/invites.ts";
import { createApp, httpSettings } from "../api/app.ts";
import { apiPortInUse, serveApp } from "../api/server.ts";
import { startWorker } from "../worker/runner.ts";
import { startObservability } from "../core/observability/ops_server.ts";

// Until the API listens, a failure is one sentence and exit 78, with what was started stopped.
const boot = watchBoot();
const prepared = await prepareEnvironment(Deno.env.toObject(), (line) => console.error(line));
boot.undoOnFailure(prepared.stop);
const config = await parseConfigOrExit(prepared.env, { runWorker: true, examples: true }, prepared.stop);
// Before provisioning: a taken PORT must not cost a first run that prints keys and then dies.
assertPortFree("0.0.0.0", config.port, apiPortInUse(config.port));
const log = createLogger(config.logLevel);
// The engines run in one sandbox subprocess with network denied (started on first use).
const engines = createSandboxedEngines({ log });
boot.undoOnFailure(engines.close);
const deps = { ...await createCoreDeps(config, log, createPgBossQueue(config.databaseUrl, log)), engines };
boot.undoOnFailure(deps.close);
const applied = await migrateToLatest(deps.db);
if (applied.length) log.info("migrations applied", { migrations: applied.join(",") });

if ((await countOrganizations(deps.db)) === 0) {
  const org = await provisionOrganization(deps.db, { name: "My organisation", slug: "default" });
  const file = `${prepared.dataDir}/credentials.json`;
  await Deno.writeTextFile(file, JSON.stringify(org, null, 2) + "\n", { mode: 0o600 });
  await Deno.chmod(file, 0o600);
  // The dashboard has no users yet: this one-time link enrols the first admin with a passkey.
  const admin = await createInvite(deps.db, { orgId: org.org_id, kind: "bootstrap", role: "admin" }, new Date());
  console.log(
    [
      "",
      "  Verifa is set up. These keys are shown once; they are also saved in " + file + " (mode 0600).",
      "",
      `    sandbox secret key:      ${org.sandbox_secret_key}`,
      `    live secret key:         ${org.live_secret_key}`,
      `    publishable key:         ${org.sandbox_publishable_key}`,
      "",
      "  Enrol the first dashboard admin with a passkey (this link works once, for 24 hours;",
      "  `deno task admin-link --org default` issues another):",
      "",
      `    ${enrolUrl(config.publicUrl, admin.token)}`,
      "",
    ].join("\n"),
  );
} else if (prepared.embedded) {
  log.info("organisation exists; keys are in the credentials file", { file: `${prepared.dataDir}/credentials.json` });
}

const worker = config.runWorker ? await startWorker(deps, config.databaseUrl) : null;
boot.undoOnFailure(async () => await worker?.stop());
// VERIFA_METRICS_PORT: one listener serves the API's metrics and the embedded worker's.
const observability = startObservability(deps, { port: config.metricsPort, workerBoss: worker?.boss });
const app = createApp({ ...deps, ...httpSettings(config), observability });
const server = serveApp(app, config.port, "0.0.0.0", (port) => {
  log.info("api listening", { port, public_url: config.publicUrl });
  console.error(`\n  Verifa API: ${config.publicUrl}/api/v1   (health: ${config.publicUrl}/health)\n`);
});

boot.done();

// Postgres must stop last, after the API and the worker have drained, not when the signal lands.
takeOverShutdownSignals();
onShutdown([
  () => log.info("shutting down"),
  () => server.shutdown(),
  observability.stop,
  async () => await worker?.stop(),
  deps.close,
  engines.close,
  prepared.stop,
]);
