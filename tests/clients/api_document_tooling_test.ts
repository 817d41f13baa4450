/**
 * Owns the checks that run third-party tooling on the API document: `@redocly/cli lint` (the
 * recommended rules, api/openapi/redocly.yaml) finds no error and no warning, and the typed
 * client's generated clients/typescript/api_types.ts is what `deno task client:generate` writes
 * from today's document. Both run as real subprocesses, with the versions pinned in deno.json.
 */
import assert from "node:assert/strict";
import { openApiDocument } from "../../api/openapi/document.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const decoder = new TextDecoder();

async function deno(args: string[]): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return { code, output: decoder.decode(stdout) + decoder.decode(stderr) };
}

function pinned(name: string): string {
  const config = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`));
  const specifier = config.imports[name];
  assert.match(specifier, /^npm:.+@\d+\.\d+\.\d+$/, `${name} must be pinned to an exact version in deno.json`);
  return specifier;
}

Deno.test("API document tooling", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "verifa-openapi-tooling-" });
  try {
    await t.step("@redocly/cli lint: no errors, no warnings", async () => {
      const file = `${dir}/openapi.json`;
      await Deno.writeTextFile(file, JSON.stringify(openApiDocument(), null, 2));
      const { code, output } = await deno([
        "run",
        "-A",
        pinned("@redocly/cli"),
        "lint",
        file,
        "--config",
        "api/openapi/redocly.yaml",
        "--format=stylish",
      ]);
      assert.equal(code, 0, output);
      assert.match(output, /Your API description is valid/, output);
      assert.doesNotMatch(output, /warning|error/i, output);
    });

    await t.step("clients/typescript/api_types.ts is generated from today's document", async () => {
      const out = `${dir}/api_types.ts`;
      const { code, output } = await deno(["run", "-A", "scripts/generate_client_types.ts", "--out", out]);
      assert.equal(code, 0, output);
      const fresh = await Deno.readTextFile(out);
      const committed = await Deno.readTextFile(`${ROOT}clients/typescript/api_types.ts`);
      assert.ok(fresh === committed, "api_types.ts is stale: run `deno task client:generate` and commit it");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
