/**
 * Owns reading a document front's printed (visual) zone against the machine-read values: for the
 * document number, surname and date of birth, whether the front shows the same value, shows a
 * demonstrably different value of the same kind, or does not show one at all; and settling what
 * the MRZ check digits cannot (a document number with two valid readings, a filler read as a
 * letter inside a name) from the printed tokens.
 */
import { MRZ_NAME_FIELD, type MrzAlternative, type MrzFormat } from "../engines/mrz.ts";
import { containsApproximately, normalizeText, textSimilarity } from "./text_match.ts";

/**
 * `agrees`: the front prints the value (one misread glyph per eight allowed). `differs`: the front
 * prints another value of the same kind where this one belongs. `absent`: neither — OCR of a
 * glossy, guilloched page misses fields all the time, so absence is not evidence.
 */
export type FrontVerdict = "agrees" | "differs" | "absent";

export interface MachineValues {
  document_number?: string;
  last_name?: string;
  first_name?: string;
  middle_name?: string;
  date_of_birth?: string;
  document_expiration_date?: string;
}

/** Numeric date orders: US licences print month first, passports and ID cards day first. */
export type DateOrder = "dmy" | "mdy";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/** OCR confusions between letters and digits, folded to one glyph so a misread is not a difference. */
const CANONICAL: Record<string, string> = { O: "0", D: "0", Q: "0", I: "1", L: "1", Z: "2", S: "5", B: "8", G: "6" };
const canonical = (s: string) => s.replace(/[ODQILZSBG]/g, (c) => CANONICAL[c]);
const isDigit = (c: string) => c >= "0" && c <= "9";

/**
 * Issue dates lie within a validity period (at most ten years, plus a few weeks' grace) before
 * the expiry date: a printed date earlier than this, other than the expiry, can only be a birth
 * date. Later dates are issue dates, or a birth date too close to tell from one.
 */
const LONGEST_VALIDITY_YEARS = 11;

export function compareFront(text: string, values: MachineValues, order: DateOrder): Record<string, FrontVerdict> {
  const out: Record<string, FrontVerdict> = {};
  if (values.document_number) out.document_number = compareNumber(text, values.document_number);
  if (values.last_name) out.last_name = compareSurname(text, values);
  if (values.date_of_birth) out.date_of_birth = compareBirthDate(text, values, order);
  return out;
}

function tokens(text: string): string[] {
  return normalizeText(text).split(" ").filter(Boolean);
}

/**
 * A token is of the number's kind when it has the number's length and, position by position, a
 * letter where it has a letter and a digit where it has a digit (confusable glyphs count as
 * either). It differs when, confusions folded, more than half its
 * glyphs differ. Tokens that are compact dates (DDMMYYYY) are another field, never a number.
 */
function compareNumber(text: string, number: string): FrontVerdict {
  if (containsApproximately(text, number)) return "agrees";
  const wanted = canonical(normalizeText(number).replace(/ /g, ""));
  const allowed = Math.max(1, Math.floor(wanted.length / 8));
  // tesseract on a guillochéd page misreads up to half a number's glyphs (53003853 for 99003853);
  // another number shares about one position in ten with it by chance.
  const different = Math.floor(wanted.length / 2) + 1;
  let differs = false;
  // Exactly the number's length: a token one glyph longer is as often an MRZ fragment or another
  // field starting like it (A234567893 beside 000000000) as a split glyph, so it shows nothing.
  for (const token of tokens(text)) {
    if (token.length !== number.length || compactDate(token)) continue;
    const folded = canonical(token);
    let sameShape = true;
    let distance = 0;
    for (let i = 0; i < token.length; i++) {
      const confusable = token[i] in CANONICAL || number[i] in CANONICAL;
      if (!confusable && isDigit(token[i]) !== isDigit(number[i])) sameShape = false;
      if (folded[i] !== wanted[i]) distance++;
    }
    if (!sameShape) continue;
    if (distance <= allowed) return "agrees";
    if (distance >= different) differs = true;
  }
  return differs ? "differs" : "absent";
}

function compactDate(token: string): boolean {
  if (!/^\d{8}$/.test(token)) return false;
  const valid = (y: number, m: number, d: number) => y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
  const n = (a: number, b: number) => Number(token.slice(a, b));
  return valid(n(4, 8), n(2, 4), n(0, 2)) || valid(n(0, 4), n(4, 6), n(6, 8)) || valid(n(4, 8), n(0, 2), n(2, 4));
}

/**
 * The surname is found anywhere on the front, or it is not. It is shown different only where the
 * front's layout says where it is: the given names are printed (ICAO 9303 and AAMVA both print the
 * surname field first) and the value just before them — on their line, or the nearest line above
 * that holds a word — is a name that is not this one.
 */
