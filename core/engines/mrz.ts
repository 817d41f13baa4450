/**
 * Owns the machine-readable zone as text: finding the MRZ among OCR lines, repairing OCR
 * confusions (O/0, Z/7, lost fillers) with the ICAO 9303 layouts and check digits, and parsing and
 * checksum-validating with the `mrz` package.
 */
import { parse } from "mrz";

export type MrzFormat = "TD1" | "TD2" | "TD3";

export interface MrzRepair {
  line: number;
  column: number;
  from: string;
  to: string;
  /**
   * `character_class`: a letter in a digits-only field (or the reverse), one possible reading.
   * `check_digit`: a confusable character chosen because only that reading satisfies the check digits.
   * `filler`: filler characters restored at the end of a name line (`<<<` read as `KLK…`), or a
   * line padded, cut, or given/lost one character so that its check digits line up.
   */
  reason: "character_class" | "check_digit" | "filler";
}

export interface RepairedMrz {
  format: MrzFormat;
  lines: string[];
  repairs: MrzRepair[];
  /**
   * Fields that had several equally cheap readings satisfying their check digit: each is left as
   * read (so its check fails) and its candidates listed, for a cross-check with the document's
   * printed text or the applicant's input. Check digits cannot settle a document number: it opens
   * the composite string with the same weights as its own check digit.
   */
  alternatives: MrzAlternative[];
  /**
   * Fields whose value rests on a guess the check digit accepted (a confusable character swapped,
   * or the line realigned at or before the field), not on what was read: the check digit passing
   * is then weak evidence, so corroborate them (front text, applicant input) before trusting them.
   */
  inferred: MrzCheckName[];
  /** A data line was read at another length than its layout's and realigned (glyphs lost or doubled). */
  realigned: boolean;
}

export interface MrzAlternative {
  field: MrzCheckName;
  /** Field text (without its check digit) of each candidate reading. */
  readings: string[];
}

export type MrzCheckName = "documentNumber" | "birthDate" | "expirationDate" | "personalNumber" | "composite";

export interface ParsedMrz {
  format: MrzFormat;
  /** Every field parses and every check digit matches. */
  valid: boolean;
  /** Validity per check digit; `personalNumber` only on TD3. */
  checks: Partial<Record<MrzCheckName, boolean>>;
  /** The `mrz` package's fields: names with spaces, dates as YYMMDD, sex as "male"/"female"/"nonspecified", null when invalid. */
  fields: Record<string, string | null>;
  /** The number printed on the document (TD1 numbers longer than 9 characters are joined). */
  documentNumber: string | null;
  errors: { field: string; error: string }[];
  /** From RepairedMrz.inferred: fields whose check passed on a guessed reading. */
  inferred: MrzCheckName[];
  /**
   * Failed checks the reading itself explains: a character of the field (or its check digit) was
   * repaired, or its data line was realigned. Such a failure is more likely the OCR's than the
   * document's; a failed check on characters read as they stand is what tampering looks like.
   */
  misread: MrzCheckName[];
}

export const MRZ_LINE_LENGTH: Record<MrzFormat, number> = { TD1: 30, TD2: 36, TD3: 44 };
/** Where the name field (surname `<<` given names, then fillers) starts; it runs to the line's end. */
export const MRZ_NAME_FIELD: Record<MrzFormat, { line: number; from: number }> = {
  TD1: { line: 2, from: 0 },
  TD2: { line: 0, from: 5 },
  TD3: { line: 0, from: 5 },
};
const LINE_COUNT: Record<MrzFormat, number> = { TD1: 3, TD2: 2, TD3: 2 };

/** A = letters and fillers, N = digits (a check digit of an empty field may be `<`), X = both. */
type CharClass = "A" | "N" | "X";
interface Span {
  line: number;
  start: number;
  end: number;
}
interface CheckGroup {
  name: MrzCheckName;
  spans: Span[];
  digit: { line: number; column: number };
}
interface Layout {
  classes: CharClass[][];
  /** Lines holding only names: their fillers run to the end. */
  nameLines: { line: number; from: number }[];
  groups: CheckGroup[];
}

function classes(spec: [CharClass, number][]): CharClass[] {
  return spec.flatMap(([cls, n]) => Array<CharClass>(n).fill(cls));
}
const span = (line: number, start: number, end: number): Span => ({ line, start, end });

