/**
 * Owns the outbox relay loop: woken by Postgres NOTIFY when an event commits (and by a one-second
 * poll as a backstop), it turns events into webhook deliveries until none are left, two batches
 * at a time (SKIP LOCKED gives each its own events), so one batch's statements run while the
 * other's wait on Postgres.
 */
import pg from "pg";
import type { CoreDeps } from "../core/deps.ts";
import { relayEvents } from "../core/webhooks/relay.ts";

const BATCH = 200;
const POLL_MS = 1_000;
/** Relays in flight: two overlap a batch's round trips with the other's work; more only contend. */
const RELAYS = 2;

export interface RelayHandle {
  stop(): Promise<void>;
}

export async function startRelayLoop(deps: CoreDeps, databaseUrl: string): Promise<RelayHandle> {
  let running = true;
  let wake: (() => void) | null = null;
  const listener = new pg.Client({ connectionString: databaseUrl });
  listener.on("notification", () => wake?.());
  listener.on("error", (error: Error) => deps.log.warn("relay listener error", { error: error.message }));
  await listener.connect();
  await listener.query("LISTEN verifa_events");

  const loop = (async () => {
    while (running) {
      await Promise.all(Array.from({ length: RELAYS }, async () => {
        try {
          while (running && (await relayEvents(deps, BATCH)) === BATCH);
        } catch (error) {
          deps.log.error("relay failed", { error: error instanceof Error ? error.message : String(error) });
        }
      }));
      if (!running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();

  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
      await listener.end();
    },
  };
}
