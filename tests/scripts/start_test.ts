/**
 * Owns the end-to-end tests of the admin doors as an operator uses them: `scripts/start.ts` in
 * embedded mode (first run, README tutorial curl, restart on the same data dir), its boot error
 * with DATABASE_URL and no keys, `deno task keygen`, and the create-org / create-api-key scripts.
 * Every command runs as a real subprocess with an explicit environment.
 */
import assert from "node:assert/strict";
import pg from "pg";
import { createApp } from "../../api/app.ts";
import { parseConfig } from "../../core/config.ts";
import { generateKeyMaterial } from "../../core/embedded/dev_secrets.ts";
import { STARTER_SCOPES } from "../../core/orgs/scopes.ts";
import { createTestDatabase, createTestDeps, testServerUrl } from "../helpers/test_app.ts";
import {
  baseEnv,
  exists,
  fileMode,
  freePort,
  makeDataDir,
  Proc,
  ROOT,
  run,
  stopStrayPostgres,
  waitForHealth,
} from "../helpers/subprocess.ts";

/**
 * SIGTERM must drain the API and the worker before Postgres stops: exit 0, and no connection
 * torn down under them (each would log an error line).
 */
async function assertCleanShutdown(proc: Proc): Promise<void> {
  const status = await proc.terminate();
  assert.equal(status.code, 0, proc.describe());
  assert.match(proc.stdout, /"msg":"shutting down"/);
  assert.doesNotMatch(proc.stdout + proc.stderr, /"level":"error"/, proc.describe());
}

interface Keys {
  sandbox: string;
  live: string;
  publishable: string;
}

function printedKeys(stdout: string): Keys {
  const find = (label: string, pattern: RegExp) => {
    const match = new RegExp(`${label}:\\s+(\\S+)`).exec(stdout);
    assert.ok(match, `stdout prints the ${label}:\n${stdout}`);
    assert.match(match[1], pattern);
    return match[1];
  };
  return {
    sandbox: find("sandbox secret key", /^vk_sandbox_[a-z0-9]+$/),
    live: find("live secret key", /^vk_live_[a-z0-9]+$/),
    publishable: find("publishable key", /^vk_pub_sandbox_[a-z0-9]+$/),
  };
}

function api(port: number, path: string, key: string, init: RequestInit = {}) {
  return fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
    ...init,
    headers: { "X-API-Key": key, "Content-Type": "application/json", ...init.headers },
  }).then(async (response) => ({ status: response.status, body: await response.json() }));
}

