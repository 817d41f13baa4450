/** Owns the document_expiration check: the document's expiry date (from the MRZ or barcode) must not have passed. */
import { type CheckModule, daysBetween, isoDay, reason, skipped } from "../check.ts";

export const documentExpiration: CheckModule<{ expires_on: string | null; today: string }> = {
  policy: "document_expiration",
  version: 1,
  async gather({ evidence }) {
    const extraction = await evidence.extraction();
    return {
      inputs: { expires_on: extraction.data.document_expiration_date ?? null, today: isoDay(evidence.now) },
      versions: extraction.versions,
    };
  },
  decide({ expires_on, today }, options) {
    if (!expires_on) {
      return options.allow_missing_expiry
        ? { status: "passed", score: null, reasons: [], outputs: { expired: null, days_until_expiry: null } }
        : skipped("expiry_unread", "The document's expiry date could not be read.", { expired: null });
    }
    const days = daysBetween(today, expires_on);
    const grace = options.grace_days as number;
    const expired = days < -grace;
    return {
      status: expired ? "failed" : "passed",
      score: null,
      // The date itself identifies the document: it stays in the encrypted inputs, out of results and webhooks.
      reasons: expired ? [reason("document_expired", `The document expired ${-days} day(s) ago.`)] : [],
      outputs: { expired: days < 0, days_until_expiry: days },
    };
  },
};
