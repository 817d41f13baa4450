/**
 * Owns proving an organisation's audit chain intact: it walks the sealed rows in `sequence_num`
 * order, recomputing every hash, and names the first row where the chain breaks; and it counts the
 * rows still waiting for the sealer (seal.ts), so that a sealer that stopped shows.
 */
import type { DbOrTx } from "../db/create_db.ts";
import { auditRowHash, GENESIS_HASH, type SealedAuditRow } from "./log.ts";
import { unsealedBacklog } from "./seal.ts";

export type ChainBreakReason = "sequence_gap" | "prev_hash_mismatch" | "hash_mismatch" | "anchor_mismatch";

export interface ChainBreak {
  sequenceNum: number;
  /** The row where the break shows; null when the row the anchor names is missing. */
  id: string | null;
  reason: ChainBreakReason;
  detail: string;
}

export interface ChainReport {
  orgId: string;
  /** Rows checked (up to the break, when there is one). */
  rows: number;
  head: { sequenceNum: number; hash: string } | null;
  broken: ChainBreak | null;
  /** Rows appended but not sealed yet (no place in the chain, so nothing to verify yet). */
  unsealed: { rows: number; oldestCreatedAt: Date | null };
}

/**
 * A head recorded earlier (e.g. printed by the verifier and kept elsewhere). The chain alone cannot
 * show rows removed from its end; checking that this row still exists with this hash can.
 */
export interface ChainAnchor {
  sequenceNum: number;
  hash: string;
}

const BATCH = 1000;

export async function verifyOrgChain(db: DbOrTx, orgId: string, anchor?: ChainAnchor): Promise<ChainReport> {
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  let anchorSeen = false;
  // Counted first: a row sealed while the chain is walked is then verified, not missed by both.
  const unsealed = await unsealedBacklog(db, orgId);
  const report = (broken: ChainBreak | null): ChainReport => ({
    orgId,
    rows,
    head: rows > 0 ? { sequenceNum: expected - 1, hash: prevHash } : null,
    broken,
    unsealed,
  });

  for (;;) {
    // Keyset pages in chain order; `>=` of the expected number so a gap shows as the next row found.
    const page = await db.selectFrom("audit_log").selectAll().where("org_id", "=", orgId)
      .where("sequence_num", ">=", expected).orderBy("sequence_num").limit(BATCH).execute();
    for (const row of page) {
      const seq = Number(row.sequence_num);
      if (seq !== expected) {
        const missing = seq - 1 === expected ? `row ${expected} is missing` : `rows ${expected}–${seq - 1} are missing`;
        return report({ sequenceNum: seq, id: row.id, reason: "sequence_gap", detail: `gap in sequence: ${missing}` });
      }
      if (row.prev_hash !== prevHash) {
        return report({
          sequenceNum: seq,
          id: row.id,
          reason: "prev_hash_mismatch",
          detail: seq === 1
            ? "prev_hash of the first row is not the genesis hash"
            : `prev_hash does not match the hash of row ${seq - 1} (that row was rewritten, or rows were replaced)`,
        });
      }
      // Sealed rows only (`>=` skips nulls), so the chain fields are set.
      const recomputed = auditRowHash(row as SealedAuditRow);
      if (row.hash !== recomputed) {
        return report({
          sequenceNum: seq,
          id: row.id,
          reason: "hash_mismatch",
          detail: "hash mismatch: the stored hash does not match the row's fields (the row was altered)",
        });
      }
      if (anchor && seq === anchor.sequenceNum) {
        if (row.hash !== anchor.hash) {
          return report({
            sequenceNum: seq,
            id: row.id,
            reason: "anchor_mismatch",
            detail: "hash differs from the recorded anchor (the chain up to here was rebuilt)",
          });
        }
        anchorSeen = true;
      }
      rows++;
      expected = seq + 1;
      prevHash = row.hash!;
    }
    if (page.length < BATCH) break;
  }
  if (anchor && !anchorSeen) {
    return report({
      sequenceNum: anchor.sequenceNum,
      id: null,
      reason: "anchor_mismatch",
      detail: `the log ends at row ${
        expected - 1
      } but the anchor records row ${anchor.sequenceNum} (rows were removed from the end)`,
    });
  }
  return report(null);
}
