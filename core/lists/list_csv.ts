/**
 * Owns the CSV form of a list's items: the columns of each list type (its value's fields, then
 * `notes`), reading an import (header row first, ≤1,000 rows) into items, and writing an export.
 */
import type { ListType } from "../db/database.ts";
import { validationError } from "../errors.ts";
import { csvRows } from "../watchlists/csv.ts";
import { itemProblems, MAX_BATCH_ITEMS, type NewItem } from "./items.ts";

type ColumnKind = "text" | "boolean" | "number" | "json";

/** A value's fields as CSV columns, in the order an export writes them. */
const COLUMNS: Record<ListType, [string, ColumnKind][]> = {
  name: [["first_name", "text"], ["last_name", "text"], ["date_of_birth", "text"]],
  email: [["email", "text"], ["match_domain_only", "boolean"]],
  phone: [["phone", "text"]],
  ip_address: [["ip", "text"]],
  government_id: [["id_number", "text"], ["id_class", "text"]],
  country: [["country_code", "text"]],
  geolocation: [["latitude", "number"], ["longitude", "number"], ["radius_meters", "number"]],
  browser_fingerprint: [["fingerprint_hash", "text"]],
  device_fingerprint: [["fingerprint_hash", "text"]],
  // A JSON array of numbers in one quoted cell.
  face: [["embedding", "json"], ["image_url", "text"]],
  string: [["value", "text"]],
};

export function csvColumns(type: ListType): string[] {
  return [...COLUMNS[type].map(([name]) => name), "notes"];
}

/** An empty cell is an absent field; a cell that is not of its column's kind is left as text for the schema to refuse. */
function cellValue(kind: ColumnKind, cell: string): unknown {
  if (kind === "boolean" && /^(true|false)$/i.test(cell)) return cell.toLowerCase() === "true";
  if (kind === "number" && cell.trim() !== "" && Number.isFinite(Number(cell))) return Number(cell);
  if (kind === "json") {
    try {
      return JSON.parse(cell);
    } catch {
      return cell;
    }
  }
  return cell;
}

export function parseItemsCsv(type: ListType, text: string): NewItem[] {
  const rows = csvRows(text.replace(/^\uFEFF/, ""));
  const header = rows.next();
  if (header.done) throw validationError({ csv: `must start with a header row: ${csvColumns(type).join(",")}` });
  const names = header.value.map((h) => h.trim().toLowerCase());
  const known = new Map<string, ColumnKind | "notes">([...COLUMNS[type], ["notes", "notes"]]);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) {
    throw validationError({
      csv: `unknown column(s) ${unknown.join(", ")}; a ${type} list takes ${csvColumns(type).join(", ")}`,
    });
  }
  const items: NewItem[] = [];
  const problems: Record<string, string> = {};
  let line = 1;
  for (const cells of rows) {
    line++;
    if (line - 1 > MAX_BATCH_ITEMS) {
      throw validationError({ csv: `must hold at most ${MAX_BATCH_ITEMS} rows after the header` });
    }
    const value: Record<string, unknown> = {};
    let notes: string | null = null;
    names.forEach((name, i) => {
      const cell = cells[i] ?? "";
      if (cell === "") return;
      if (name === "notes") notes = cell;
      else value[name] = cellValue(known.get(name) as ColumnKind, cell);
    });
    const parsed = itemProblems(type, { value, notes }, `rows.${line}.`);
    if (parsed.item) items.push(parsed.item);
    Object.assign(problems, parsed.problems);
  }
  if (Object.keys(problems).length) throw validationError(problems);
  if (items.length === 0) throw validationError({ csv: "must hold at least one row after the header" });
  return items;
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  // A cell a spreadsheet would run as a formula is prefixed with ' (a phone number like +1 555… is not one).
  const formula = /^[=@\t\r]/.test(text) || (/^[+-]/.test(text) && !/^[+-][\d\s().-]*$/.test(text));
  const safe = formula && typeof value === "string" ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function itemsToCsv(type: ListType, items: { value: Record<string, unknown>; notes: string | null }[]): string {
  const lines = [csvColumns(type).join(",")];
  for (const item of items) {
    lines.push([...COLUMNS[type].map(([name]) => csvCell(item.value[name])), csvCell(item.notes)].join(","));
  }
  return lines.join("\r\n") + "\r\n";
}