Deno.test("deno task start: embedded mode boots, provisions once, serves the tutorial and survives a restart", async (t) => {
  const dataDir = await makeDataDir("start-");
  const port = freePort();
  const env = baseEnv({
    VERIFA_DATA_DIR: dataDir,
    PORT: String(port),
    VERIFA_EMBEDDED_PG_PORT: String(freePort()),
  });
  assert.equal(env.DATABASE_URL, undefined);
  const start = () => new Proc([Deno.execPath(), "run", "-A", "scripts/start.ts"], env);
  let proc: Proc | null = null;
  try {
    let keys: Keys;
    let sessionId = "";

    await t.step("first run: serves /health, prints three keys once and saves them 0600", async () => {
      proc = start();
      await waitForHealth(proc, port);
      keys = printedKeys(proc.stdout);
      assert.equal(new Set(Object.values(keys)).size, 3);

      const credentials = `${dataDir}/credentials.json`;
      assert.equal(await fileMode(credentials), 0o600);
      const saved = JSON.parse(await Deno.readTextFile(credentials));
      assert.equal(saved.sandbox_secret_key, keys.sandbox);
      assert.equal(saved.live_secret_key, keys.live);
      assert.equal(saved.sandbox_publishable_key, keys.publishable);
      assert.match(saved.org_id, /^org_/);

      const devSecrets = `${dataDir}/dev-secrets.json`;
      assert.equal(await fileMode(devSecrets), 0o600);
      const secrets = JSON.parse(await Deno.readTextFile(devSecrets));
      for (const name of ["VERIFA_ENCRYPTION_KEYS", "VERIFA_INDEX_KEY", "VERIFA_SIGNING_KEYS", "postgres_password"]) {
        assert.ok(secrets[name], `dev-secrets.json holds ${name}`);
      }
      // Postgres data and the filesystem blob store live under the data dir.
      assert.ok(await exists(`${dataDir}/postgres/PG_VERSION`));
      assert.ok((await Deno.stat(`${dataDir}/blobs`)).isDirectory);
      assert.match(proc.stdout, /"msg":"worker started"/);
    });

    await t.step("the README tutorial curl creates a session with the printed sandbox key", async () => {
      // The README's own command, run by a shell with this test's port and the printed key.
      const readme = await Deno.readTextFile(`${ROOT}/README.md`);
      const block = /```sh\n(curl -X POST http:\/\/localhost:8080\/api\/v1\/sessions [^`]*?)\n```/.exec(readme);
      assert.ok(block, "README has the create-session tutorial curl");
      assert.match(block[1], /"X-API-Key: vk_sandbox_\.\.\."/);
      assert.match(block[1], /'\{"external_ref": "user_12345"\}'/);
      const tutorial = block[1]
        .replace("http://localhost:8080", `http://localhost:${port}`)
        .replace("vk_sandbox_...", keys.sandbox);
      // -sS -w only add the status code to the output.
      const curl = await run(["sh", "-c", `${tutorial} -sS -w '\\n%{http_code}'`], baseEnv({}));
      assert.equal(curl.exit?.code, 0, curl.describe());
      const lines = curl.stdout.trimEnd().split("\n");
      const code = lines.pop();
      assert.equal(code, "201", curl.describe());
      const body = JSON.parse(lines.join("\n"));
      assert.match(body.id, /^ses_/);
      assert.equal(body.status, "pending");
      assert.equal(body.external_ref, "user_12345");
      assert.equal(body.environment, "sandbox");
      assert.match(body.capture_url, new RegExp(`^http://localhost:${port}/verify/\\S+$`));
      sessionId = body.id;
      // Development mode serves the verifa.js example page (VERIFA_EXAMPLES defaults on), for our capture URLs only.
      const example = await fetch(
        `http://localhost:${port}/examples/embed?capture_url=${encodeURIComponent(body.capture_url)}`,
      );
      await example.body?.cancel();
      assert.equal(example.status, 200);
      assert.equal(example.headers.get("strict-transport-security"), null, "no HSTS over http");

      // The other two printed keys work as well: live lists (and sees no sandbox data), publishable creates.
      const live = await api(port, "/sessions", keys.live);
      assert.equal(live.status, 200);
      assert.equal(live.body.data.length, 0);
      const pub = await api(port, "/sessions", keys.publishable, { method: "POST", body: "{}" });
      assert.equal(pub.status, 201, JSON.stringify(pub.body));
    });

    await t.step("admin scripts run beside it on its Postgres and leave it running", async () => {
      const script = (name: string, args: string[]) => run([Deno.execPath(), "task", name, ...args], env);
      const status = await script("migrate", ["--status"]);
      assert.equal(status.exit?.code, 0, status.describe());
      assert.match(status.stderr, /using the embedded Postgres already running on 127\.0\.0\.1:\d+/);
      assert.match(status.stdout, /database is up to date/);
      const link = await script("admin-link", ["--org", "default"]);
      assert.equal(link.exit?.code, 0, link.describe());
      assert.match(link.stdout, new RegExp(`http://localhost:${port}/dashboard/enrol/enr_[a-z0-9]+`));
      const after = await api(port, `/sessions/${sessionId}`, keys.sandbox);
      assert.equal(after.status, 200, "the server still serves once the scripts have ended");
      assert.ok(await exists(`${dataDir}/postgres/postmaster.pid`), "its Postgres still runs");
    });

    await t.step("SIGTERM stops the API, the worker and the embedded Postgres cleanly", async () => {
      await assertCleanShutdown(proc!);
      assert.equal(await exists(`${dataDir}/postgres/postmaster.pid`), false, "Postgres stopped");
    });

    await t.step("second run on the same data dir: no new keys, data kept, worker running", async () => {
      const credentialsBefore = await Deno.readTextFile(`${dataDir}/credentials.json`);
      const secretsBefore = await Deno.readTextFile(`${dataDir}/dev-secrets.json`);
      proc = start();
      await waitForHealth(proc, port);
      assert.doesNotMatch(proc.stdout, /vk_/, "no key is printed again");
      assert.doesNotMatch(proc.stdout, /Verifa is set up/);
      assert.match(proc.stdout, /organisation exists/);
      assert.equal(await Deno.readTextFile(`${dataDir}/credentials.json`), credentialsBefore);
      assert.equal(await Deno.readTextFile(`${dataDir}/dev-secrets.json`), secretsBefore);

      const got = await api(port, `/sessions/${sessionId}`, keys.sandbox);
      assert.equal(got.status, 200, JSON.stringify(got.body));
      assert.equal(got.body.id, sessionId);
      assert.equal(got.body.external_ref, "user_12345");

      assert.match(proc.stdout, /"msg":"worker started"/);
      const secrets = JSON.parse(secretsBefore);
      const client = new pg.Client({
        connectionString: `postgres://postgres:${
          encodeURIComponent(secrets.postgres_password)
        }@127.0.0.1:${env.VERIFA_EMBEDDED_PG_PORT}/verifa`,
      });
      await client.connect();
      try {
        const schedules = await client.query("SELECT name, cron FROM pgboss.schedule ORDER BY name");
        assert.deepEqual(schedules.rows, [
          { name: "audit.seal", cron: "* * * * *" },
          { name: "case.release-stale-claims", cron: "* * * * *" },
          { name: "idempotency.purge", cron: "17 * * * *" },
          { name: "list-counts.fold", cron: "* * * * *" },
          { name: "operator-challenges.purge", cron: "*/10 * * * *" },
          { name: "rate-limits.purge", cron: "*/5 * * * *" },
          { name: "retention.sweep", cron: "41 * * * *" },
          { name: "session.expire-stale", cron: "* * * * *" },
          { name: "session.requeue-stalled", cron: "*/5 * * * *" },
          { name: "workflow-dry-runs.purge", cron: "23 * * * *" },
        ]);
        const orgs = await client.query("SELECT count(*)::int AS n FROM organizations");
        assert.equal(orgs.rows[0].n, 1, "the restart did not provision a second organisation");
      } finally {
        await client.end();
      }

      await assertCleanShutdown(proc);
    });
  } finally {
    if (proc) await (proc as Proc).terminate().catch(() => {});
    await stopStrayPostgres(`${dataDir}/postgres`);
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("start with DATABASE_URL and no keys exits non-zero naming every missing key", async () => {
  const dataDir = await makeDataDir("start-ext-");
  try {
    const proc = await run(
      [Deno.execPath(), "run", "-A", "scripts/start.ts"],
      baseEnv({ DATABASE_URL: testServerUrl(), VERIFA_DATA_DIR: dataDir, PORT: String(freePort()) }),
    );
    assert.equal(proc.exit?.code, 78, `EX_CONFIG, so supervisors do not restart it\n${proc.describe()}`);
    for (const name of ["VERIFA_ENCRYPTION_KEYS", "VERIFA_INDEX_KEY", "VERIFA_SIGNING_KEYS"]) {
      assert.match(proc.stderr, new RegExp(name), `stderr names ${name}\n${proc.describe()}`);
    }
    assert.doesNotMatch(proc.stdout, /vk_/);
    // Dev keys and the embedded Postgres belong to embedded mode only.
    assert.equal(await exists(`${dataDir}/dev-secrets.json`), false);
    assert.equal(await exists(`${dataDir}/postgres`), false);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("deno task keygen prints variables parseConfig accepts", async () => {
  const parse = (stdout: string) =>
    Object.fromEntries(
      stdout.trim().split("\n").map((line) => {
        const at = line.indexOf("=");
        return [line.slice(0, at), line.slice(at + 1)];
      }),
    );
  const first = await run(["deno", "task", "keygen"], baseEnv({}));
  assert.equal(first.exit?.code, 0, first.describe());
  const vars = parse(first.stdout);
  assert.deepEqual(Object.keys(vars).sort(), ["VERIFA_ENCRYPTION_KEYS", "VERIFA_INDEX_KEY", "VERIFA_SIGNING_KEYS"]);
  const config = parseConfig({ ...vars, DATABASE_URL: "postgres://verifa@db:5432/verifa" });
  assert.equal(config.encryptionKeys.length, 1);
  assert.equal(config.encryptionKeys[0].key.length, 32);
  assert.equal(config.indexKey.length, 32);
  assert.equal(config.signingKeys.length, 1);
  assert.ok(config.signingKeys[0].key.length >= 32);

  const second = parse((await run(["deno", "task", "keygen"], baseEnv({}))).stdout);
  for (const name of Object.keys(vars)) assert.notEqual(second[name], vars[name], `${name} is fresh each run`);
});

Deno.test("create-org and create-api-key scripts against DATABASE_URL mint working keys", async (t) => {
  const database = await createTestDatabase();
  const env = baseEnv({ DATABASE_URL: database.url, ...generateKeyMaterial() });
  const { deps, release } = await createTestDeps(database);
  const app = createApp(deps);
  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const response = await app.request(`/api/v1${path}`, {
      method,
      headers: { "X-API-Key": key, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  try {
    let orgId = "";
    await t.step("create_org prints an organisation with three working keys", async () => {
      const proc = await run(
        [Deno.execPath(), "run", "-A", "scripts/create_org.ts", "--name", "X", "--slug", "y"],
        env,
      );
      assert.equal(proc.exit?.code, 0, proc.describe());
      const org = JSON.parse(proc.stdout);
      assert.match(org.org_id, /^org_/);
      assert.equal(org.name, "X");
      assert.equal(org.slug, "y");
      orgId = org.org_id;
      const row = await database.db.selectFrom("organizations").select(["name", "slug"])
        .where("id", "=", orgId).executeTakeFirstOrThrow();
      assert.deepEqual(row, { name: "X", slug: "y" });

      const sandbox = await call("POST", "/sessions", org.sandbox_secret_key, { external_ref: "s1" });
      assert.equal(sandbox.status, 201, JSON.stringify(sandbox.body));
      assert.equal(sandbox.body.environment, "sandbox");
      const live = await call("POST", "/sessions", org.live_secret_key, { external_ref: "l1" });
      assert.equal(live.status, 201, JSON.stringify(live.body));
      assert.equal(live.body.environment, "live");
      const pub = await call("POST", "/sessions", org.sandbox_publishable_key, {});
      assert.equal(pub.status, 201, JSON.stringify(pub.body));
      assert.equal((await call("GET", "/sessions", org.sandbox_publishable_key)).status, 403);
    });

    await t.step("the starter keys hold the tutorial's default scopes, not every scope (issue #15)", async () => {
      const rows = await database.db.selectFrom("api_keys").select(["environment", "kind", "scopes"])
        .where("org_id", "=", orgId).where("kind", "=", "secret").orderBy("environment").execute();
      assert.deepEqual(rows, [
        { environment: "live", kind: "secret", scopes: [...STARTER_SCOPES] },
        { environment: "sandbox", kind: "secret", scopes: [...STARTER_SCOPES] },
      ]);
      const printed = JSON.parse(
        (await run([Deno.execPath(), "run", "-A", "scripts/create_org.ts", "--name", "Z", "--slug", "z"], env)).stdout,
      );
      // The tutorial works: create, simulate, read the result.
      const created = await call("POST", "/sessions", printed.sandbox_secret_key, { external_ref: "user_12345" });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const simulated = await call("POST", `/sessions/${created.body.id}/simulate`, printed.sandbox_secret_key, {
        action: "approve",
      });
      assert.equal(simulated.status, 200, JSON.stringify(simulated.body));
      const result = await call("GET", `/sessions/${created.body.id}/result`, printed.sandbox_secret_key);
      assert.equal(result.status, 200, JSON.stringify(result.body));
      // Neither starter key changes org-wide settings or mints keys.
      for (const key of [printed.sandbox_secret_key, printed.live_secret_key]) {
        const patched = await call("PATCH", "/settings", key, { data_retention_days: 1 });
        assert.equal(patched.status, 403, JSON.stringify(patched.body));
        const minted = await call("POST", "/api-keys", key, { scopes: ["sessions:read"] });
        assert.equal(minted.status, 403, JSON.stringify(minted.body));
      }
      const settings = await database.db.selectFrom("organizations").select("settings")
        .where("id", "=", printed.org_id).executeTakeFirstOrThrow();
      assert.deepEqual(settings.settings, {});
    });

    await t.step("create_api_key mints a live read-only key: it lists sessions but cannot create one", async () => {
      const proc = await run(
        [
          Deno.execPath(),
          "run",
          "-A",
          "scripts/create_api_key.ts",
          "--org",
          orgId,
          "--environment",
          "live",
          "--scopes",
          "sessions:read",
        ],
        env,
      );
      assert.equal(proc.exit?.code, 0, proc.describe());
      const key = JSON.parse(proc.stdout);
      assert.match(key.secret, /^vk_live_/);
      assert.equal(key.environment, "live");
      assert.equal(key.type, "secret");
      assert.deepEqual(key.scopes, ["sessions:read"]);
      const row = await database.db.selectFrom("api_keys").select(["org_id", "scopes", "environment"])
        .where("id", "=", key.id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { org_id: orgId, scopes: ["sessions:read"], environment: "live" });

      const list = await call("GET", "/sessions", key.secret);
      assert.equal(list.status, 200, JSON.stringify(list.body));
      assert.deepEqual(list.body.data.map((s: { external_ref: string }) => s.external_ref), ["l1"]);
      const create = await call("POST", "/sessions", key.secret, { external_ref: "nope" });
      assert.equal(create.status, 403);
      assert.equal(create.body.error, "insufficient_scope");
    });

    await t.step("create_api_key refuses an unknown organisation and unknown scopes", async () => {
      const args = [Deno.execPath(), "run", "-A", "scripts/create_api_key.ts", "--environment", "live"];
      const missing = await run([...args, "--org", "org_doesnotexist"], env);
      assert.notEqual(missing.exit?.code, 0);
      assert.match(missing.stderr, /org_doesnotexist not found/);
      const badScope = await run([...args, "--org", orgId, "--scopes", "sessions:everything"], env);
      assert.notEqual(badScope.exit?.code, 0);
      assert.match(badScope.stderr, /unknown scopes: sessions:everything/);
      const count = await database.db.selectFrom("api_keys").select((eb) => eb.fn.countAll<string>().as("n"))
        .where("org_id", "=", orgId).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 4, "only the three starter keys and the read-only key exist");
    });
  } finally {
    await release();
    await database.drop();
  }
});