function compareSurname(text: string, values: MachineValues): FrontVerdict {
  const surname = values.last_name!;
  if (containsApproximately(text, surname)) return "agrees";
  const given = [values.first_name, values.middle_name].filter(Boolean).join(" ");
  if (!given) return "absent";
  const lines = text.split("\n").map(normalizeText);
  const givenWords = normalizeText(given);
  const at = lines.findIndex((line) => line.includes(givenWords));
  if (at < 0) return "absent";
  const before = lines[at].slice(0, lines[at].indexOf(givenWords)).trim();
  let printed = nameWords(before);
  for (let i = at - 1; !printed && i >= Math.max(0, at - 2); i--) printed = nameWords(lines[i]);
  if (!printed) return "absent";
  return textSimilarity(printed, surname) < 0.5 ? "differs" : "agrees";
}

/** The words of a line that could be a name (letters only, one of three or more), else null. */
function nameWords(line: string): string | null {
  const words = line.split(" ").filter((w) => /^[A-Z]{2,}$/.test(w));
  return words.some((w) => w.length >= 3) ? words.join(" ") : null;
}

interface PrintedDate {
  iso: string;
  year: number;
}

/**
 * The dates printed on the front: numeric (DD.MM.YYYY, DD.MM.YY, or MM/DD/YYYY for `mdy`, and
 * YYYY-MM-DD) and ICAO's month names, often in two languages with a short year ("12 AUG/AOUT 74").
 * Two-digit years take the latest century not after `reference`'s year + 20 (expiry dates).
 */
