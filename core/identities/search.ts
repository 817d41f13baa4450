/**
 * Owns finding identities by personal data: each criterion becomes the blind index it is stored
 * under, and only digests are compared, so no query ever reads or matches plaintext.
 */
import type { CoreDeps } from "../deps.ts";
import type { IdentityRow } from "../db/database.ts";
import type { Scope } from "../orgs/api_keys.ts";
import { searchDigests } from "./pii.ts";
import { searchIdentityRows } from "./repository.ts";

export interface SearchCriteria {
  email?: string;
  phone?: string;
  document_number?: string;
  first_name?: string;
  last_name?: string;
  date_of_birth?: string;
  limit?: number;
}

export async function searchIdentities(deps: CoreDeps, scope: Scope, criteria: SearchCriteria): Promise<IdentityRow[]> {
  const digests = searchDigests(deps.indexKey, criteria);
  const asked = {
    email: criteria.email !== undefined,
    phone: criteria.phone !== undefined,
    document_number: criteria.document_number !== undefined,
    name_dob: criteria.first_name !== undefined,
  };
  // A criterion that normalises to nothing (a phone of too few digits) matches no one, rather
  // than silently dropping out and widening the search.
  if (Object.entries(asked).some(([kind, given]) => given && !digests[kind as keyof typeof digests])) return [];
  return await searchIdentityRows(deps.db, scope, digests, criteria.limit ?? 25);
}
