/**
 * Owns planting webhook delivery history for tests that need a delivery in a given state (a failed
 * one to retry) without running the relay and a failing receiver through six attempts.
 */
import type { TestWorld } from "./test_app.ts";
import { newId } from "../../core/ids.ts";

/**
 * A delivery that failed after its last retry (HTTP 500), with a sealed payload as the relay
 * writes one, for `endpointId` and optionally a session. Returns its id.
 */
export async function insertFailedDelivery(
  world: TestWorld,
  { endpointId, url, sessionId = null, eventType = "session.approved", environment = "sandbox" }: {
    endpointId: string;
    url: string;
    sessionId?: string | null;
    eventType?: string;
    environment?: "sandbox" | "live";
  },
): Promise<string> {
  const id = newId("whd");
  const now = world.clock.now();
  await world.db.insertInto("webhook_deliveries").values({
    id,
    org_id: world.org.org_id,
    environment,
    endpoint_id: endpointId,
    event_id: null,
    event_type: eventType,
    session_id: sessionId,
    idempotency_key: newId("idk"),
    url,
    payload_enc: world.deps.keyRing.encrypt(new TextEncoder().encode("{}"), {
      table: "webhook_deliveries",
      column: "payload_enc",
      rowId: id,
    }),
    status: "failed",
    attempt_count: 6,
    next_attempt_at: null,
    last_status_code: 500,
    last_error: "HTTP 500",
    created_at: now,
    updated_at: now,
    completed_at: now,
  }).execute();
  return id;
}
