import assert from "node:assert/strict";
import { parseAamva } from "../../core/engines/barcode.ts";
import { parseMrz, repairMrz } from "../../core/engines/mrz.ts";
import { installedPackage } from "../../core/engines/npm_package.ts";
import { remoteEngine } from "../../core/engines/sandbox/remote_engine.ts";
import { createSandboxedEngines } from "../../core/verification/engines.ts";
import { PROBE, PROBE_ENTRY } from "./offline_probe.ts";
import {
  aamvaText,
  faceImage,
  renderLicenceBack,
  renderMrzDocument,
  SAMPLE_LICENCE,
  SAMPLE_PASSPORT,
  td3Lines,
} from "./fixtures.ts";

/**
 * The engines run in the sandbox the worker uses (core/engines/sandbox/host.ts: --deny-net,
 * --deny-import, --cached-only, --deny-run, --deny-write, reads scoped to core/ and node_modules/,
 * none of our environment). The probe entry serves the same engines through the same host, plus
 * methods that try from inside what must fail, and a record of every URL anything fetched.
 */
const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("the engines run in a sandbox that cannot reach the network", async (t) => {
  // Set before the sandbox starts: a secret of the worker's environment must not follow it inside.
  Deno.env.set("VERIFA_SANDBOX_TEST_SECRET", "must-not-leak");
  const engines = createSandboxedEngines({ entry: PROBE_ENTRY });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  // The first connection the listener gets; the test's own sentinel must be it.
  const first = listener.accept();
  first.catch(() => {});
  try {
    const probe = await remoteEngine(engines.sandbox, "probe", PROBE);
    const url = `http://127.0.0.1:${port}/`;

    await t.step("fetch, Deno and node sockets, a remote import and a worker's fetch fail on permission", async () => {
      for (
        const [what, result] of Object.entries({
          fetch: await probe.fetch(url),
          connect: await probe.connect(port),
          nodeConnect: await probe.nodeConnect(port),
          workerFetch: await probe.workerFetch(url),
        })
      ) {
        assert.equal(result.ok, false, what);
        assert.equal(result.error, "NotCapable", `${what}: ${result.message}`);
        assert.match(result.message!, /net access/, what);
      }
      const remoteImport = await probe.importModule(`${url}module.js`);
      assert.equal(remoteImport.ok, false);
      assert.match(remoteImport.message!, /import access/);
    });

    await t.step("the listener saw no connection from inside", async () => {
      const sentinel = await Deno.connect({ hostname: "127.0.0.1", port });
      await sentinel.write(new TextEncoder().encode("S"));
      const conn = await first;
      const byte = new Uint8Array(1);
      assert.equal(await conn.read(byte), 1);
      assert.equal(String.fromCharCode(byte[0]), "S", "the first connection came from inside the sandbox");
      conn.close();
      sentinel.close();
    });

    await t.step("no subprocess, no writes, reads and native code only from core/ and node_modules/", async () => {
      assert.deepEqual(await probe.permissions(ROOT), {
        net: "denied",
        import: "denied",
        run: "denied",
        write: "denied",
        readProject: "prompt",
        readNodeModules: "granted",
        ffiNodeModules: "granted",
        ffiElsewhere: "prompt",
      });
      assert.equal((await probe.run()).error, "NotCapable");
      assert.equal((await probe.write(`${ROOT}core/sandbox-was-here`)).error, "NotCapable");
      assert.equal((await probe.read(`${ROOT}deno.json`)).error, "NotCapable");
      assert.equal((await probe.read("/etc/hostname")).error, "NotCapable");
      assert.equal((await probe.read(`${ROOT}core/errors.ts`)).ok, true);
    });

    await t.step("none of the worker's environment (database URL, keys) is inside", async () => {
      const env = await probe.env();
      assert.equal(env.VERIFA_SANDBOX_TEST_SECRET, undefined);
      // Only Deno's cache location is passed in; Deno (PATH to its node shims) and sharp (VIPSHOME) set the rest.
      const passed = ["HOME", "DENO_DIR", "XDG_CACHE_HOME"];
      assert.deepEqual(Object.keys(env).filter((name) => !passed.includes(name)).sort(), [
        "DENO_NODE_SHIM_ACTIVE",
        "DENO_NO_PROMPT",
        "DENO_NO_UPDATE_CHECK",
        "NO_COLOR",
        "PATH",
        "VIPSHOME",
      ]);
      assert.notEqual(env.PATH, Deno.env.get("PATH"));
    });

    await t.step("the three engines load and run there, from files inside installed npm packages", async () => {
      const lines = td3Lines(SAMPLE_PASSPORT);
      const aamva = aamvaText(SAMPLE_LICENCE);
      const [passport, licenceBack, portrait] = await Promise.all([
        renderMrzDocument(lines),
        renderLicenceBack(aamva),
        faceImage("personA"),
      ]);
      const started = performance.now();
      const [face, ocr, barcode] = await Promise.all([engines.face(), engines.ocr(), engines.barcode()]);
      const loadMs = Math.round(performance.now() - started);
      const faces = await face.detect(portrait);
      const mrz = await ocr.readMrz(passport);
      const pdf417 = await barcode.readPdf417(licenceBack);
      const memory = await engines.sandbox.memory();
      console.log(JSON.stringify({ loadMs, sandboxRssMb: Math.round(memory.rssBytes / 2 ** 20) }));

      const remote = (await probe.fetched()).filter((u) => !u.startsWith(`file://${ROOT}node_modules/`));
      assert.deepEqual(remote, [], "only package files may be fetched");
      assert.equal(faces.length, 1);
      assert.ok(faces[0].embedding.length > 0);
      const repaired = repairMrz(mrz.lines);
      assert.deepEqual(repaired?.lines, lines);
      assert.equal(parseMrz(repaired!).valid, true);
      assert.equal(pdf417?.text, aamva);
      assert.equal(parseAamva(pdf417!.text)?.documentNumber, "D1234567");
      // Each engine reports the package that did the work, at the version installed in node_modules.
      assert.deepEqual([face, ocr, barcode].map((e) => e.versions.engine), ["face", "ocr", "barcode"]);
      for (const { library } of [face.versions, ocr.versions, barcode.versions]) {
        const at = library.lastIndexOf("@");
        assert.equal(installedPackage(library.slice(0, at)).version, library.slice(at + 1), library);
      }
      await ocr.close();
    });
  } finally {
    Deno.env.delete("VERIFA_SANDBOX_TEST_SECRET");
    listener.close();
    await engines.close();
  }
});
