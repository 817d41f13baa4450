/**
 * `deno task client:generate`: regenerates clients/typescript/api_types.ts from the API document
 * (api/openapi/document.ts, the same object GET /api/v1/openapi.json serves) with openapi-typescript,
 * then formats it. `--out <file>` writes elsewhere (the freshness test compares the two).
 */
import { openApiDocument } from "../api/openapi/document.ts";

/** Pinned in deno.json imports too, so `deno install` fetches it with the rest. */
const OPENAPI_TYPESCRIPT = "npm:openapi-typescript@7.13.0";
const DEFAULT_OUT = new URL("../clients/typescript/api_types.ts", import.meta.url).pathname;

const outFlag = Deno.args.indexOf("--out");
const out = outFlag >= 0 ? Deno.args[outFlag + 1] : DEFAULT_OUT;
if (!out) {
  console.error("usage: deno task client:generate [--out <file>]");
  Deno.exit(64);
}

async function run(args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "piped" }).output();
  if (code !== 0) {
    console.error(new TextDecoder().decode(stderr));
    Deno.exit(1);
  }
}

const documentFile = await Deno.makeTempFile({ prefix: "verifa-openapi-", suffix: ".json" });
try {
  await Deno.writeTextFile(documentFile, JSON.stringify(openApiDocument(), null, 2));
  await run(["run", "-A", OPENAPI_TYPESCRIPT, documentFile, "--output", out]);
  const header =
    "// Generated from the API document by `deno task client:generate` (openapi-typescript). Do not edit.\n";
  await Deno.writeTextFile(out, header + (await Deno.readTextFile(out)).replace(/^\/\*\*[\s\S]*?\*\/\n+/, ""));
  // The project's formatting (deno.json), wherever `out` is.
  await run(["fmt", "--quiet", "--config", new URL("../deno.json", import.meta.url).pathname, out]);
  console.log(`wrote ${out}`);
} finally {
  await Deno.remove(documentFile);
}
