/**
 * Owns the document-object envelope tests: round trip, no plaintext in the sealed bytes, binding to
 * the storage key, tamper detection, and key rotation by re-wrapping the data key only.
 */
import assert from "node:assert/strict";
import sharp from "sharp";
import { KeyRing } from "../../core/crypto/key_ring.ts";
import { needsRewrap, openObject, rewrapObject, sealObject } from "../../core/crypto/object_envelope.ts";

const randomKey = () => crypto.getRandomValues(new Uint8Array(32));
const KEY = "org_1/ses_abc/doc_front.jpg";

/** Byte-pattern search, for signatures and plaintext fragments anywhere in the sealed object. */
function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** The envelope's parts, parsed independently of the module under test. */
function split(sealed: Uint8Array) {
  const headerLength = new DataView(sealed.buffer, sealed.byteOffset).getUint32(4);
  const header = JSON.parse(new TextDecoder().decode(sealed.subarray(8, 8 + headerLength)));
  return { magic: new TextDecoder().decode(sealed.subarray(0, 4)), header, body: sealed.subarray(8 + headerLength) };
}

Deno.test("object envelope", async (t) => {
  const oldKey = { id: "k2025", key: randomKey() };
  const newKey = { id: "k2026", key: randomKey() };
  const oldRing = new KeyRing([oldKey]);
  const rotatedRing = new KeyRing([newKey, oldKey]);
  const jpeg = new Uint8Array(
    await sharp({ create: { width: 64, height: 64, channels: 3, background: "#336699" } }).jpeg().toBuffer(),
  );
  const png = new Uint8Array(
    await sharp({ create: { width: 64, height: 64, channels: 3, background: "#336699" } }).png().toBuffer(),
  );

  await t.step("round trip, including empty and large objects", () => {
    for (const plain of [jpeg, png, new Uint8Array(0), crypto.getRandomValues(new Uint8Array(65536))]) {
      const sealed = sealObject(oldRing, KEY, plain);
      const opened = openObject(oldRing, KEY, sealed);
      assert.deepEqual(opened, plain);
      assert.equal(Object.getPrototypeOf(opened), Uint8Array.prototype);
    }
    const big = new Uint8Array(10 * 1024 * 1024).fill(0xab);
    assert.deepEqual(openObject(oldRing, KEY, sealObject(oldRing, KEY, big)), big);
  });

  await t.step("the format: VFO1, header with wrapped_key and iv, ciphertext + 16-byte tag", () => {
    const sealed = sealObject(oldRing, KEY, jpeg);
    const { magic, header, body } = split(sealed);
    assert.equal(magic, "VFO1");
    assert.deepEqual(Object.keys(header).sort(), ["iv", "wrapped_key"]);
    assert.match(header.iv, /^[A-Za-z0-9_-]{16}$/, "12-byte IV in base64url");
    assert.match(header.wrapped_key, /^v1:k2025:[A-Za-z0-9_-]+$/);
    assert.equal(body.length, jpeg.length + 16);
  });

  await t.step("no image signature or plaintext anywhere in the sealed bytes", () => {
    const text = new TextEncoder().encode("PASSPORT<<DOE<<JANE<<<<<<<<<<<<<<<<<<<<<<<<<<<");
    for (const plain of [jpeg, png, text]) {
      const sealed = sealObject(oldRing, KEY, plain);
      assert.ok(!contains(sealed, new Uint8Array([0xff, 0xd8, 0xff])), "JPEG signature");
      assert.ok(!contains(sealed, new Uint8Array([0x89, 0x50, 0x4e, 0x47])), "PNG signature");
      assert.ok(!contains(sealed, plain.subarray(0, 16)), "plaintext prefix");
      assert.ok(!contains(sealed, new TextEncoder().encode("DOE<<JANE")), "plaintext substring");
    }
  });

  await t.step("fresh data key and IV every time", () => {
    const a = split(sealObject(oldRing, KEY, jpeg));
    const b = split(sealObject(oldRing, KEY, jpeg));
    assert.notEqual(a.header.iv, b.header.iv);
    assert.notEqual(a.header.wrapped_key, b.header.wrapped_key);
    assert.notDeepEqual(a.body, b.body);
  });

  await t.step("an object copied to another storage key does not open", () => {
    const sealed = sealObject(oldRing, KEY, jpeg);
    assert.throws(() => openObject(oldRing, "org_1/ses_abc/doc_back.jpg", sealed));
    assert.throws(() => openObject(oldRing, "org_2/ses_abc/doc_front.jpg", sealed));
  });

  await t.step("tampering anywhere fails", () => {
    const sealed = sealObject(oldRing, KEY, jpeg);
    const { header, body } = split(sealed);
    const headerEnd = sealed.length - body.length;
    // A flipped bit in the ciphertext, the tag, the magic, and the header length.
    for (const at of [headerEnd + 5, sealed.length - 1, 0, 7]) {
      const bad = sealed.slice();
      bad[at] ^= 0x01;
      assert.throws(() => openObject(oldRing, KEY, bad), `bit at ${at}`);
    }
    // A truncated object, a changed IV, and another object's wrapped key.
    assert.throws(() => openObject(oldRing, KEY, sealed.subarray(0, sealed.length - 1)));
    assert.throws(() => openObject(oldRing, KEY, sealed.subarray(0, 10)));
    const other = split(sealObject(oldRing, KEY, jpeg)).header;
    for (const swapped of [{ ...header, iv: other.iv }, { ...header, wrapped_key: other.wrapped_key }]) {
      const headerBytes = new TextEncoder().encode(JSON.stringify(swapped));
      const forged = new Uint8Array(8 + headerBytes.length + body.length);
      forged.set(sealed.subarray(0, 4));
      new DataView(forged.buffer).setUint32(4, headerBytes.length);
      forged.set(headerBytes, 8);
      forged.set(body, 8 + headerBytes.length);
      assert.throws(() => openObject(oldRing, KEY, forged));
    }
  });

  await t.step("an unknown key ring cannot open it", () => {
    const sealed = sealObject(oldRing, KEY, jpeg);
    assert.throws(() => openObject(new KeyRing([newKey]), KEY, sealed));
    assert.throws(() => openObject(new KeyRing([{ id: "k2025", key: randomKey() }]), KEY, sealed));
  });

  await t.step("rotation: [new, old] opens objects sealed under [old]; new objects use new", () => {
    const sealed = sealObject(oldRing, KEY, jpeg);
    assert.deepEqual(openObject(rotatedRing, KEY, sealed), jpeg);
    const fresh = sealObject(rotatedRing, KEY, jpeg);
    assert.match(split(fresh).header.wrapped_key, /^v1:k2026:/);
    assert.throws(() => openObject(oldRing, KEY, fresh), "the old ring does not know k2026");
  });

  await t.step("needsRewrap and rewrapObject re-wrap the key without touching the data", () => {
    const sealed = sealObject(oldRing, KEY, jpeg);
    assert.equal(needsRewrap(oldRing, sealed), false);
    assert.equal(needsRewrap(rotatedRing, sealed), true);

    const rewrapped = rewrapObject(rotatedRing, KEY, sealed);
    assert.equal(needsRewrap(rotatedRing, rewrapped), false);
    const before = split(sealed);
    const after = split(rewrapped);
    assert.match(after.header.wrapped_key, /^v1:k2026:/);
    assert.equal(after.header.iv, before.header.iv);
    assert.deepEqual(after.body, before.body, "ciphertext and tag bytes are unchanged");
    assert.deepEqual(openObject(rotatedRing, KEY, rewrapped), jpeg);
    // Once the old key leaves the ring, only the re-wrapped object still opens.
    const newOnly = new KeyRing([newKey]);
    assert.deepEqual(openObject(newOnly, KEY, rewrapped), jpeg);
    assert.throws(() => openObject(newOnly, KEY, sealed));
    // Re-wrapping is bound to the storage key like opening is.
    assert.throws(() => rewrapObject(rotatedRing, "org_1/ses_abc/doc_back.jpg", sealed));
  });

  await t.step("needsRewrap rejects bytes that are not an envelope", () => {
    assert.throws(() => needsRewrap(oldRing, jpeg), /not a VFO1 object/);
  });
});
