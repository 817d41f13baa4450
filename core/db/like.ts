/** Owns quoting text for SQL LIKE patterns, so user text or key ids never act as wildcards. */

/** Escapes LIKE's wildcards (`%`, `_`) and its escape character (Postgres' default escape is the backslash). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}
