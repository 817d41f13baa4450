/**
 * `deno task eval`: the live checks measured on real material — every specimen document of
 * eval/corpus/documents/ under every phone-photo condition, and every labelled face pair of
 * eval/corpus/faces/ — printed as the tables a reviewer reads (eval/documents.ts, eval/face.ts).
 * A benchmark of accuracy, not a test: it exits 0 whatever it measures, 1 only when it cannot run.
 *
 *   deno task eval [documents] [faces] [--json] [--condition clean,dim] [--only est-passport]
 *
 * `--condition` and `--only` restrict the documents to some phone-photo conditions or specimens
 * (while iterating; the reported numbers are of the whole run).
 * Material fetched from public repositories lives in eval/.corpus-local/ (never committed); see
 * each manifest for its source, licence and the script that assembles it. Without it, the run
 * measures what the npm packages ship and says what was absent.
 */
import { evaluateDocuments, formatDocumentReport } from "./documents.ts";
import { evaluateFaces, formatFaceReport } from "./face.ts";
import { CONDITIONS } from "./conditions.ts";

const PARTS = ["documents", "faces"] as const;
type Part = typeof PARTS[number];

const option = (name: string) => {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1]?.split(",") : undefined;
};
const conditionNames = option("condition");
const only = option("only");
const optionValues = new Set(
  ["condition", "only"].map((n) => Deno.args.indexOf(`--${n}`)).filter((i) => i >= 0).map((i) => i + 1),
);
const args = Deno.args.filter((a, i) => !a.startsWith("--") && !optionValues.has(i));
const unknown = args.filter((a) => !PARTS.includes(a as Part));
if (unknown.length) {
  console.error(`unknown part(s): ${unknown.join(", ")}; available: ${PARTS.join(", ")}`);
  Deno.exit(2);
}
const selected: Part[] = args.length ? args as Part[] : [...PARTS];
const json = Deno.args.includes("--json");
const progress = (line: string) => console.error(line);

const records: Record<string, unknown> = {};
try {
  if (selected.includes("documents")) {
    const unknownConditions = (conditionNames ?? []).filter((n) => !CONDITIONS.some((c) => c.name === n));
    if (unknownConditions.length) {
      console.error(
        `unknown condition(s): ${unknownConditions.join(", ")}; available: ${CONDITIONS.map((c) => c.name)}`,
      );
      Deno.exit(2);
    }
    const report = await evaluateDocuments({
      conditions: conditionNames && CONDITIONS.filter((c) => conditionNames.includes(c.name)),
      only,
      onResult: (r) =>
        progress(`documents ${r.condition} ${r.id}: ${r.exact ? "exact" : "wrong"} ${Math.round(r.ms)} ms`),
    });
    console.log(formatDocumentReport(report), "\n");
    records.documents = { ...report, results: undefined };
  }
  if (selected.includes("faces")) {
    const report = await evaluateFaces({ log: progress });
    console.log(formatFaceReport(report), "\n");
    records.faces = {
      ...report,
      descriptors: report.descriptors.map((d) => ({ ...d, scores: undefined })),
    };
  }
} catch (error) {
  console.error(`eval failed to run: ${error instanceof Error ? error.stack ?? error.message : error}`);
  Deno.exit(1);
}
if (json) console.log(JSON.stringify(records));
Deno.exit(0);
