/**
 * The worker process as compose runs it (`deno run -A worker/main.ts`): its metrics listener on
 * VERIFA_METRICS_PORT answers /livez, /readyz with its heartbeat (compose's healthcheck) and
 * /metrics; SIGTERM stops it cleanly.
 */
import assert from "node:assert/strict";
import { createTestDatabase, waitFor } from "../helpers/test_app.ts";

const ROOT = new URL("../../", import.meta.url);
const KEPT = ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR", "DENO_CERT", "SSL_CERT_FILE"];
const key = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test("the worker process serves /livez, /readyz (its heartbeat) and /metrics on VERIFA_METRICS_PORT", async () => {
  const database = await createTestDatabase();
  const blobDir = await Deno.makeTempDir({ prefix: "verifa-worker-health-" });
  const port = freePort();
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const name of KEPT) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "worker/main.ts"],
    cwd: ROOT,
    clearEnv: true,
    env: {
      ...env,
      DATABASE_URL: database.url,
      VERIFA_ENCRYPTION_KEYS: `k1:${key()}`,
      VERIFA_INDEX_KEY: key(),
      VERIFA_SIGNING_KEYS: `s1:${key()}`,
      VERIFA_BLOB_DIR: blobDir,
      VERIFA_METRICS_PORT: String(port),
      VERIFA_LOG_LEVEL: "warn",
    },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let errors = "";
  const pump = (async () => {
    for (;;) {
      const { value, done } = await stderr.read();
      if (done) return;
      errors += value;
    }
  })();
  let exited = false;
  try {
    const base = `http://127.0.0.1:${port}`;
    const ready = await waitFor("the worker's /readyz", async () => {
      try {
        const res = await fetch(`${base}/readyz`);
        const body = await res.json();
        return res.status === 200 ? body : undefined;
      } catch {
        return undefined;
      }
    }, { timeoutMs: 60_000 });
    assert.deepEqual(ready, {
      status: "ok",
      checks: { database: "ok", storage: "ok", migrations: "ok", worker: "ok" },
    });
    const live = await fetch(`${base}/livez`);
    assert.deepEqual(await live.json(), { status: "ok" });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /^verifa_worker_heartbeat_age_seconds \d/m);
    assert.match(metrics, /^verifa_queue_jobs\{queue="session\.process",state="queued"\} 0$/m);
    child.kill("SIGTERM");
    const status = await child.status;
    exited = true;
    assert.equal(status.code, 0, errors);
  } finally {
    if (!exited) {
      child.kill("SIGKILL");
      await child.status;
    }
    await pump;
    await database.drop();
    await Deno.remove(blobDir, { recursive: true });
  }
});
