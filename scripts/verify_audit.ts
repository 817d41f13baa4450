/**
 * `deno task verify-audit [--org org_…|slug] [--anchor <sequence_num>:<hash>] [--seal]
 * [--max-unsealed-age <seconds>]`: recomputes the audit log's hash chain of one organisation, or of
 * every organisation, and proves it intact (exit 0, "audit chain intact: N rows") or names the
 * first broken row, its sequence_num, id and why (exit 1). Each organisation's head is printed:
 * keep it elsewhere and pass it back as `--anchor` later, which also catches rows removed from the
 * end of the chain.
 *
 * Rows not sealed yet (core/audit/seal.ts) have no place in the chain to check. They are counted;
 * one older than --max-unsealed-age (default two sealing intervals: one run may be in flight) means
 * the sealer stopped, and is reported like a break (exit 1). `--seal` seals first, as the worker's
 * `audit.seal` job would; without it the check changes nothing.
 */
import { parseArgs } from "node:util";
import { withProductDatabase } from "../core/embedded/embedded_env.ts";
import { type ChainAnchor, type ChainReport, verifyOrgChain } from "../core/audit/verify.ts";
import { sealAuditLog, SEALING_INTERVAL_SECONDS } from "../core/audit/seal.ts";

const { values } = parseArgs({
  options: {
    org: { type: "string" },
    anchor: { type: "string" },
    seal: { type: "boolean" },
    "max-unsealed-age": { type: "string" },
  },
});
const maxUnsealedAge = values["max-unsealed-age"] ?? String(2 * SEALING_INTERVAL_SECONDS);
if (!/^\d+$/.test(maxUnsealedAge)) {
  console.error("--max-unsealed-age takes a whole number of seconds");
  Deno.exit(64);
}
const maxUnsealedAgeMs = Number(maxUnsealedAge) * 1000;
let anchor: ChainAnchor | undefined;
if (values.anchor !== undefined) {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(values.anchor);
  if (!match || !values.org) {
    console.error("--anchor takes <sequence_num>:<64 hex hash> and needs --org");
    Deno.exit(64);
  }
  anchor = { sequenceNum: Number(match[1]), hash: match[2] };
}

type Outcome = { missingOrg: string } | { reports: (ChainReport & { slug: string })[] };

const outcome: Outcome = await withProductDatabase(async (db) => {
  let orgs = db.selectFrom("organizations").select(["id", "slug"]).orderBy("created_at").orderBy("id");
  if (values.org) orgs = orgs.where((eb) => eb.or([eb("id", "=", values.org!), eb("slug", "=", values.org!)]));
  const found = await orgs.execute();
  if (values.org && found.length === 0) return { missingOrg: values.org };
  const reports = [];
  for (const org of found) {
    if (values.seal) await sealAuditLog(db, org.id);
    reports.push({ ...await verifyOrgChain(db, org.id, anchor), slug: org.slug });
  }
  return { reports };
});

if ("missingOrg" in outcome) {
  console.error(`organisation ${outcome.missingOrg} not found`);
  Deno.exit(65);
}

let total = 0;
let broken = 0;
let stale = 0;
const now = Date.now();
for (const report of outcome.reports) {
  const name = `${report.orgId} (${report.slug})`;
  const { rows: unsealed, oldestCreatedAt } = report.unsealed;
  if (oldestCreatedAt && now - oldestCreatedAt.getTime() > maxUnsealedAgeMs) {
    stale++;
    console.log(
      `UNSEALED ${name}: ${unsealed} rows not sealed, the oldest from ${oldestCreatedAt.toISOString()} ` +
        `(older than ${maxUnsealedAge} s: is the worker's audit.seal job running?)`,
    );
  }
  if (report.broken) {
    broken++;
    const { sequenceNum, id, detail } = report.broken;
    console.log(`BROKEN ${name}: first broken row sequence_num ${sequenceNum} (${id ?? "missing"}): ${detail}`);
    continue;
  }
  total += report.rows;
  const head = report.head ? `, head ${report.head.sequenceNum}:${report.head.hash}` : "";
  const waiting = unsealed > 0 ? ` (+${unsealed} not sealed yet)` : "";
  console.log(`ok ${name}: ${report.rows} rows${head}${waiting}`);
}
if (broken > 0) console.log(`audit chain BROKEN in ${broken} of ${outcome.reports.length} organisations`);
if (stale > 0) console.log(`audit rows left unsealed in ${stale} of ${outcome.reports.length} organisations`);
if (broken > 0 || stale > 0) Deno.exit(1);
console.log(`audit chain intact: ${total} rows`);
