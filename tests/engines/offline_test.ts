import assert from "node:assert/strict";

/**
 * The engines run with network denied and no downloads allowed: the probe runs in a child Deno
 * with --deny-net (fetch, sockets and node:http all fail), --cached-only (Deno itself may not
 * fetch a module) and no write permission (nothing cached to disk), and reports every URL that
 * was fetched at all. sharp's native addon needs --allow-ffi, scoped to node_modules.
 */
Deno.test("engines load and run offline, from files inside installed npm packages", async () => {
  const probe = new URL("./offline_probe.ts", import.meta.url).pathname;
  const root = new URL("../../", import.meta.url).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--cached-only",
      `--allow-read=${root}`,
      "--allow-env",
      "--allow-sys",
      `--allow-ffi=${root}node_modules`,
      "--deny-net",
      "--deny-write",
      "--deny-run",
      probe,
    ],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `probe failed:\n${stderr}\n${stdout}`);
  const report = JSON.parse(stdout.trim().split("\n").at(-1)!);
  console.log(JSON.stringify({ timings: report.timings, rssMb: report.rssMb }, null, 1));

  assert.deepEqual(report.permissions, { net: "denied", write: "denied", run: "denied" });
  const remote = report.fetched.filter((url: string) => !url.startsWith(`file://${root}node_modules/`));
  assert.deepEqual(remote, [], "only package files may be fetched");
  assert.deepEqual(report.results, {
    faces: 1,
    embedding: 1024,
    mrzExact: true,
    mrzValid: true,
    pdf417Exact: true,
    aamvaDocumentNumber: "D1234567",
  });
  assert.deepEqual(report.versions.map((v: { library: string }) => v.library), [
    "@vladmandic/human@3.3.6",
    "tesseract.js@7.0.0",
    "zxing-wasm@3.1.4",
  ]);
});
