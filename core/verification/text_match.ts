/**
 * Owns comparing what a person typed or a document printed with what a machine read: the
 * normalisation (case, accents, punctuation), an edit-distance similarity, and an approximate
 * "does this printed text contain that value" for OCR output, where one misread glyph is normal.
 */

/** Upper case, accents folded, anything but letters and digits turned into single spaces. */
export function normalizeText(value: string): string {
  return value.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toUpperCase().replace(/[^A-Z0-9]+/g, " ").trim();
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** 1 for equal strings after normalisation, 0 for nothing in common; token order does not matter. */
export function textSimilarity(a: string, b: string): number {
  const left = normalizeText(a).split(" ").sort().join(" ");
  const right = normalizeText(b).split(" ").sort().join(" ");
  const longest = Math.max(left.length, right.length);
  if (longest === 0) return 1;
  return 1 - levenshtein(left, right) / longest;
}

/**
 * Whether `text` contains `value`, allowing one edit per eight characters (OCR confuses O/0, 1/I
 * and drops a glyph now and then). Spaces are ignored on both sides: printed fields wrap and OCR
 * splits or joins words.
 */
export function containsApproximately(text: string, value: string): boolean {
  const haystack = normalizeText(text).replace(/ /g, "");
  const needle = normalizeText(value).replace(/ /g, "");
  if (!needle) return false;
  if (haystack.includes(needle)) return true;
  const allowed = Math.floor(needle.length / 8);
  if (allowed === 0) return false;
  for (let start = 0; start + needle.length - allowed <= haystack.length; start++) {
    for (let length = needle.length - allowed; length <= needle.length + allowed; length++) {
      if (start + length > haystack.length) break;
      if (levenshtein(haystack.slice(start, start + length), needle) <= allowed) return true;
    }
  }
  return false;
}
