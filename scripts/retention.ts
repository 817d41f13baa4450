/**
 * `deno task retention [--dry-run] [--org org_…|slug] [--batch-size N] [--concurrency N] [--json]`:
 * applies the retention policy by hand — the same code as the worker's hourly `retention.sweep`
 * (core/retention/sweep.ts). `--dry-run` prints what would go (per organisation: due, would be
 * redacted, held by a session or identity legal hold, kept because auto-redact is off) and changes
 * nothing. Otherwise a progress bar runs on stderr; each batch (`--batch-size` sessions,
 * `--concurrency` batches at once) commits whole or not at all, so after an interruption (Ctrl-C,
 * kill, a crash) running the command again resumes without redoing any. First Ctrl-C: finish the
 * batches in flight and stop; second: stop at once (those roll back).
 */
import { parseArgs } from "node:util";
import { withProductDeps } from "../core/embedded/embedded_env.ts";
import { takeOverShutdownSignals } from "../core/embedded/embedded_postgres.ts";
import { type RetentionReport, type SweepProgress, sweepRetention } from "../core/retention/sweep.ts";

const USAGE = "usage: deno task retention [--dry-run] [--org <id|slug>] [--batch-size 200] [--concurrency 4] [--json]";

const { values } = parseArgs({
  options: {
    "dry-run": { type: "boolean", default: false },
    org: { type: "string" },
    "batch-size": { type: "string", default: "200" },
    concurrency: { type: "string", default: "4" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const batchSize = Number(values["batch-size"]);
const concurrency = Number(values.concurrency);
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
  console.error(`--batch-size must be an integer from 1 to 10000\n${USAGE}`);
  Deno.exit(64);
}
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
  console.error(`--concurrency must be an integer from 1 to 32\n${USAGE}`);
  Deno.exit(64);
}

const encoder = new TextEncoder();
const tty = Deno.stderr.isTerminal();
const startedAt = performance.now();
let lastDraw = 0;

/** `[#####.....] 120/300  40%  35.2/s  eta 5s` on stderr: redrawn in place on a terminal, a line every 200 ms otherwise. */
function drawProgress(p: SweepProgress, final = false): void {
  const now = performance.now();
  if (!final && now - lastDraw < 200) return;
  lastDraw = now;
  const width = 30;
  const share = p.total === 0 ? 1 : Math.min(1, p.done / p.total);
  const filled = Math.round(share * width);
  const seconds = (now - startedAt) / 1000;
  const rate = seconds > 0 ? p.done / seconds : 0;
  const eta = rate > 0 ? Math.ceil((p.total - p.done) / rate) : 0;
  const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${p.done}/${p.total} ` +
    `${Math.floor(share * 100)}%  ${rate.toFixed(1)}/s  redacted ${p.redacted}  eta ${eta}s`;
  Deno.stderr.writeSync(encoder.encode(tty ? `\r${line}\x1b[K${final ? "\n" : ""}` : `${line}\n`));
}

// embedded-postgres exits on SIGINT by itself; Ctrl-C here must first let the sessions in flight commit.
takeOverShutdownSignals();
const controller = new AbortController();
let interrupts = 0;
const onSigint = () => {
  interrupts++;
  if (interrupts === 1) {
    console.error("\ninterrupt: finishing the sessions in flight (Ctrl-C again to stop at once)");
    controller.abort();
  } else {
    Deno.exit(130);
  }
};
Deno.addSignalListener("SIGINT", onSigint);

let lastProgress: SweepProgress = { done: 0, total: 0, redacted: 0 };
const report: RetentionReport = await withProductDeps(
  (deps) =>
    sweepRetention(deps, {
      dryRun: values["dry-run"],
      org: values.org,
      batchSize,
      concurrency,
      actor: { type: "script", id: "scripts/retention" },
      signal: controller.signal,
      onProgress: (p) => {
        lastProgress = p;
        drawProgress(p);
      },
    }),
  { poolSize: concurrency + 2 },
);
Deno.removeSignalListener("SIGINT", onSigint);
if (!report.dry_run && lastProgress.total > 0) drawProgress(lastProgress, true);

if (values.org && report.orgs.length === 0) {
  console.error(`organisation ${values.org} not found, or it has no data_retention_days`);
}

if (values.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(report.dry_run ? "retention dry run: nothing was changed" : "retention run");
  for (const o of report.orgs) {
    console.log(
      `${o.org_id} (${o.slug}): data_retention_days ${o.data_retention_days}, auto-redact ` +
        `${o.auto_redact_on_retention_expiry ? "on" : "off"}: due ${o.due}, ` +
        `${report.dry_run ? "would redact" : "redacted"} ${o.redacted}, held ${o.held_session} (session) + ` +
        `${o.held_identity} (identity), kept (auto-redact off) ${o.kept_auto_redact_off}` +
        (report.dry_run ? "" : `, skipped ${o.skipped}, failed ${o.failed}`),
    );
  }
  const t = report.totals;
  console.log(
    `total: due ${t.due}, ${report.dry_run ? "would redact" : "redacted"} ${t.redacted}, held ${t.held}, ` +
      `kept ${t.kept_auto_redact_off}${report.dry_run ? "" : `, skipped ${t.skipped}, failed ${t.failed}`}`,
  );
}
if (report.interrupted) {
  console.error("interrupted: everything redacted so far is committed; run the command again to resume");
  Deno.exit(130);
}
if (report.totals.failed > 0) Deno.exit(1);