const LAYOUTS: Record<MrzFormat, Layout> = {
  TD3: {
    classes: [
      classes([["A", 44]]),
      classes([["X", 9], ["N", 1], ["A", 3], ["N", 7], ["A", 1], ["N", 7], ["X", 14], ["N", 2]]),
    ],
    nameLines: [MRZ_NAME_FIELD.TD3],
    groups: [
      { name: "documentNumber", spans: [span(1, 0, 9)], digit: { line: 1, column: 9 } },
      { name: "birthDate", spans: [span(1, 13, 19)], digit: { line: 1, column: 19 } },
      { name: "expirationDate", spans: [span(1, 21, 27)], digit: { line: 1, column: 27 } },
      { name: "personalNumber", spans: [span(1, 28, 42)], digit: { line: 1, column: 42 } },
      { name: "composite", spans: [span(1, 0, 10), span(1, 13, 20), span(1, 21, 43)], digit: { line: 1, column: 43 } },
    ],
  },
  TD2: {
    classes: [
      classes([["A", 36]]),
      classes([["X", 9], ["N", 1], ["A", 3], ["N", 7], ["A", 1], ["N", 7], ["X", 7], ["N", 1]]),
    ],
    nameLines: [MRZ_NAME_FIELD.TD2],
    groups: [
      { name: "documentNumber", spans: [span(1, 0, 9)], digit: { line: 1, column: 9 } },
      { name: "birthDate", spans: [span(1, 13, 19)], digit: { line: 1, column: 19 } },
      { name: "expirationDate", spans: [span(1, 21, 27)], digit: { line: 1, column: 27 } },
      { name: "composite", spans: [span(1, 0, 10), span(1, 13, 20), span(1, 21, 35)], digit: { line: 1, column: 35 } },
    ],
  },
  TD1: {
    classes: [
      classes([["A", 5], ["X", 9], ["N", 1], ["X", 15]]),
      classes([["N", 7], ["A", 1], ["N", 7], ["A", 3], ["X", 11], ["N", 1]]),
      classes([["A", 30]]),
    ],
    nameLines: [MRZ_NAME_FIELD.TD1],
    groups: [
      // Replaced per document when the number is longer than 9 characters (see groupsFor).
      { name: "documentNumber", spans: [span(0, 5, 14)], digit: { line: 0, column: 14 } },
      { name: "birthDate", spans: [span(1, 0, 6)], digit: { line: 1, column: 6 } },
      { name: "expirationDate", spans: [span(1, 8, 14)], digit: { line: 1, column: 14 } },
      {
        name: "composite",
        spans: [span(0, 5, 30), span(1, 0, 7), span(1, 8, 15), span(1, 18, 29)],
        digit: { line: 1, column: 29 },
      },
    ],
  },
};

/**
 * The format whose lines have `cells` characters, `lineCount` of them, and what each position may
 * hold: `A` letters and fillers, `N` digits and fillers, `X` either. Null for no ICAO layout.
 */
export function mrzLayoutClasses(lineCount: number, cells: number): { format: MrzFormat; classes: string[] } | null {
  const format = (Object.keys(MRZ_LINE_LENGTH) as MrzFormat[]).find((f) =>
    MRZ_LINE_LENGTH[f] === cells && LINE_COUNT[f] === lineCount
  );
  return format ? { format, classes: LAYOUTS[format].classes.map((line) => line.join("")) } : null;
}

const WEIGHTS = [7, 3, 1];

/** ICAO 9303 check digit: weights 7-3-1, A=10 … Z=35, filler 0. */
export function mrzCheckDigit(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code >= 48 && code <= 57 ? code - 48 : code >= 65 && code <= 90 ? code - 55 : 0;
    sum += value * WEIGHTS[i % 3];
  }
  return String(sum % 10);
}

/** OCR readings of a digit-only position that can only be one digit, or (Z) one of two. */
const LETTER_AS_DIGIT: Record<string, string[]> = {
  O: ["0"],
  D: ["0"],
  Q: ["0"],
  U: ["0"],
  I: ["1"],
  L: ["1"],
  Z: ["2", "7"],
  S: ["5"],
  B: ["8"],
  G: ["6"],
  A: ["4"],
  T: ["7"],
};
const DIGIT_AS_LETTER: Record<string, string> = {
  "0": "O",
  "1": "I",
  "2": "Z",
  "4": "A",
  "5": "S",
  "6": "G",
  "7": "Z",
  "8": "B",
};
/** Characters a mixed field may hold either way; only a check digit can tell which was printed. */
const CONFUSABLE: Record<string, string[]> = {
  "0": ["O"],
  O: ["0"],
  // One way only: offering D for every 0 of a number like KB0000000 ties readings the check digit
  // cannot separate (the composite weighs the number alike), while a D read is often a 0.
  D: ["0"],
  "1": ["I"],
  I: ["1"],
  "2": ["Z"],
  "7": ["Z"],
  Z: ["2", "7"],
  "5": ["S"],
  S: ["5"],
  "8": ["B"],
  B: ["8"],
  "6": ["G"],
  G: ["6"],
};
/** What tesseract tends to print for a long run of `<`. */
const FILLER_LOOKALIKES = /^[<KLC]*$/;
const TRAILING_FILLERS = /[<KLC]*$/;
/**
 * Confusable characters changed per field at most. A one-digit checksum is satisfied by one in ten
 * wrong readings, so each extra guess is another chance to "validate" a number the OCR got wrong in
 * a way no confusion explains (seen: SPECI2014 read SPECT2014, "repaired" with two guesses to the
 * valid 5PECT2O14). With one guess that chance stays near 1 − 0.9^k for k confusable characters:
 * hence `inferred`, and a cross-check before a guessed number is trusted.
 */
