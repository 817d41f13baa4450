/**
 * Owns the encryption of document objects before they reach the blob store: each object gets its
 * own random AES-256-GCM data key, and only that small key is wrapped by the key ring, so rotating
 * the ring re-wraps 32 bytes per object instead of re-encrypting megabytes of images.
 *
 * Format: "VFO1" | u32 big-endian header length | UTF-8 JSON header | ciphertext | 16-byte GCM tag.
 * Header: `{ "wrapped_key": <KeyRing envelope "v1:<key id>:<base64url>">, "iv": <base64url> }`.
 * The header is not authenticated as such, and need not be: the wrapped key is a GCM ciphertext
 * bound to the storage key, and a changed IV or data key fails the data's own tag.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { Buffer } from "node:buffer";
import type { CipherContext, KeyRing } from "./key_ring.ts";

const MAGIC = new TextEncoder().encode("VFO1");
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** A real header is ~120 bytes; a bound keeps a corrupt length from making us parse megabytes. */
const MAX_HEADER_BYTES = 4096;
const PREFIX_BYTES = MAGIC.length + 4;

interface ObjectHeader {
  wrapped_key: string;
  iv: string;
}

interface ParsedObject {
  header: ObjectHeader;
  /** Ciphertext followed by the tag; a view into the sealed bytes. */
  body: Uint8Array;
}

/** Encrypts `plaintext` for storage under `storageKey`; the result opens only under that key. */
export function sealObject(keyRing: KeyRing, storageKey: string, plaintext: Uint8Array): Uint8Array {
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", dataKey, iv);
    cipher.setAAD(objectAad(storageKey));
    const ciphertext = cipher.update(plaintext);
    const final = cipher.final();
    const tag = cipher.getAuthTag();
    const header: ObjectHeader = {
      wrapped_key: keyRing.encrypt(dataKey, wrapContext(storageKey)),
      iv: iv.toString("base64url"),
    };
    return assemble(header, [ciphertext, final, tag]);
  } finally {
    dataKey.fill(0);
  }
}

/** Decrypts an object sealed by sealObject; throws when the key, the storage key or any byte is wrong. */
export function openObject(keyRing: KeyRing, storageKey: string, sealed: Uint8Array): Uint8Array {
  const { header, body } = parse(sealed, storageKey);
  const dataKey = unwrap(keyRing, storageKey, header);
  try {
    const iv = Buffer.from(header.iv, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", dataKey, iv);
    decipher.setAAD(objectAad(storageKey));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    const first = decipher.update(body.subarray(0, body.length - TAG_BYTES));
    let last: Buffer;
    try {
      last = decipher.final();
    } catch {
      throw new Error(`cannot open object ${storageKey}: authentication failed`);
    }
    const out = new Uint8Array(first.length + last.length);
    out.set(first);
    out.set(last, first.length);
    return out;
  } finally {
    dataKey.fill(0);
  }
}

/** Whether the object's data key is wrapped under a ring key other than the primary. */
export function needsRewrap(keyRing: KeyRing, sealed: Uint8Array): boolean {
  return keyRing.needsRotation(parse(sealed, "(unknown)").header.wrapped_key);
}

/**
 * The same object with its data key re-wrapped under the ring's primary key. The ciphertext bytes
 * are copied unchanged, so this costs one small unwrap and wrap, whatever the object's size.
 */
export function rewrapObject(keyRing: KeyRing, storageKey: string, sealed: Uint8Array): Uint8Array {
  const { header, body } = parse(sealed, storageKey);
  const dataKey = unwrap(keyRing, storageKey, header);
  try {
    return assemble({ wrapped_key: keyRing.encrypt(dataKey, wrapContext(storageKey)), iv: header.iv }, [body]);
  } finally {
    dataKey.fill(0);
  }
}

function assemble(header: ObjectHeader, parts: Uint8Array[]): Uint8Array {
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const total = PREFIX_BYTES + headerBytes.length + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  out.set(MAGIC);
  new DataView(out.buffer).setUint32(MAGIC.length, headerBytes.length);
  out.set(headerBytes, PREFIX_BYTES);
  let at = PREFIX_BYTES + headerBytes.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Strict parse: anything unexpected means the stored object was altered or is not ours. */
function parse(sealed: Uint8Array, storageKey: string): ParsedObject {
  const fail = (why: string) => new Error(`cannot open object ${storageKey}: ${why}`);
  if (sealed.length < PREFIX_BYTES || !MAGIC.every((b, i) => sealed[i] === b)) throw fail("not a VFO1 object");
  const headerLength = new DataView(sealed.buffer, sealed.byteOffset, sealed.byteLength).getUint32(MAGIC.length);
  if (headerLength > MAX_HEADER_BYTES || PREFIX_BYTES + headerLength + TAG_BYTES > sealed.length) {
    throw fail("bad header length");
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(
      sealed.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength),
    ));
  } catch {
    throw fail("unreadable header");
  }
  if (!isHeader(header)) throw fail("bad header");
  return { header, body: sealed.subarray(PREFIX_BYTES + headerLength) };
}

function isHeader(value: unknown): value is ObjectHeader {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { wrapped_key, iv, ...rest } = value as Record<string, unknown>;
  return typeof wrapped_key === "string" && typeof iv === "string" && Object.keys(rest).length === 0 &&
    /^[A-Za-z0-9_-]+$/.test(iv) && Buffer.from(iv, "base64url").length === IV_BYTES;
}

function unwrap(keyRing: KeyRing, storageKey: string, header: ObjectHeader): Buffer {
  // KeyRing.decrypt throws on an unknown key id, a tampered wrap, or a different storage key.
  const raw = keyRing.decrypt(header.wrapped_key, wrapContext(storageKey));
  // A view, not a copy, so the callers' fill(0) clears the only plaintext copy of the key.
  const dataKey = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (dataKey.length !== KEY_BYTES) throw new Error(`cannot open object ${storageKey}: bad data key`);
  return dataKey;
}

function wrapContext(storageKey: string): CipherContext {
  return { table: "blobs", column: "data_key", rowId: storageKey };
}

/** Binds the data to its storage key, so an object copied to another key does not open. */
function objectAad(storageKey: string): Buffer {
  return Buffer.from(`VFO1\u0000blobs\u0000data\u0000${storageKey}`);
}
