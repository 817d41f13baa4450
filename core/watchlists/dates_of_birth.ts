/**
 * Owns the stored form of a listed date of birth and whether an applicant's date agrees with it.
 * Lists are often vague, so a listed date is one of: 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' (also for
 * "circa"/"approximately"), or the year range 'YYYY/YYYY'.
 */

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function month(name: string): string | null {
  const index = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return index < 0 ? null : String(index + 1).padStart(2, "0");
}

/**
 * One OFAC remark date ("12 Jan 1960", "Jan 1960", "1960", "circa 1960", "1960 to 1962") in the
 * stored form, or null for a form we do not read (the remark itself is kept in `remarks`).
 */
export function parseOfacDate(text: string): string | null {
  const value = text.trim().replace(/^(circa|approximately|approx\.)\s+/i, "");
  let m = /^(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})$/.exec(value);
  if (m) return month(m[2]) && `${m[3]}-${month(m[2])}-${m[1].padStart(2, "0")}`;
  m = /^([A-Za-z]{3,9})\.? (\d{4})$/.exec(value);
  if (m) return month(m[1]) && `${m[2]}-${month(m[1])}`;
  m = /^(\d{4})$/.exec(value);
  if (m) return m[1];
  m = /^(\d{4}) ?(?:to|-) ?(\d{4})$/.exec(value);
  if (m) return `${m[1]}/${m[2]}`;
  return null;
}

/** Every "DOB …" and "alt. DOB …" date in an OFAC Remarks field, in the stored form. */
export function datesOfBirthInOfacRemarks(remarks: string | null): string[] {
  if (!remarks) return [];
  const found: string[] = [];
  for (const m of remarks.matchAll(/\bDOB ([^;]+)/g)) {
    const parsed = parseOfacDate(m[1]);
    if (parsed && !found.includes(parsed)) found.push(parsed);
  }
  return found;
}

/**
 * The applicant's date (ISO 'YYYY-MM-DD', or a shorter prefix) against the listed ones: null when
 * either side is unknown, true when any listed date could be the same day, false otherwise.
 */
export function dateOfBirthMatches(listed: readonly string[], subject: string | null | undefined): boolean | null {
  const applicant = subject?.trim().slice(0, 10);
  if (!applicant || !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(applicant) || listed.length === 0) return null;
  const year = Number(applicant.slice(0, 4));
  return listed.some((date) => {
    const range = /^(\d{4})\/(\d{4})$/.exec(date);
    if (range) return year >= Number(range[1]) && year <= Number(range[2]);
    return applicant.startsWith(date) || date.startsWith(applicant);
  });
}
