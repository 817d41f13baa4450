/**
 * Owns encryption at rest: AES-256-GCM under a key ring whose first key encrypts and whose
 * every key decrypts, with associated data binding each ciphertext to its row and column so a
 * value copied to another row or column fails to decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { Buffer } from "node:buffer";
import type { KeyEntry } from "../config.ts";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where a ciphertext lives; it becomes the GCM associated data. */
export interface CipherContext {
  table: string;
  column: string;
  rowId: string;
}

export class KeyRing {
  readonly #keys: Map<string, Buffer>;
  readonly #primaryId: string;

  constructor(entries: readonly KeyEntry[]) {
    if (entries.length === 0) throw new Error("KeyRing needs at least one key");
    this.#keys = new Map(entries.map((e) => [e.id, Buffer.from(e.key)]));
    this.#primaryId = entries[0].id;
  }

  get primaryKeyId(): string {
    return this.#primaryId;
  }

  encrypt(plaintext: Uint8Array, context: CipherContext): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#keys.get(this.#primaryId)!, iv);
    cipher.setAAD(associatedData(context));
    const body = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}:${this.#primaryId}:${body.toString("base64url")}`;
  }

  decrypt(envelope: string, context: CipherContext): Uint8Array {
    const parts = envelope.split(":");
    const [version, keyId, payload] = parts;
    const key = this.#keys.get(keyId);
    // Strict format: extra parts or stray characters mean the stored value was altered.
    if (parts.length !== 3 || version !== VERSION || !key || !/^[A-Za-z0-9_-]+$/.test(payload ?? "")) {
      throw new Error(`cannot decrypt ${context.table}.${context.column}: unknown key or format`);
    }
    const body = Buffer.from(payload, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", key, body.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(context));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return new Uint8Array(
      Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]),
    );
  }

  encryptJson(value: unknown, context: CipherContext): string {
    return this.encrypt(new TextEncoder().encode(JSON.stringify(value)), context);
  }

  decryptJson<T>(envelope: string, context: CipherContext): T {
    return JSON.parse(new TextDecoder().decode(this.decrypt(envelope, context))) as T;
  }

  /** Whether a ciphertext was made under an older key and should be re-encrypted. */
  needsRotation(envelope: string): boolean {
    return envelope.split(":")[1] !== this.#primaryId;
  }
}

function associatedData(context: CipherContext): Buffer {
  return Buffer.from(`${context.table}\u0000${context.column}\u0000${context.rowId}`);
}
