/**
 * Owns reading the UN Security Council consolidated list XML (<CONSOLIDATED_LIST> with
 * <INDIVIDUALS><INDIVIDUAL> and <ENTITIES><ENTITY>): names, aliases with their QUALITY, dates of
 * birth, nationalities, the list type as the program.
 */
import { XMLParser } from "fast-xml-parser";
import { AppError } from "../errors.ts";
import { type ListedName, listedName, type ParsedEntry, type ParsedList } from "./parsed_list.ts";

// Elements that repeat in the real file; the parser returns these as arrays even when there is one.
const REPEATED = new Set([
  "INDIVIDUAL",
  "ENTITY",
  "INDIVIDUAL_ALIAS",
  "ENTITY_ALIAS",
  "INDIVIDUAL_DATE_OF_BIRTH",
  "VALUE",
]);

type XmlNode = Record<string, unknown>;

function text(node: unknown): string {
  return typeof node === "string" || typeof node === "number" ? String(node).trim() : "";
}

function nodes(node: unknown): XmlNode[] {
  return Array.isArray(node) ? node.filter((n): n is XmlNode => typeof n === "object" && n !== null) : [];
}

/** <NATIONALITY><VALUE>…</VALUE>…</NATIONALITY>, present or not. */
function values(node: unknown): string[] {
  if (typeof node !== "object" || node === null) return [];
  return ((node as XmlNode).VALUE as unknown[] ?? []).map(text).filter(Boolean);
}

/** A date of birth in the stored form of dates_of_birth.ts: EXACT has DATE, APPROXIMATELY YEAR, BETWEEN FROM_YEAR/TO_YEAR. */
function dateOfBirth(node: XmlNode): string | null {
  const date = /^\d{4}-\d{2}-\d{2}/.exec(text(node.DATE));
  if (date) return date[0];
  const from = text(node.FROM_YEAR);
  const to = text(node.TO_YEAR);
  if (/^\d{4}$/.test(from) && /^\d{4}$/.test(to)) return `${from}/${to}`;
  const year = text(node.YEAR);
  return /^\d{4}$/.test(year) ? year : null;
}

function aliases(records: XmlNode[]): ListedName[] {
  return records
    .map((alias) => listedName(text(alias.ALIAS_NAME), { isAlias: true, aliasNote: text(alias.QUALITY) || null }))
    .filter((alias): alias is ListedName => alias !== null);
}

function entry(record: XmlNode, entityType: "individual" | "entity", aliasTag: string): ParsedEntry | null {
  const sourceRef = text(record.DATAID);
  // UN names are split into parts in the order the person's own usage gives, so they are joined as they are.
  const fullName = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"].map((part) => text(record[part]))
    .filter(Boolean).join(" ");
  const primary = listedName(fullName, { isAlias: false });
  if (!sourceRef || !primary) return null;
  const reference = text(record.REFERENCE_NUMBER);
  const comments = text(record.COMMENTS1);
  const datesOfBirth = nodes(record.INDIVIDUAL_DATE_OF_BIRTH).map(dateOfBirth)
    .filter((date): date is string => date !== null);
  return {
    sourceRef,
    entityType,
    names: [primary, ...aliases(nodes(record[aliasTag]))],
    programs: [text(record.UN_LIST_TYPE)].filter(Boolean),
    datesOfBirth: [...new Set(datesOfBirth)],
    nationalities: values(record.NATIONALITY),
    remarks: [reference && `UN reference ${reference}`, comments].filter(Boolean).join("; ") || null,
  };
}

/**
 * Parses the whole document at once: the real file is a few MB (tens at most), which
 * fast-xml-parser reads in well under a second, so streaming would buy nothing.
 */
export function parseUnConsolidated(xml: string): ParsedList {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (tagName) => REPEATED.has(tagName),
  });
  const document = parser.parse(xml) as XmlNode;
  const list = document.CONSOLIDATED_LIST as XmlNode | undefined;
  if (!list || typeof list !== "object") {
    throw new AppError("validation_error", "Not a UN consolidated list: no <CONSOLIDATED_LIST> root element.");
  }
  const records: [XmlNode, "individual" | "entity", string][] = [
    ...nodes((list.INDIVIDUALS as XmlNode | undefined)?.INDIVIDUAL)
      .map((r) => [r, "individual", "INDIVIDUAL_ALIAS"] as [XmlNode, "individual", string]),
    ...nodes((list.ENTITIES as XmlNode | undefined)?.ENTITY)
      .map((r) => [r, "entity", "ENTITY_ALIAS"] as [XmlNode, "entity", string]),
  ];
  const entries: ParsedEntry[] = [];
  let skipped = 0;
  for (const [record, entityType, aliasTag] of records) {
    const parsed = entry(record, entityType, aliasTag);
    if (parsed) entries.push(parsed);
    else skipped++;
  }
  return { listVersion: text(list["@_dateGenerated"]) || null, entries, skipped };
}
