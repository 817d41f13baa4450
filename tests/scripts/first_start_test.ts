/**
 * Owns the first-start tests of issue #16 as a new operator meets them: `deno task start` from a
 * checkout in a folder only its owner can enter (any `mktemp -d`, anything under /root), a taken
 * Postgres or API port, and an unreachable DATABASE_URL. Each boot failure is one sentence that
 * names what to change, exit 78, no stack trace, and nothing left running.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { generateKeyMaterial } from "../../core/embedded/dev_secrets.ts";
import {
  baseEnv,
  exists,
  freePort,
  makeDataDir,
  Proc,
  run,
  stopStrayPostgres,
  TEST_DATA,
  waitForHealth,
} from "../helpers/subprocess.ts";

const START = [Deno.execPath(), "run", "-A", "scripts/start.ts"];

/**
 * A copy of this checkout (its files as git sees them, node_modules hard-linked) inside a folder
 * of mode 0700: as root, the `postgres` user can enter neither the package's binaries nor the
 * default data dir `.verifa/` there. Kept on the checkout's file system so the links work.
 */
async function privateCheckout(): Promise<{ parent: string; checkout: string }> {
  await Deno.mkdir(TEST_DATA, { recursive: true });
  const parent = await Deno.makeTempDir({ dir: TEST_DATA, prefix: "private-" });
  assert.equal((await Deno.stat(parent)).mode! & 0o777, 0o700, "makeTempDir gives what mktemp -d gives");
  const checkout = join(parent, "verifa");
  await Deno.mkdir(checkout);
  const copy = await run([
    "sh",
    "-c",
    `git ls-files -z -co --exclude-standard | tar --null -T - -cf - | tar -xf - -C '${checkout}' && cp -al node_modules '${checkout}/node_modules'`,
  ], baseEnv({}));
  assert.equal(copy.exit?.code, 0, copy.describe());
  return { parent, checkout };
}

/** One sentence for the operator: no stack frame, no `Uncaught`, and it names what to change. */
function assertOneSentence(proc: Proc, names: RegExp): void {
  assert.equal(proc.exit?.code, 78, `EX_CONFIG, so supervisors do not restart it\n${proc.describe()}`);
  assert.doesNotMatch(proc.stderr, /^\s+at /m, `no stack trace\n${proc.describe()}`);
  assert.doesNotMatch(proc.stderr, /Uncaught|undefined/, proc.describe());
  // Besides the progress line of embedded mode, the failure is the one line on stderr.
  const lines = proc.stderr.split("\n").map((line) => line.trim()).filter(Boolean)
    .filter((line) => !line.startsWith("starting embedded Postgres on "));
  assert.equal(lines.length, 1, `exactly one line on stderr\n${proc.describe()}`);
  assert.match(lines[0], names, proc.describe());
  assert.doesNotMatch(proc.stdout, /vk_/, "no keys are printed by a start that fails");
}

/** Holds a TCP port the way another program would, for the length of `body`. */
async function holdingPort<T>(hostname: string, body: (port: number) => Promise<T>): Promise<T> {
  const listener = Deno.listen({ hostname, port: 0 });
  try {
    return await body((listener.addr as Deno.NetAddr).port);
  } finally {
    listener.close();
  }
}

