/**
 * `deno task rederive-faces [--batch-size 50] [--json]`: after the migration to the dlib face
 * descriptor, re-computes every stored face template of an older model from its session's stored
 * selfie (else document front) with the live face engine (core/verification/face_templates.ts),
 * with progress on stderr. Resumable; templates whose images are gone keep their old model and are
 * never compared with new ones. Exit 0 when nothing re-derivable is left.
 */
import { parseArgs } from "node:util";
import { withProductDeps } from "../core/embedded/embedded_env.ts";
import { interruptOnCtrlC } from "../core/embedded/interrupt.ts";
import { rederiveFaceTemplates } from "../core/verification/face_templates.ts";

const { values } = parseArgs({
  options: { "batch-size": { type: "string", default: "50" }, json: { type: "boolean", default: false } },
});
const batchSize = Number(values["batch-size"]);
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1_000) {
  console.error("usage: deno task rederive-faces [--batch-size 1..1000] [--json]");
  Deno.exit(64);
}

const signal = interruptOnCtrlC();

const report = await withProductDeps((deps) =>
  rederiveFaceTemplates(deps, {
    batchSize,
    signal,
    onProgress: (p) => console.error(`face templates: ${p.done}/${p.total}`),
  })
);
if (values.json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`re-derived: ${report.rederived}`);
  console.log(`kept under the old model (no stored image or no face): ${report.kept_old_model}`);
}
if (report.interrupted) {
  console.error("interrupted: run the command again to resume");
  Deno.exit(130);
}
