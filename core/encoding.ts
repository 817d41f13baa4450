/** Owns base64 encoding, which Deno lacks without @std and node's Buffer makes awkward to type. */
import { Buffer } from "node:buffer";

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}