const MAX_GUESSES_PER_FIELD = 1;
/** Readings of a field this much dearer than its cheapest still go to the composite check. */
const COMPOSITE_CHOICE_MARGIN = 2;
/** Above this many combinations a field is left as read rather than searched. */
const MAX_COMBINATIONS = 4096;

/**
 * Finds the MRZ in OCR output (bottom-most lines that fit a layout) and repairs it. Returns null
 * when no TD1/TD2/TD3-shaped block is there.
 */
export function repairMrz(rawLines: readonly string[]): RepairedMrz | null {
  const cleaned = rawLines
    .map((line) => line.toUpperCase().replace(/\s+/g, "").replace(/[^A-Z0-9<]/g, "<"))
    .filter((line) => line.length >= 20);
  // Line lengths alone can mistake a TD1 for a TD2 (three 30s vs two 30s); check digits cannot.
  let best: { result: RepairedMrz & { fits: unknown }; score: number; cost: number } | null = null;
  for (const { format, cost } of candidateFormats(cleaned)) {
    const result = repairAs(format, cleaned);
    const score = checkScore(result.fits);
    if (!best || score > best.score || (score === best.score && cost < best.cost)) best = { result, score, cost };
  }
  if (!best) return null;
  const { fits: _fits, ...result } = best.result;
  return result;
}

function repairAs(format: MrzFormat, cleaned: string[]): RepairedMrz & { fits: Set<MrzCheckName> } {
  const length = MRZ_LINE_LENGTH[format];
  const layout = LAYOUTS[format];
  const lines = cleaned.slice(-LINE_COUNT[format]);
  const repairs: MrzRepair[] = [];
  // A glyph read left of a passport or card's first line (the page's edge, a printed border) pushes
  // every field along: a line too long that reads as a document code one character in is trimmed.
  if (format !== "TD1" && lines[0].length > length && !/^[PIACV]</.test(lines[0]) && /^.[PIACV]</.test(lines[0])) {
    lines[0] = lines[0].slice(1); // reported below with the line's other edits
  }
  const isName = (i: number) => layout.nameLines.some((n) => n.line === i);
  for (const { line, from } of layout.nameLines) lines[line] = repairNameLine(lines[line], from, length);
  // Alignments that tie: each is repaired below, and fields they read differently are ambiguous.
  const tiedOptions = new Map<number, string[]>();
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].length !== length && !isName(i)) {
      const options = alignDataLine(format, lines, i).map((o) => o.padEnd(length, "<").slice(0, length));
      if (options.length > 1) tiedOptions.set(i, options);
      lines[i] = options[0];
    }
    // Name lines, and a data line too far off to align: the tail is fillers.
    lines[i] = lines[i].padEnd(length, "<").slice(0, length);
  }
  let tied: string[][] = [lines];
  for (const [i, options] of tiedOptions) {
    tied = tied.flatMap((t) => options.map((o) => t.map((l, k) => (k === i ? o : l)))).slice(0, 16);
  }
  tied = tied.slice(1);
  for (let i = 0; i < lines.length; i++) {
    const raw = cleaned.at(i - lines.length)!;
    if (raw !== lines[i]) repairs.push(spanRepair(i, raw, lines[i]));
  }
  repairs.push(...restoreFieldFillers(format, lines));
  const result = repairCharacters(format, lines);
  const alternatives = result.alternatives;
  if (tied.length) {
    const readings = [result.lines, ...tied.map((t) => repairCharacters(format, t).lines)];
    for (const group of groupsFor(format, result.lines)) {
      if (group.name === "composite") continue;
      // Only readings that satisfy the field's check digit are candidates (a tied field is kept as read).
      const texts = [...new Set(readings.filter((r) => groupValid(group, r)).map((r) => groupText(group, r)))];
      const known = alternatives.find((a) => a.field === group.name);
      if (texts.length > 1 || (known && texts.some((t) => !known.readings.includes(t)))) {
        if (known) known.readings = [...new Set([...known.readings, ...texts])].sort();
        else alternatives.push({ field: group.name, readings: texts.sort() });
      }
    }
  }
  const allRepairs = [...repairs, ...result.repairs];
  const inferred = groupsFor(format, result.lines).filter((group) =>
    group.name !== "composite" &&
    allRepairs.some((r) =>
      (r.reason === "check_digit" && inGroup(group, r.line, r.column)) ||
      // A realigned data line shifts every field from the edit on.
      (r.reason === "filler" && !isName(r.line) &&
        [...group.spans, { line: group.digit.line, end: group.digit.column + 1 }].some((s) =>
          s.line === r.line && s.end > r.column
        ))
    )
  ).map((g) => g.name);
  const realigned = cleaned.slice(-LINE_COUNT[format]).some((raw, i) => !isName(i) && raw.length !== length);
  return { format, lines: result.lines, repairs: allRepairs, alternatives, inferred, realigned, fits: result.fits };
}

