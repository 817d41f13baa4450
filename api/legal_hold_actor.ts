/** Owns naming the API caller of a legal-hold change for its audit row (the key, the request). */
import type { AppContext } from "./http.ts";
import type { HoldChangeBy } from "../core/legal_holds/holds.ts";

export function holdChangeBy(c: AppContext): HoldChangeBy {
  return { actor: { type: "api_key", id: c.get("principal").keyId }, requestId: c.get("requestId") };
}
