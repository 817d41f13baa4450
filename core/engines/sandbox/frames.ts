/**
 * Owns the wire format between the worker and its engine sandbox: each message is a frame of an
 * 8-byte header (magic, payload length) and a V8-serialized payload, so image bytes travel as raw
 * bytes (no base64) and results keep what JSON would lose (undefined, NaN, typed arrays).
 */
import { deserialize, serialize } from "node:v8";
import { joinBytes } from "../../encoding.ts";

/** "VFE1": a frame that does not start with it means something else wrote to the stream. */
const MAGIC = 0x56464531;
const HEADER_BYTES = 8;
/** Larger than any stored image (the upload limit) with room for its options; a bigger length is corruption. */
export const MAX_FRAME_BYTES = 64 * 2 ** 20;

export class FrameError extends Error {
  override name = "FrameError";
}

export function encodeFrame(message: unknown): Uint8Array {
  const payload = serialize(message);
  if (payload.byteLength > MAX_FRAME_BYTES) throw new FrameError(`a ${payload.byteLength}-byte message is too large`);
  const frame = new Uint8Array(HEADER_BYTES + payload.byteLength);
  const view = new DataView(frame.buffer);
  view.setUint32(0, MAGIC);
  view.setUint32(4, payload.byteLength);
  frame.set(payload, HEADER_BYTES);
  return frame;
}

/**
 * Reads frames off a byte stream as they complete, however the stream chunks them; throws
 * FrameError on a bad header, after which the stream cannot be resynchronised. Chunks are joined
 * only once a header or a whole frame is there, so a large image is copied once, not per chunk.
 */
export async function* readFrames(stream: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  let chunks: Uint8Array[] = [];
  let size = 0;
  /** Payload length of the frame being read, once its header has arrived. */
  let expected: number | null = null;
  const take = (bytes: number): Uint8Array => {
    const joined = chunks.length === 1 ? chunks[0] : joinBytes(chunks);
    chunks = joined.byteLength > bytes ? [joined.subarray(bytes)] : [];
    size -= bytes;
    return joined.subarray(0, bytes);
  };
  for await (const chunk of stream) {
    chunks.push(chunk);
    size += chunk.byteLength;
    for (;;) {
      if (expected === null) {
        if (size < HEADER_BYTES) break;
        const header = new DataView(take(HEADER_BYTES).slice().buffer);
        expected = header.getUint32(4);
        if (header.getUint32(0) !== MAGIC || expected > MAX_FRAME_BYTES) {
          throw new FrameError("the stream holds something other than engine frames");
        }
      }
      if (size < expected) break;
      const payload = take(expected);
      expected = null;
      yield deserialize(payload);
    }
  }
  if (size || expected !== null) throw new FrameError("the stream ended inside a frame");
}