/**
 * Data fields are left-aligned and padded with `<` (ICAO 9303 part 3, 4.3): once a field holds a
 * `<`, what follows in it is padding, so K, L or C there is a filler misread (`<<` read `CK`). A
 * tail of look-alikes is restored outright; a tail with one other glyph (`<<<<4`) only when the
 * field's own check digit then holds, since that glyph may be real.
 */
function restoreFieldFillers(format: MrzFormat, lines: string[]): MrzRepair[] {
  const repairs: MrzRepair[] = [];
  for (const group of groupsFor(format, lines)) {
    if (group.name === "composite") continue;
    for (const { line, start, end } of group.spans) {
      const field = lines[line].slice(start, end);
      const first = field.indexOf("<");
      const tail = field.slice(first);
      if (first < 0 || /^<*$/.test(tail)) continue;
      const others = tail.replace(/[<KLC]/g, "").length;
      const fixed = field.slice(0, first) + "<".repeat(field.length - first);
      const trial = lines.map((l, i) => (i === line ? l.slice(0, start) + fixed + l.slice(end) : l));
      if (others > 1 || (others === 1 && (group.spans.length > 1 || !groupValid(group, trial)))) continue;
      for (let k = first; k < field.length; k++) {
        if (field[k] !== "<") {
          repairs.push({ line, column: start + k, from: field[k], to: "<", reason: others ? "check_digit" : "filler" });
        }
      }
      lines[line] = lines[line].slice(0, start) + fixed + lines[line].slice(end);
    }
  }
  return repairs;
}

function inGroup(group: CheckGroup, line: number, column: number): boolean {
  return (group.digit.line === line && group.digit.column === column) ||
    group.spans.some((s) => s.line === line && column >= s.start && column < s.end);
}

/** Field check digits count double: the composite alone passes one time in ten by chance. */
function checkScore(fits: Set<MrzCheckName>): number {
  let score = 0;
  for (const name of fits) score += name === "composite" ? 1 : 2;
  return score;
}

/** Layouts the bottom lines could be, by how far their lengths are from it. */
function candidateFormats(lines: string[]): { format: MrzFormat; cost: number }[] {
  const out: { format: MrzFormat; cost: number }[] = [];
  for (const format of ["TD3", "TD2", "TD1"] as const) {
    const count = LINE_COUNT[format];
    if (lines.length < count) continue;
    const length = MRZ_LINE_LENGTH[format];
    const layout = LAYOUTS[format];
    let cost = 0;
    lines.slice(-count).forEach((line, i) => {
      // A name line may lose many trailing fillers; a data line only a few characters.
      if (layout.nameLines.some((n) => n.line === i)) {
        const content = line.replace(TRAILING_FILLERS, "").length;
        cost += Math.max(0, content - length) + (content < 5 ? length : 0);
      } else cost += Math.abs(line.length - length);
    });
    if (cost <= 3 * count) out.push({ format, cost });
  }
  return out;
}

/**
 * Names are left-aligned and padded with `<`; `<<<` never occurs inside names, so from the first
 * triple filler (or a trailing run of filler look-alikes holding at least two `<`) all is filler.
 */
