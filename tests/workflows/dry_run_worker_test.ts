/**
 * Workflow dry runs run on the worker, not in the API process: with an API whose engines fail the
 * test when touched and a real worker with fake engines, POST /workflows/dry-run still answers
 * 200 with the walk's outcome; bad requests are answered by the API before anything is queued; a
 * walk that outlasts the wait is a 202 with a Location the caller reads once; the outcome is not
 * kept and is the owner's tenant's only.
 */
import assert from "node:assert/strict";
import { createApp } from "../../api/app.ts";
import { AppError } from "../../core/errors.ts";
import { createApiKey } from "../../core/orgs/api_keys.ts";
import type { VerificationEngines } from "../../core/verification/engines.ts";
import type { EngineVersions } from "../../core/engines/versions.ts";
import { startWorker, type WorkerHandle } from "../../worker/runner.ts";
import { createTestWorld, type TestWorld, waitFor } from "../helpers/test_app.ts";
import { type Body, call, createSession } from "../helpers/sessions.ts";
import { captureDocuments, tokenOf } from "../helpers/capture.ts";

const DRY_RUN = "/api/v1/workflows/dry-run";

/** Engines that record being loaded; every read finds nothing, as for an unreadable photo. */
function fakeEngines(loaded: string[], fail = false): VerificationEngines {
  const versions = (engine: EngineVersions["engine"]): EngineVersions => ({
    engine,
    library: "fake@0.0.0",
    runtime: {},
    models: [],
  });
  const unreadable = () => Promise.reject(new AppError("image_unreadable", "The fake engine reads nothing."));
  const load = <T>(name: string, engine: T) => () => {
    loaded.push(name);
    return fail
      ? Promise.reject(new Error(`the ${name} engine was loaded in the API process`))
      : Promise.resolve(engine);
  };
  return {
    face: load("face", { versions: versions("face"), similarity: () => 0, detect: unreadable }),
    ocr: load("ocr", {
      versions: versions("ocr"),
      readMrz: unreadable,
      readText: unreadable,
      close: () => Promise.resolve(),
    }),
    barcode: load("barcode", { versions: versions("barcode"), readPdf417: () => Promise.resolve(null) }),
  };
}

async function dryRunRows(world: TestWorld): Promise<number> {
  return (await world.db.selectFrom("workflow_dry_runs").select("id").execute()).length;
}

Deno.test("workflow dry runs run on the worker", async (t) => {
  const world = await createTestWorld();
  const inApi: string[] = [];
  const onWorker: string[] = [];
  let worker: WorkerHandle | null = null;
  try {
    world.app = createApp({ ...world.deps, engines: fakeEngines(inApi, true) });
    worker = await startWorker({ ...world.deps, engines: fakeEngines(onWorker) }, world.databaseUrl);
    const { secret: key } = await createApiKey(world.db, world.org.org_id, {
      kind: "secret",
      environment: "sandbox",
      scopes: ["sessions:read", "sessions:write", "workflows:read", "verifications:read"],
    });
    const session = await createSession(world, key);
    await captureDocuments(world, tokenOf(session));

    await t.step("POST answers 200 with the walk's outcome; the API process loads no engine", async () => {
      const res = await call(world, "POST", DRY_RUN, { key, body: { session_id: session.id } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.dry_run, true);
      assert.equal(res.body.session_id, session.id);
      assert.ok(["completed", "paused"].includes(res.body.status));
      assert.equal(typeof res.body.check_results, "object");
      assert.ok(Array.isArray(res.body.node_results) && res.body.node_results.length > 0);
      assert.deepEqual(inApi, [], "no engine was loaded in the API process");
      assert.ok(onWorker.length > 0, "the worker's engines ran the checks");
      assert.equal(await dryRunRows(world), 0, "the outcome is not kept once answered");
    });

    await t.step("bad requests are answered by the API, before anything is queued", async () => {
      const invalid = await call(world, "POST", DRY_RUN, {
        key,
        body: { session_id: session.id, graph: { entry: "x" } },
      });
      assert.equal(invalid.status, 422, JSON.stringify(invalid.body));
      const missing = await call(world, "POST", DRY_RUN, { key, body: { session_id: "ses_nope" } });
      assert.equal(missing.status, 404);
      assert.equal(await dryRunRows(world), 0);
    });

    await t.step(
      "past the wait: 202 with Location; the owner reads the outcome once, another tenant never",
      async () => {
        world.app = createApp({ ...world.deps, engines: fakeEngines(inApi, true), dryRunWaitMs: 0 });
        const queued = await call(world, "POST", DRY_RUN, { key, body: { session_id: session.id } });
        assert.equal(queued.status, 202, JSON.stringify(queued.body));
        assert.match(queued.body.id, /^dry_/);
        assert.ok(["queued", "running"].includes(queued.body.status));
        const location = queued.headers.get("location");
        assert.equal(location, `/api/v1/workflows/dry-runs/${queued.body.id}`);
        const other = await world.provisionOrg("dry-run-other");
        const { secret: otherKey } = await createApiKey(world.db, other.org_id, {
          kind: "secret",
          environment: "sandbox",
          scopes: ["workflows:read", "verifications:read"],
        });
        assert.equal((await call(world, "GET", location!, { key: otherKey })).status, 404);
        const done: Body = await waitFor("the dry run's outcome", async () => {
          const res = await call(world, "GET", location!, { key });
          if (res.status === 202) return undefined;
          assert.equal(res.status, 200, JSON.stringify(res.body));
          return res.body;
        }, { timeoutMs: 30_000, maxDelayMs: 200 });
        assert.equal(done.dry_run, true);
        assert.equal(done.session_id, session.id);
        assert.equal((await call(world, "GET", location!, { key })).status, 404, "read once");
        assert.deepEqual(inApi, []);
      },
    );
  } finally {
    await worker?.stop();
    await world.close();
  }
});
