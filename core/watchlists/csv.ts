/** Owns reading RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes) into rows of strings. */

/** Yields each row's fields; blank lines yield nothing. One pass over the text, no regex per field. */
export function* csvRows(text: string): Generator<string[]> {
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') (field += '"', i++);
      else quoted = false;
    } else if (c === '"') {
      quoted = true;
      fieldStarted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
      fieldStarted = true;
    } else if (c === "\n" || c === "\r") {
      if (fieldStarted || field) row.push(field);
      if (row.length) yield row;
      row = [];
      field = "";
      fieldStarted = false;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (fieldStarted || field) row.push(field);
  if (row.length) yield row;
}