function repairNameLine(line: string, from: number, length: number): string {
  const triple = line.indexOf("<<<", from);
  let end = triple >= 0 ? triple : line.length;
  if (triple < 0) {
    for (let i = from + 1; i < line.length - 3; i++) {
      const tail = line.slice(i);
      if (line[i - 1] === "<" && FILLER_LOOKALIKES.test(tail) && (tail.match(/</g)?.length ?? 0) >= 2) {
        end = i;
        break;
      }
    }
  }
  // A name part made only of K, L and C that runs to the end (`MARIA<LLLLLLLKLK`) is fillers too:
  // no name is written so, and tesseract reads a run of `<` exactly so when it keeps the first.
  for (let i = from + 1; i < end - 2; i++) {
    if (line[i - 1] === "<" && /^[<KLC]+$/.test(line.slice(i, end)) && /[KLC]{2}/.test(line.slice(i, end))) {
      end = i;
      break;
    }
  }
  return line.slice(0, end).padEnd(length, "<").slice(0, length);
}

/**
 * A data line one or two characters off: a `<` lost from a run of fillers, or a glyph read twice
 * (`00` for `0`, `7Z` for `Z`). Tries only those edits, once or twice, and keeps the reading whose
 * field check digits hold most (the composite counts less), then the one needing fewest repairs.
 * Any other edit could let substitutions "validate" a wrong number, so none is tried.
 */
function alignDataLine(format: MrzFormat, lines: string[], index: number): string[] {
  const length = MRZ_LINE_LENGTH[format];
  let candidates = [lines[index]];
  for (let step = 0; step < 2 && candidates[0].length !== length; step++) {
    const next = new Set<string>();
    for (const c of candidates) {
      if (c.length > length) {
        for (let i = 0; i < c.length; i++) if (doubledGlyph(c, i)) next.add(c.slice(0, i) + c.slice(i + 1));
      } else {
        for (let i = 0; i <= c.length; i++) {
          if (c[i - 1] === "<" || c[i] === "<" || i === c.length) next.add(c.slice(0, i) + "<" + c.slice(i));
        }
      }
    }
    if (next.size === 0) return [lines[index]];
    candidates = [...next];
  }
  if (candidates[0].length !== length) return [lines[index]];
  let best: { lines: Set<string>; readings: Set<string>; score: number; cost: number } | null = null;
  for (const candidate of candidates) {
    const trial = lines.map((l, i) => (i === index ? candidate : l.padEnd(length, "<").slice(0, length)));
    const repaired = repairCharacters(format, trial);
    // A field with tied readings has readings that fit: it counts as fitting here.
    const score = checkScore(repaired.fits);
    const reading = repaired.lines.join("\n");
    if (!best || score > best.score || (score === best.score && repaired.cost < best.cost)) {
      best = { lines: new Set([candidate]), readings: new Set([reading]), score, cost: repaired.cost };
    } else if (score === best.score && repaired.cost === best.cost && !best.readings.has(reading)) {
      best.lines.add(candidate);
      best.readings.add(reading);
    }
  }
  return best ? [...best.lines] : [lines[index]];
}

function doubledGlyph(line: string, i: number): boolean {
  const ch = line[i];
  if (ch === "<") return true;
  const same = (other: string | undefined) =>
    other !== undefined && (other === ch || (CONFUSABLE[ch] ?? []).includes(other));
  return same(line[i - 1]) || same(line[i + 1]);
}

/** TD1 numbers longer than 9 characters put `<` at the check-digit position and continue in optional data 1. */
function groupsFor(format: MrzFormat, lines: string[]): CheckGroup[] {
  const groups = LAYOUTS[format].groups;
  if (format !== "TD1" || lines[0][14] !== "<") return groups;
  const filler = lines[0].indexOf("<", 15);
  const last = (filler < 0 ? 30 : filler) - 1;
  if (last <= 15) return groups;
  const extended: CheckGroup = {
    name: "documentNumber",
    spans: [span(0, 5, 14), span(0, 15, last)],
    digit: { line: 0, column: last },
  };
  return groups.map((g) => (g.name === "documentNumber" ? extended : g));
}

function groupText(group: CheckGroup, lines: string[]): string {
  return group.spans.map((s) => lines[s.line].slice(s.start, s.end)).join("");
}

function groupValid(group: CheckGroup, lines: string[]): boolean {
  const digit = lines[group.digit.line][group.digit.column];
  const text = groupText(group, lines);
  // An unused optional field may carry `<` as its check digit (ICAO 9303 part 4, 4.2.2).
  if (digit === "<") return group.name === "personalNumber" && /^<*$/.test(text);
  return mrzCheckDigit(text) === digit;
}

