/**
 * Owns the review queue's tabs — which cases each shows, and how many: unassigned (open), mine
 * (active cases assigned to the reviewer), pending_second_review, escalated, and all (every case
 * of the environment, decided ones included).
 */
import type { CaseStatus } from "../db/database.ts";
import type { DbOrTx } from "../db/create_db.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { type CaseFilters, countCasesByStatus } from "./repository.ts";
import { ACTIVE_CASE_STATUSES } from "./status.ts";

export const CASE_TABS = ["unassigned", "mine", "pending_second_review", "escalated", "all"] as const;
export type CaseTab = typeof CASE_TABS[number];

/** The tab as list filters; `mine` is the given reviewer's. */
export function tabFilters(tab: CaseTab, reviewer: string): CaseFilters {
  switch (tab) {
    case "unassigned":
      return { status: ["open"] };
    case "mine":
      return { status: [...ACTIVE_CASE_STATUSES], assignedTo: reviewer };
    case "pending_second_review":
    case "escalated":
      return { status: [tab] };
    case "all":
      return {};
  }
}

export async function caseCounts(db: DbOrTx, scope: Scope, reviewer: string) {
  const rows = await countCasesByStatus(db, scope, reviewer);
  const count = (status: CaseStatus) => rows.find((r) => r.status === status)?.n ?? 0;
  return {
    unassigned: count("open"),
    mine: rows.filter((r) => ACTIVE_CASE_STATUSES.includes(r.status)).reduce((sum, r) => sum + r.mine, 0),
    pending_second_review: count("pending_second_review"),
    escalated: count("escalated"),
    all: rows.reduce((sum, r) => sum + r.n, 0),
  };
}
