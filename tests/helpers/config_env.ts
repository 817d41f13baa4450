/** Owns the smallest environment parseConfig accepts (a database and the three key settings), for config tests. */
const b64 = (length: number, fill: number) => btoa(String.fromCharCode(...new Uint8Array(length).fill(fill)));

export function minimalEnv(): Record<string, string> {
  return {
    DATABASE_URL: "postgres://verifa:pw@db:5432/verifa",
    VERIFA_ENCRYPTION_KEYS: `k1:${b64(32, 1)}`,
    VERIFA_INDEX_KEY: b64(32, 2),
    VERIFA_SIGNING_KEYS: `s1:${b64(48, 3)}`,
  };
}