type Assignment = [line: number, column: number, ch: string][];

/**
 * Character-class repair, then check-digit arbitration: each field's confusable characters are
 * varied and the readings that satisfy the field's check digit kept (one unit per changed
 * character); the composite check digit then picks among the fields' readings, fewest changes
 * first. A tie is left as read and reported as alternatives, never guessed.
 *
 * The composite only separates readings of fields that sit in it at an offset not divisible by 3
 * (the dates): there its weights differ from the field's own. The document number (offset 0) and
 * TD3's personal number (offset 24) weigh the same in both, so every reading that fits its own
 * check digit fits the composite too.
 */
function repairCharacters(
  format: MrzFormat,
  input: string[],
): { lines: string[]; repairs: MrzRepair[]; alternatives: MrzAlternative[]; fits: Set<MrzCheckName>; cost: number } {
  const layout = LAYOUTS[format];
  const chars = input.map((line) => line.split(""));
  const repairs: MrzRepair[] = [];
  /** Positions with more than one possible reading, and their options (the one read first). */
  const options = new Map<string, string[]>();
  const key = (line: number, column: number) => `${line}:${column}`;

  chars.forEach((row, line) =>
    row.forEach((ch, column) => {
      const cls = layout.classes[line][column];
      if (cls === "N" && !/[0-9<]/.test(ch)) {
        const digits = LETTER_AS_DIGIT[ch];
        if (!digits) return;
        row[column] = digits[0];
        // A Z (2 or 7) is reported once arbitration has picked; see the end of this function.
        if (digits.length > 1) options.set(key(line, column), digits);
        else repairs.push({ line, column, from: ch, to: digits[0], reason: "character_class" });
      } else if (cls === "A" && DIGIT_AS_LETTER[ch]) {
        row[column] = DIGIT_AS_LETTER[ch];
        repairs.push({ line, column, from: ch, to: row[column], reason: "character_class" });
      } else if (cls === "X" && CONFUSABLE[ch]) {
        options.set(key(line, column), [ch, ...CONFUSABLE[ch]]);
      }
    })
  );
  const base = chars.map((row) => row.join(""));
  // Symmetric on purpose: tesseract misreads 0 as O after letters and O as 0 between digits, and
  // its confidences do not tell (it is as sure of the wrong glyph), so no direction is preferred.
  const substitutionCost = (from: string, to: string) => (from === to ? 0 : 1);

  const groups = groupsFor(format, base);
  const composite = groups.find((g) => g.name === "composite");
  const perGroup: { assignment: Assignment; cost: number }[][] = [];
  for (const group of groups) {
    if (group === composite) continue;
    const positions: [number, number][] = group.spans.flatMap((s) =>
      Array.from({ length: s.end - s.start }, (_, k): [number, number] => [s.line, s.start + k])
    );
    positions.push([group.digit.line, group.digit.column]);
    const variable = positions.filter(([l, c]) => options.has(key(l, c)));
    const readings = enumerate(variable, options, key, (l, c, ch) => substitutionCost(input[l][c], ch));
    // A Z in a digit field must become 2 or 7 anyway; other changes are guesses, capped per field.
    const guesses = (r: { assignment: Assignment }) =>
      r.assignment.filter(([l, c, ch]) => input[l][c] === base[l][c] && ch !== input[l][c]).length;
    const valid = readings &&
      readings.filter((r) =>
        guesses(r) <= MAX_GUESSES_PER_FIELD && groupValid(group, applyAssignment(base, r.assignment))
      );
    // Not only the cheapest: where the composite weighs a field differently from its own check
    // digit (the dates), it can still choose among near-cheapest readings.
    perGroup.push(valid && valid.length > 0 ? cheapest(valid, COMPOSITE_CHOICE_MARGIN) : [{ assignment: [], cost: 0 }]);
  }
  const compositeDigit = composite ? [[composite.digit.line, composite.digit.column] as [number, number]] : [];
  const compositeReadings = enumerate(
    compositeDigit.filter(([l, c]) => options.has(key(l, c))),
    options,
    key,
    () => 0,
  ) ?? [{ assignment: [], cost: 0 }];

  // Product of the fields' readings (and the composite digit's own, if confusable).
  let combined: { assignment: Assignment; cost: number; compositeOk: boolean }[] = [
    { assignment: [], cost: 0, compositeOk: false },
  ];
  for (const choices of [...perGroup, compositeReadings]) {
    if (combined.length * choices.length > MAX_COMBINATIONS) {
      combined = [{ assignment: [], cost: 0, compositeOk: false }];
      break;
    }
    combined = combined.flatMap((c) =>
      choices.map((r) => ({
        assignment: [...c.assignment, ...r.assignment],
        cost: c.cost + r.cost,
        compositeOk: false,
      }))
    );
  }
  for (const c of combined) {
    c.compositeOk = composite ? groupValid(composite, applyAssignment(base, c.assignment)) : true;
  }
  const pool = combined.some((c) => c.compositeOk) ? combined.filter((c) => c.compositeOk) : combined;
  const best = cheapest(pool);
  // Checks that at least one of the best readings satisfies (what alignment scores by).
  const fits = new Set<MrzCheckName>(
    groups.filter((g) => best.some((b) => groupValid(g, applyAssignment(base, b.assignment)))).map((g) => g.name),
  );
  let lines: string[];
  const alternatives: MrzAlternative[] = [];
  if (best.length === 1) {
    lines = applyAssignment(base, best[0].assignment);
  } else {
    // Keep only what every best reading agrees on, and report the readings of the fields that differ.
    const readings = best.map((b) => applyAssignment(base, b.assignment));
    lines = base.map((line, l) =>
      line.split("").map((ch, c) => (readings.every((r) => r[l][c] === readings[0][l][c]) ? readings[0][l][c] : ch))
        .join("")
    );
    for (const group of groups) {
      const texts = [...new Set(readings.map((r) => groupText(group, r)))];
      if (texts.length > 1 && group !== composite) alternatives.push({ field: group.name, readings: texts.sort() });
    }
  }

  // What the chosen reading(s) cost, counted the same whether or not a tie left them unapplied.
  const cost = repairs.length + (best[0]?.cost ?? 0);
  for (let l = 0; l < lines.length; l++) {
    for (let c = 0; c < lines[l].length; c++) {
      const guessed = !/[0-9<]/.test(input[l][c]) && options.has(key(l, c));
      if (lines[l][c] === base[l][c] && !guessed) continue;
      const earlier = repairs.findIndex((r) => r.line === l && r.column === c);
      if (earlier >= 0) repairs.splice(earlier, 1);
      if (input[l][c] === lines[l][c]) continue;
      const group = groups.find((g) => inGroup(g, l, c));
      const settled = group !== undefined && groupValid(group, lines);
      repairs.push({
        line: l,
        column: c,
        from: input[l][c],
        to: lines[l][c],
        reason: settled ? "check_digit" : "character_class",
      });
    }
  }
  return { lines, repairs: repairs.sort((a, b) => a.line - b.line || a.column - b.column), alternatives, fits, cost };
}

