/**
 * Owns the one normal form of a person's or company's name that the importer stores and screening
 * compares: lower-case, accents folded, punctuation gone, single spaces.
 */

// Letters NFKD does not decompose into a base letter plus a mark.
const FOLDED_LETTERS: Record<string, string> = {
  "ß": "ss",
  "æ": "ae",
  "œ": "oe",
  "ø": "o",
  "ł": "l",
  "đ": "d",
  "ð": "d",
  "þ": "th",
  "ı": "i",
};

export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[ßæœøłđðþı]/g, (letter) => FOLDED_LETTERS[letter])
    // Apostrophes join (O'Brien and OBrien are one spelling); every other non-letter separates.
    .replace(/['’‘`ʼ]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * "LAST, First Middle" → "First Middle LAST", the order a document gives. Only the first comma
 * splits ("SMITH, John, Jr." → "John, Jr. SMITH"); a name without one is returned as it is.
 */
export function givenNamesFirst(listed: string): string {
  const comma = listed.indexOf(",");
  if (comma < 0) return listed;
  return `${listed.slice(comma + 1).trim()} ${listed.slice(0, comma).trim()}`.trim();
}
