/** Owns the shape every list parser hands to the importer: one entry per listed party, its names first-is-primary. */
import { normalizeName } from "./names.ts";

export interface ListedName {
  /** As the list writes it. */
  name: string;
  /** What screening compares (names.ts), already in given-names-first order where the list reverses it. */
  normalized: string;
  isAlias: boolean;
  /** The list's own qualifier of an alias (OFAC aka/fka/nka, UN Good/Low). */
  aliasNote: string | null;
}

export interface ParsedEntry {
  sourceRef: string;
  entityType: string;
  /** The primary name first, then the aliases. */
  names: ListedName[];
  programs: string[];
  datesOfBirth: string[];
  nationalities: string[];
  remarks: string | null;
}

export interface ParsedList {
  listVersion: string | null;
  entries: ParsedEntry[];
  /** Rows or records the parser could not use (no id, no name); the importer reports the count. */
  skipped: number;
}

/** A listed name, or null when nothing matchable is left of it after normalisation. */
export function listedName(
  name: string,
  options: { isAlias: boolean; aliasNote?: string | null; matchAs?: string },
): ListedName | null {
  const normalized = normalizeName(options.matchAs ?? name);
  if (!normalized) return null;
  return { name: name.trim(), normalized, isAlias: options.isAlias, aliasNote: options.aliasNote ?? null };
}
