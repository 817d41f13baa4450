/**
 * `deno task rotate-keys [--batch-size 200] [--json]`: after a new key was put FIRST in
 * VERIFA_ENCRYPTION_KEYS (and every API and worker process restarted with that ring), re-encrypts
 * every stored `_enc` value and re-wraps every document object under it (core/crypto/rotation.ts),
 * with progress on stderr. Resumable: values already under the first key are skipped, so after an
 * interruption run it again. Exit 0 means nothing is left under an older key: the old key can then
 * be removed from the ring. Exit 1 names what is left (rows locked by a concurrent transaction, or
 * values that would not decrypt); run again.
 */
import { parseArgs } from "node:util";
import { withProductDeps } from "../core/embedded/embedded_env.ts";
import { interruptOnCtrlC } from "../core/embedded/interrupt.ts";
import { rotateKeys, type RotationReport } from "../core/crypto/rotation.ts";

const { values } = parseArgs({
  options: { "batch-size": { type: "string", default: "200" }, json: { type: "boolean", default: false } },
});
const batchSize = Number(values["batch-size"]);
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
  console.error("usage: deno task rotate-keys [--batch-size 1..10000] [--json]");
  Deno.exit(64);
}

const signal = interruptOnCtrlC();

const encoder = new TextEncoder();
const started = performance.now();
let last = 0;
const report: RotationReport = await withProductDeps((deps) =>
  rotateKeys(deps, {
    batchSize,
    signal,
    onProgress: (p) => {
      const now = performance.now();
      if (now - last < 200 && p.done < p.total) return;
      last = now;
      const rate = p.done / Math.max(0.001, (now - started) / 1000);
      Deno.stderr.writeSync(encoder.encode(`${p.target}: ${p.done}/${p.total}  ${rate.toFixed(0)}/s\n`));
    },
  })
);

if (values.json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`primary key: ${report.primary_key_id}`);
  for (const [target, n] of Object.entries(report.rotated)) if (n > 0) console.log(`  ${target}: ${n} re-encrypted`);
  for (const f of report.failed) console.log(`  FAILED ${f.target} ${f.row}: ${f.error}`);
  if (report.missing_objects) console.log(`  ${report.missing_objects} document objects missing from the store`);
  for (const [target, n] of Object.entries(report.remaining)) console.log(`  left under an older key: ${target} ${n}`);
}
if (report.interrupted) {
  console.error("interrupted: run the command again to resume");
  Deno.exit(130);
}
if (report.failed.length > 0 || Object.keys(report.remaining).length > 0) {
  console.error("some values are not yet under the first key: run the command again (see above)");
  Deno.exit(1);
}
(values.json ? console.error : console.log)(
  "every stored value is under the first key: the old keys can be removed from VERIFA_ENCRYPTION_KEYS",
);
