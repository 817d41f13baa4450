/** Owns the catalogue of webhook event types an endpoint can subscribe to. */

export const WEBHOOK_EVENT_TYPES: Record<string, string> = {
  "session.created": "A session was created.",
  "session.started": "The applicant opened the capture flow and gave consent.",
  "session.expired": "The capture window passed (or the session was expired) before capture completed.",
  "session.approved": "The session was approved, automatically or by a reviewer.",
  "session.declined": "The session was rejected.",
  "session.requires-review": "The session needs manual review.",
  "session.resubmission-required": "The document photos could not be read; the applicant must start a new session.",
  "session.awaiting_external": "The workflow paused at an external gate and waits for your decision.",
  "session.redacted": "The session's personal data and documents were permanently deleted.",
  "session.retention-expired": "The session's retention window passed and its data was removed.",
  "identity.created": "An identity was created.",
  "identity.updated": "An identity was created or updated.",
  "identity.flagged": "An identity was flagged for review.",
  "identity.archived": "An identity was archived.",
  "identity.restored": "An identity was restored.",
  "identity.tag-added": "A tag was added to an identity.",
  "identity.tag-removed": "A tag was removed from an identity.",
  "case.created": "A review case was opened.",
  "case.approved": "A review case was approved.",
  "case.rejected": "A review case was rejected.",
  "case.escalated": "A review case was escalated.",
  "webhook.test": "A test event sent from the API or dashboard.",
};

export function isKnownEventType(type: string): boolean {
  return type === "*" || type in WEBHOOK_EVENT_TYPES;
}

/** Empty or "*" subscribes to everything. */
export function subscribes(enabledEvents: string[], type: string): boolean {
  return enabledEvents.length === 0 || enabledEvents.includes("*") || enabledEvents.includes(type);
}