Deno.test("deno task start from a checkout in a 0700 folder boots, serves and stops cleanly", async () => {
  const { parent, checkout } = await privateCheckout();
  const port = freePort();
  const pgData = join(checkout, ".verifa", "postgres");
  // No VERIFA_DATA_DIR: the README's command, run where the clone landed.
  const env = baseEnv({ PORT: String(port), VERIFA_EMBEDDED_PG_PORT: String(freePort()) });
  let proc: Proc | null = null;
  let relocated: string | null = null;
  try {
    proc = new Proc(START, env, checkout);
    await waitForHealth(proc, port);
    assert.match(proc.stdout, /sandbox secret key:\s+vk_sandbox_/);
    if (Deno.uid() === 0) {
      // Postgres runs as `postgres`, who cannot enter the 0700 folder: its data is kept where it can
      // and the asked-for path leads there.
      const link = await Deno.lstat(pgData);
      assert.ok(link.isSymlink, "the data dir the operator asked for points at the real one");
      relocated = await Deno.readLink(pgData);
      assert.ok(await exists(join(relocated, "PG_VERSION")));
    } else {
      assert.ok(await exists(join(pgData, "PG_VERSION")));
    }
    const key = /sandbox secret key:\s+(\S+)/.exec(proc.stdout)![1];
    const created = await fetch(`http://127.0.0.1:${port}/api/v1/sessions`, {
      method: "POST",
      headers: { "X-API-Key": key, "Content-Type": "application/json" },
      body: JSON.stringify({ external_ref: "user_12345" }),
    });
    assert.equal(created.status, 201, await created.text());

    const status = await proc.terminate();
    assert.equal(status.code, 0, proc.describe());
    assert.doesNotMatch(proc.stdout + proc.stderr, /"level":"error"|EPERM/, proc.describe());
    assert.equal(await exists(join(relocated ?? pgData, "postmaster.pid")), false, "Postgres stopped");
  } finally {
    if (proc) await proc.terminate().catch(() => {});
    await stopStrayPostgres(relocated ?? pgData);
    if (relocated) await Deno.remove(relocated, { recursive: true });
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("boot failures are one sentence and exit 78, with nothing left running", async (t) => {
  await t.step("the embedded Postgres port is taken: names VERIFA_EMBEDDED_PG_PORT", async () => {
    const dataDir = await makeDataDir("start-pgport-");
    try {
      await holdingPort("127.0.0.1", async (taken) => {
        const proc = await run(
          START,
          baseEnv({ VERIFA_DATA_DIR: dataDir, PORT: String(freePort()), VERIFA_EMBEDDED_PG_PORT: String(taken) }),
        );
        assertOneSentence(proc, new RegExp(`Port ${taken} .*in use.*set VERIFA_EMBEDDED_PG_PORT to a free port`));
      });
    } finally {
      await stopStrayPostgres(`${dataDir}/postgres`);
      await Deno.remove(dataDir, { recursive: true });
    }
  });

  await t.step("the API port is taken: names PORT, and the embedded Postgres it started is stopped", async () => {
    const dataDir = await makeDataDir("start-apiport-");
    try {
      await holdingPort("0.0.0.0", async (taken) => {
        const proc = await run(
          START,
          baseEnv({ VERIFA_DATA_DIR: dataDir, PORT: String(taken), VERIFA_EMBEDDED_PG_PORT: String(freePort()) }),
        );
        assertOneSentence(proc, new RegExp(`Port ${taken} is already in use.*set PORT to a free port`));
      });
      const pgData = `${dataDir}/postgres`;
      const real = (await Deno.lstat(pgData).catch(() => null))?.isSymlink ? await Deno.readLink(pgData) : pgData;
      assert.equal(await exists(`${real}/postmaster.pid`), false, "the embedded Postgres was stopped");
    } finally {
      await stopStrayPostgres(`${dataDir}/postgres`);
      await Deno.remove(dataDir, { recursive: true });
    }
  });

  await t.step("DATABASE_URL names a Postgres that is not there: says to check it", async () => {
    const dataDir = await makeDataDir("start-nodb-");
    try {
      const closed = freePort();
      const proc = await run(
        START,
        baseEnv({
          ...generateKeyMaterial(),
          DATABASE_URL: `postgres://verifa:secret@127.0.0.1:${closed}/verifa`,
          VERIFA_DATA_DIR: dataDir,
          PORT: String(freePort()),
        }),
      );
      assertOneSentence(proc, /cannot reach the database.*check DATABASE_URL/);
      assert.doesNotMatch(proc.stderr, /secret/, "the password in DATABASE_URL is not echoed");
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  });
});