/** Every combination of options at `positions`, with its cost; null when there are too many. */
function enumerate(
  positions: [number, number][],
  options: Map<string, string[]>,
  key: (line: number, column: number) => string,
  cost: (line: number, column: number, ch: string) => number,
): { assignment: Assignment; cost: number }[] | null {
  let out: { assignment: Assignment; cost: number }[] = [{ assignment: [], cost: 0 }];
  for (const [l, c] of positions) {
    const opts = options.get(key(l, c))!;
    if (out.length * opts.length > MAX_COMBINATIONS) return null;
    out = out.flatMap((o) =>
      opts.map((ch) => ({ assignment: [...o.assignment, [l, c, ch]] as Assignment, cost: o.cost + cost(l, c, ch) }))
    );
  }
  return out;
}

function cheapest<T extends { cost: number }>(items: T[], margin = 0): T[] {
  const min = Math.min(...items.map((i) => i.cost));
  return items.filter((i) => i.cost - min < margin + 1e-9);
}

function applyAssignment(lines: string[], assignment: [number, number, string][]): string[] {
  if (assignment.length === 0) return lines;
  const rows = lines.map((line) => line.split(""));
  for (const [l, c, ch] of assignment) rows[l][c] = ch;
  return rows.map((row) => row.join(""));
}

/** One repair covering what differs between the read line and its aligned form (columns shift inside it). */
function spanRepair(line: number, before: string, after: string): MrzRepair {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (
    end < before.length - start && end < after.length - start && before.at(-1 - end) === after.at(-1 - end)
  ) end++;
  return {
    line,
    column: start,
    from: before.slice(start, before.length - end),
    to: after.slice(start, after.length - end),
    reason: "filler",
  };
}

/**
 * The document number and dates of a reading that show no printed form: a filler followed by a
 * glyph inside the field (fields are left-aligned and padded, ICAO 9303 part 3, 4.3). A check digit
 * may still hold — K and `<` weigh the same at a weight of 3 — but a glyph was misread there.
 * Optional data is free-form and not judged.
 */
