/**
 * Owns the erasure ledger: small objects written to the blob store — outside the database —
 * before the erasure commits, so that a database restored from an older backup can have every
 * erasure made since the backup re-applied (core/backup/restore.ts). The audit log records the
 * same erasures, but it lives in the database that was lost.
 *
 * An entry holds ids, a time and the reason: never personal data. One erasure is one object; a
 * batch of erasures committing together (the retention sweep's) is one object listing them all:
 * one write where a batch of 200 would cost 200 (each an fsync, or an S3 PUT). It is written
 * before the commit on purpose: a crash after the commit cannot lose it, and an erasure that then
 * fails to commit leaves an entry that a restore applies — erring toward erasure, which was asked
 * for anyway.
 */
import type { Environment } from "../db/database.ts";
import type { BlobStore } from "../storage/blob_store.ts";

export const LEDGER_PREFIX = "erasure-ledger/";

export interface ErasureEntry {
  kind: "session" | "identity";
  org_id: string;
  environment: Environment;
  /** `ses_…` or `idn_…`. */
  id: string;
  erased_at: string;
  reason: string;
}

const DAY_MS = 86_400_000;

/** One folder a UTC day, so a restore lists only the days since its snapshot. */
function dayFolder(at: Date): string {
  return `${LEDGER_PREFIX}${at.toISOString().slice(0, 10)}/`;
}

export function ledgerKey(entry: ErasureEntry): string {
  const at = new Date(entry.erased_at);
  const stamp = at.toISOString().replace(/[-:]/g, "").replace(".", "");
  return `${dayFolder(at)}${stamp}-${entry.kind}-${entry.id}.json`;
}

export async function recordErasure(blobs: BlobStore, entry: ErasureEntry): Promise<void> {
  await recordErasures(blobs, [entry]);
}

/**
 * Entries that commit together (same `erased_at`), in one object: a lone entry as itself, more as
 * `{"entries": [...]}` under the first one's key with `-batch<count>` before `.json`.
 */
export async function recordErasures(blobs: BlobStore, entries: ErasureEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const [first] = entries;
  const single = entries.length === 1;
  const key = single ? ledgerKey(first) : ledgerKey(first).replace(/\.json$/, `-batch${entries.length}.json`);
  const body = single ? first : { entries };
  await blobs.put(key, new TextEncoder().encode(JSON.stringify(body)), "application/json");
}

function isEntry(value: unknown): value is ErasureEntry {
  const v = value as Record<string, unknown> | null;
  return !!v && (v.kind === "session" || v.kind === "identity") && typeof v.org_id === "string" &&
    (v.environment === "sandbox" || v.environment === "live") && typeof v.id === "string" &&
    typeof v.erased_at === "string" && !Number.isNaN(Date.parse(v.erased_at)) && typeof v.reason === "string";
}

/**
 * The entries recorded from the UTC day before `since` up to now, oldest first. The day of slack
 * covers an erasure whose transaction began before the snapshot and committed after it; replaying
 * one the snapshot already holds is a no-op. Objects that are not entries are named, not used.
 */
export async function readErasures(
  blobs: BlobStore,
  since: Date,
  now = new Date(),
): Promise<{ entries: ErasureEntry[]; unreadable: string[] }> {
  const entries: { key: string; entry: ErasureEntry }[] = [];
  const unreadable: string[] = [];
  for (let day = since.getTime() - DAY_MS; day <= now.getTime() + DAY_MS; day += DAY_MS) {
    for await (const key of blobs.list(dayFolder(new Date(day)))) {
      const bytes = await blobs.get(key);
      let parsed: unknown = null;
      try {
        parsed = bytes && JSON.parse(new TextDecoder().decode(bytes));
      } catch { /* named below */ }
      const batch = (parsed as { entries?: unknown } | null)?.entries;
      if (isEntry(parsed)) entries.push({ key, entry: parsed });
      else if (Array.isArray(batch) && batch.length > 0 && batch.every(isEntry)) {
        for (const entry of batch) entries.push({ key, entry });
      } else unreadable.push(key);
    }
  }
  // Keys start with the erasure's time to the millisecond, so key order is time order (a batch's
  // entries share their key and keep their order: the sort is stable).
  entries.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return { entries: entries.map((e) => e.entry), unreadable };
}