export function printedDates(text: string, order: DateOrder, referenceYear: number): PrintedDate[] {
  const found: PrintedDate[] = [];
  const add = (y: number, m: number, d: number) => {
    if (y < 100) y += y <= (referenceYear + 20) % 100 ? 2000 : 1900;
    const date = new Date(Date.UTC(y, m - 1, d));
    if (m < 1 || m > 12 || date.getUTCDate() !== d || y < 1900) return;
    found.push({ iso: date.toISOString().slice(0, 10), year: y });
  };
  const normal = normalizeText(text);
  for (const m of normal.matchAll(/(?<![0-9])(\d{1,2}) (\d{1,2}) (\d{4}|\d{2})(?![0-9])/g)) {
    const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (order === "mdy") add(y, a, b);
    else add(y, b, a);
  }
  for (const m of normal.matchAll(/(?<![0-9])(\d{4}) (\d{2}) (\d{2})(?![0-9])/g)) {
    add(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  const compact = normal.replace(/ /g, "");
  for (
    const m of compact.matchAll(
      /(?<![0-9])(\d{1,2})(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]{0,12}?(\d{4}|\d{2})(?![0-9])/g,
    )
  ) {
    add(Number(m[3]), MONTHS.indexOf(m[2]) + 1, Number(m[1]));
  }
  return found;
}

/**
 * Whether the front prints the date of birth: ISO, US (MM/DD/YYYY), European (DD.MM.YYYY or
 * DD.MM.YY) or ICAO's month names. Numeric forms allow one misread glyph, like every value.
 */
export function printsDate(text: string, iso: string): boolean {
  const [y, m, d] = iso.split("-");
  const numeric = [`${y}${m}${d}`, `${m}${d}${y}`, `${d}${m}${y}`, `${d}${m}${y.slice(2)}`];
  if (numeric.some((n) => containsApproximately(text, n))) return true;
  const compact = normalizeText(text).replace(/ /g, "");
  // Day, month name (and whatever second-language name follows), then the 2- or 4-digit year.
  return new RegExp(`${d}${MONTHS[Number(m) - 1]}[A-Z]{0,12}(${y}|${y.slice(2)})(?![0-9])`).test(compact);
}

/**
 * Agrees when the birth date is printed (or a printed date is one glyph from it); differs when the
 * front prints a date that can only be a birth date (earlier than any issue date: see
 * LONGEST_VALIDITY_YEARS) and is not this one. Without an expiry nothing is shown different.
 */
function compareBirthDate(text: string, values: MachineValues, order: DateOrder): FrontVerdict {
  const birth = values.date_of_birth!;
  if (printsDate(text, birth)) return "agrees";
  const expiry = values.document_expiration_date;
  const reference = Number((expiry ?? birth).slice(0, 4));
  const dates = printedDates(text, order, reference);
  const compact = (iso: string) => iso.replace(/-/g, "");
  const near = (a: string, b: string) => {
    let distance = 0;
    for (let i = 0; i < 8; i++) if (compact(a)[i] !== compact(b)[i]) distance++;
    return distance <= 1;
  };
  if (dates.some((d) => near(d.iso, birth))) return "agrees";
  if (!expiry) return "absent";
  const [ey, em, ed] = expiry.split("-");
  const earliestIssue = `${Number(ey) - LONGEST_VALIDITY_YEARS}-${em}-${ed}`;
  return dates.some((d) => d.iso < earliestIssue && !near(d.iso, expiry)) ? "differs" : "absent";
}

/**
 * Settles a document number the check digit could not (several readings satisfy it): the reading
 * the front prints as a whole token, when exactly one is. Returns the lines with it, or null.
 */
export function settleNumberFromFront(
  lines: string[],
  alternative: MrzAlternative,
  span: { line: number; start: number },
  text: string,
): string[] | null {
  const printed = new Set(tokens(text));
  const shown = alternative.readings.filter((r) => printed.has(r.replace(/</g, "")));
  if (shown.length !== 1) return null;
  const reading = shown[0];
  return lines.map((l, i) =>
    i === span.line ? l.slice(0, span.start) + reading + l.slice(span.start + reading.length) : l
  );
}

/** Glyphs OCR prints for a `<` inside a name (K, L and C are its outline; S and E its noise). */
const FILLER_READINGS = new Set(["K", "L", "C"]);
/** Positions tried at most: at most 3^8 readings of one name field. */
const MAX_FILLER_POSITIONS = 8;

/**
 * A `<` read as K, L or C inside the name field (`MARI<LIIS` read `MARIKLIIS`) leaves a name the
 * check digits never see. When the front prints the names, the reading whose every name part is
 * a printed word — and which makes more of them printed words than the MRZ as read — is taken: a
 * glyph becomes a filler only where the front shows the name parts on either side of it. Never
 * the reverse: no filler is ever turned into a letter, so a name never gains a filler look-alike.
 */
export function settleNameFillers(format: MrzFormat, lines: string[], text: string): string[] {
  const { line, from } = MRZ_NAME_FIELD[format];
  const field = lines[line].slice(from);
  const printed = new Set(tokens(text));
  if (printed.size === 0) return lines;
  const score = (candidate: string) => {
    const parts = candidate.split("<").filter(Boolean);
    const shown = parts.filter((p) => printed.has(p));
    return { all: shown.length === parts.length, letters: shown.join("").length };
  };
  const asRead = score(field.replace(/<+$/, ""));
  if (asRead.all) return lines;
  let best: { name: string; letters: number } | null = null;
  // Where the name may end: anywhere from which only fillers and their look-alikes follow (a run
  // of `<` read as `KLKLLL` leaves no `<` to tell where the name stops).
  const names = new Set([field.replace(/<+$/, "")]);
  for (let end = field.length; end > 1 && /[<KLC]/.test(field[end - 1]); end--) {
    names.add(field.slice(0, end - 1).replace(/<+$/, ""));
  }
  for (const name of names) {
    for (const candidate of [name, ...fillerReadings(name)]) {
      // `<<<` never occurs inside a name; `<<` only once, between surname and given names.
      if (/<<</.test(candidate) || (candidate.match(/<</g)?.length ?? 0) > 1) continue;
      const s = score(candidate);
      if (s.all && s.letters >= asRead.letters && (!best || s.letters > best.letters)) {
        best = { name: candidate, letters: s.letters };
      }
    }
  }
  if (!best) return lines;
  const length = lines[line].length;
  const fixed = (lines[line].slice(0, from) + best.name).padEnd(length, "<").slice(0, length);
  return lines.map((l, i) => (i === line ? fixed : l));
}

/**
 * Every reading of `name` where each inner K, L or C keeps its glyph, becomes a filler, or — a lone
 * glyph between two fillers (`LIN<K<MEI`: one `<` read as two glyphs) — is dropped. Empty when
 * there are too many such glyphs to try.
 */
function fillerReadings(name: string): string[] {
  const positions = [...name].flatMap((c, i) => (FILLER_READINGS.has(c) && i > 0 && i < name.length - 1 ? [i] : []));
  if (positions.length === 0 || positions.length > MAX_FILLER_POSITIONS) return [];
  let readings = [""];
  for (let i = 0; i < name.length; i++) {
    const options = positions.includes(i)
      ? [name[i], "<", ...(name[i - 1] === "<" && name[i + 1] === "<" ? [""] : [])]
      : [name[i]];
    readings = readings.flatMap((r) => options.map((o) => r + o));
  }
  return readings.filter((r) => r !== name);
}