export function malformedFields(repaired: RepairedMrz): MrzCheckName[] {
  return groupsFor(repaired.format, repaired.lines).filter((group) =>
    group.name !== "composite" && group.name !== "personalNumber" &&
    /<[^<]/.test(groupText(group, repaired.lines))
  ).map((g) => g.name);
}

/** Codes ICAO 9303 part 3 reserves for specimens (Utopia), absent from ISO 3166 and so from `mrz`. */
const SPECIMEN_STATES = new Set(["UTO"]);

/** Whether a state code is one ICAO reserves for specimen documents: presented in a session, a fraud signal. */
export function isSpecimenState(code: string | null | undefined): boolean {
  return code !== null && code !== undefined && SPECIMEN_STATES.has(code);
}
const STATE_FIELDS = new Set(["issuingState", "nationality"]);

const CHECK_FIELDS: Record<string, MrzCheckName> = {
  documentNumberCheckDigit: "documentNumber",
  birthDateCheckDigit: "birthDate",
  expirationDateCheckDigit: "expirationDate",
  personalNumberCheckDigit: "personalNumber",
  compositeCheckDigit: "composite",
};

/**
 * Parses with `mrz` and reports each check digit. Given a RepairedMrz, a field with alternative
 * readings fails its check (error "ambiguous"), even if the reading kept happens to satisfy it.
 * Never throws for bad values, only for lines of no supported shape.
 */
export function parseMrz(input: readonly string[] | RepairedMrz): ParsedMrz {
  const lines = "lines" in input ? input.lines : input;
  const alternatives = "lines" in input ? input.alternatives : [];
  const inferred = "lines" in input ? input.inferred : [];
  const repairs = "lines" in input ? input.repairs : [];
  const realigned = "lines" in input ? input.realigned : false;
  const result = parse(lines.slice());
  const checks: Partial<Record<MrzCheckName, boolean>> = {};
  const errors: { field: string; error: string }[] = [];
  const fields: Record<string, string | null> = { ...result.fields };
  let valid = true;
  for (const detail of result.details) {
    if (detail.field && detail.field in CHECK_FIELDS) checks[CHECK_FIELDS[detail.field]] = detail.valid;
    const code = lines[detail.line]?.slice(detail.start, detail.end);
    if (!detail.valid && detail.field && STATE_FIELDS.has(detail.field) && code && SPECIMEN_STATES.has(code)) {
      // ICAO's own specimen state: a real code in Doc 9303 part 3, which the `mrz` package's list lacks.
      fields[detail.field] = code;
      continue;
    }
    if (!detail.valid) {
      valid = false;
      errors.push({ field: detail.field ?? detail.label, error: detail.error ?? "invalid" });
    }
  }
  for (const alternative of alternatives) {
    checks[alternative.field] = false;
    errors.push({
      field: alternative.field,
      error: `ambiguous: the OCR reading could be ${alternative.readings.join(" or ")}`,
    });
  }
  const format = result.format as MrzFormat;
  const misread = groupsFor(format, [...lines]).filter((group) =>
    checks[group.name] === false &&
    // The composite's spans cover the other fields: a repair in any of them explains it too. A
    // glyph after a filler inside a field is no printed form (fields are left-aligned, padded).
    (realigned || repairs.some((r) => inGroup(group, r.line, r.column)) ||
      group.spans.some((s) => /<[^<]/.test(lines[s.line].slice(s.start, s.end))))
  ).map((g) => g.name);
  return {
    format,
    valid: valid && alternatives.length === 0,
    checks,
    fields,
    documentNumber: result.documentNumber,
    errors,
    inferred,
    misread,
  };
}

/**
 * An MRZ date (YYMMDD) as ISO 8601. Birth dates take the latest century not in the future; expiry
 * dates the century that puts them within 50 years back or forward of `now`.
 */
export function mrzDateToIso(yymmdd: string, kind: "birth" | "expiry", now: Date): string | null {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd);
  if (!m) return null;
  const [yy, mm, dd] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const thisYear = now.getUTCFullYear();
  let year = Math.floor(thisYear / 100) * 100 + yy;
  if (kind === "birth") {
    if (year > thisYear) year -= 100;
  } else if (year > thisYear + 50) year -= 100;
  else if (year < thisYear - 50) year += 100;
  const date = new Date(Date.UTC(year, mm - 1, dd));
  if (date.getUTCMonth() !== mm - 1 || date.getUTCDate() !== dd) return null;
  return date.toISOString().slice(0, 10);
}
