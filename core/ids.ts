/** Owns identifier and secret generation: prefixed random ids and high-entropy tokens. */

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** Random base36 string; each char carries ~5.17 bits, so 26 chars ≈ 134 bits. */
export function randomString(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
  let out = "";
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    // Rejection sampling keeps the distribution uniform (252 = 7 * 36).
    if (bytes[i] < 252) out += ALPHABET[bytes[i] % 36];
  }
  return out.length === length ? out : out + randomString(length - out.length);
}

export type IdPrefix =
  | "ses"
  | "org"
  | "key"
  | "evt"
  | "idk"
  | "tok"
  | "req"
  | "doc"
  | "wfl"
  | "idn"
  | "case"
  | "list"
  | "whep"
  | "whd"
  | "aud"
  | "wfr"
  | "chk"
  | "wle"
  | "wli"
  | "note"
  | "litem"
  | "lmatch"
  | "usr"
  | "inv"
  | "osess"
  | "chal"
  | "dry";

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomString(24)}`;
}
