/**
 * Owns byte encodings Deno lacks without @std and node's Buffer makes awkward to type: base64, and
 * joining chunks into one plain Uint8Array.
 */
import { Buffer } from "node:buffer";

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

/** One plain Uint8Array (not a Buffer, so callers compare like with like) holding the chunks in order. */
export function joinBytes(chunks: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
