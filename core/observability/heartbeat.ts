/**
 * Owns the worker's heartbeat: every few seconds the worker proves its job runner still reaches
 * the database (a round trip through pg-boss's own pool) and its event loop still turns; readiness
 * fails once the last beat is older than `staleAfterMs`, e.g. a wedged loop, a pool that lost
 * Postgres, or a worker that has begun to stop.
 */

export interface Heartbeat {
  /** Milliseconds since the last successful beat; Infinity before the first. */
  ageMs(): number;
  fresh(): boolean;
  stop(): void;
}

export const HEARTBEAT_INTERVAL_MS = 5_000;
/** Three missed beats. */
export const HEARTBEAT_STALE_AFTER_MS = 15_000;

export function startHeartbeat(
  probe: () => Promise<unknown>,
  { intervalMs = HEARTBEAT_INTERVAL_MS, staleAfterMs = HEARTBEAT_STALE_AFTER_MS } = {},
): Heartbeat {
  let last = -Infinity;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const beat = async () => {
    try {
      await probe();
      if (!stopped) last = performance.now();
    } catch {
      // A failed beat simply does not count; readiness says so once the last one is stale.
    }
    if (!stopped) timer = setTimeout(beat, intervalMs);
  };
  void beat();
  const ageMs = () => performance.now() - last;
  return {
    ageMs,
    fresh: () => !stopped && ageMs() <= staleAfterMs,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
