/**
 * Owns reading the OFAC SDN list in its CSV form: sdn.csv (ent_num, SDN_Name, SDN_Type, Program,
 * Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks; no header) and,
 * optionally, alt.csv (ent_num, alt_num, alt_type, alt_name, alt_remarks) for the aliases.
 */
import { csvRows } from "./csv.ts";
import { datesOfBirthInOfacRemarks } from "./dates_of_birth.ts";
import { givenNamesFirst } from "./names.ts";
import { listedName, type ParsedEntry, type ParsedList } from "./parsed_list.ts";

const SDN_TYPES: Record<string, string> = { individual: "individual", vessel: "vessel", aircraft: "aircraft" };

/** The files are mostly ASCII; older ones are Windows-1252, newer UTF-8. Either reads right here. */
export function decodeOfacFile(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/** OFAC writes "-0-" (with a trailing space) for an empty field. */
function value(field: string | undefined): string | null {
  const trimmed = field?.trim();
  return !trimmed || trimmed === "-0-" ? null : trimmed;
}

/** "SDGT] [IRGC" — several programs are written as one bracket-joined field. */
function programs(field: string | undefined): string[] {
  return (value(field) ?? "").split(/\]\s*\[/).map((p) => p.replace(/[[\]]/g, "").trim()).filter(Boolean);
}

/** "nationality Iran;" and "citizenship Iran;" in the remarks (also after "alt."). */
function nationalities(remarks: string | null): string[] {
  const found: string[] = [];
  for (const m of (remarks ?? "").matchAll(/\b(?:nationality|citizenship) ([^;]+)/gi)) {
    const country = m[1].trim().replace(/\.$/, "");
    if (country && !found.includes(country)) found.push(country);
  }
  return found;
}

const END_OF_FILE = String.fromCharCode(0x1a);

/** The CSV rows, without the lone SUB (0x1A) byte the files end with, which reads as a row of its own. */
function* ofacRows(text: string): Generator<string[]> {
  for (const row of csvRows(text)) {
    if (row.length > 1 || row[0].replaceAll(END_OF_FILE, "").trim()) yield row;
  }
}

export function parseOfacSdn(sdnCsv: string, altCsv?: string): ParsedList {
  const entries = new Map<string, ParsedEntry>();
  let skipped = 0;
  for (const row of ofacRows(sdnCsv)) {
    const entNum = value(row[0]);
    const name = value(row[1]);
    if (!entNum || !/^\d+$/.test(entNum) || !name) {
      skipped++;
      continue;
    }
    const entityType = SDN_TYPES[value(row[2])?.toLowerCase() ?? ""] ?? "entity";
    const primary = listedName(name, {
      isAlias: false,
      matchAs: entityType === "individual" ? givenNamesFirst(name) : name,
    });
    if (!primary) {
      skipped++;
      continue;
    }
    const remarks = value(row[11]);
    entries.set(entNum, {
      sourceRef: entNum,
      entityType,
      names: [primary],
      programs: programs(row[3]),
      datesOfBirth: datesOfBirthInOfacRemarks(remarks),
      nationalities: nationalities(remarks),
      remarks,
    });
  }
  for (const row of altCsv ? ofacRows(altCsv) : []) {
    const entry = entries.get(value(row[0]) ?? "");
    const name = value(row[3]);
    const alias = entry && name && listedName(name, {
      isAlias: true,
      aliasNote: value(row[2]),
      matchAs: entry.entityType === "individual" ? givenNamesFirst(name) : name,
    });
    if (alias) entry.names.push(alias);
    else skipped++;
  }
  // sdn.csv carries no publication date; the importer takes one from the operator if given.
  return { listVersion: null, entries: [...entries.values()], skipped };
}
