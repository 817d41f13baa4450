/**
 * Owns the encryption-at-rest and keyed-hash tests: the KeyRing's AES-256-GCM envelope (round
 * trip, fresh IVs, context binding, rotation, tamper detection) and blind indexes.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { type CipherContext, KeyRing } from "../../core/crypto/key_ring.ts";
import { blindIndex, constantTimeEqual, hashSecret } from "../../core/crypto/hmac.ts";

const randomKey = () => crypto.getRandomValues(new Uint8Array(32));
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (value: string) => new TextEncoder().encode(value);

const CTX: CipherContext = { table: "sessions", column: "fields_enc", rowId: "ses_abc" };

/** Flips one bit of the decoded payload at `index` (negative counts from the end) and re-encodes. */
function flipPayloadBit(envelope: string, index: number): string {
  const [version, keyId, payload] = envelope.split(":");
  const body = Buffer.from(payload, "base64url");
  const at = index < 0 ? body.length + index : index;
  body[at] ^= 0x01;
  return `${version}:${keyId}:${body.toString("base64url")}`;
}

Deno.test("KeyRing", async (t) => {
  const oldKey = { id: "k2025", key: randomKey() };
  const newKey = { id: "k2026", key: randomKey() };
  const ring = new KeyRing([oldKey]);

  await t.step("round trip of bytes and of JSON", () => {
    const plain = "Jane Doe, 1990-01-01, DL D1234567 — ünïcødé ✓";
    const envelope = ring.encrypt(bytes(plain), CTX);
    assert.equal(text(ring.decrypt(envelope, CTX)), plain);
    assert.ok(!envelope.includes("Jane"), "the envelope must not carry the plaintext");
    const value = { first_name: "Jane", address: { city: "Sacramento" }, tags: [1, 2] };
    assert.deepEqual(ring.decryptJson(ring.encryptJson(value, CTX), CTX), value);
    const empty = ring.encrypt(new Uint8Array(0), CTX);
    assert.equal(ring.decrypt(empty, CTX).length, 0);
    const binary = crypto.getRandomValues(new Uint8Array(4096));
    assert.deepEqual(ring.decrypt(ring.encrypt(binary, CTX), CTX), binary);
  });

  await t.step("the envelope names its version and key id", () => {
    const envelope = ring.encrypt(bytes("x"), CTX);
    const [version, keyId, payload] = envelope.split(":");
    assert.equal(version, "v1");
    assert.equal(keyId, "k2025");
    assert.equal(ring.primaryKeyId, "k2025");
    // 12-byte IV + ciphertext + 16-byte tag.
    assert.equal(Buffer.from(payload, "base64url").length, 12 + 1 + 16);
  });

  await t.step("the same plaintext encrypts differently every time", () => {
    const seen = new Set<string>();
    const ivs = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const envelope = ring.encrypt(bytes("same"), CTX);
      seen.add(envelope);
      ivs.add(Buffer.from(envelope.split(":")[2], "base64url").subarray(0, 12).toString("hex"));
    }
    assert.equal(seen.size, 50);
    assert.equal(ivs.size, 50);
  });

  await t.step("a ciphertext moved to another row, column or table fails to decrypt", () => {
    const envelope = ring.encrypt(bytes("secret"), CTX);
    for (
      const other of [
        { ...CTX, rowId: "ses_abd" },
        { ...CTX, column: "metadata_enc" },
        { ...CTX, table: "identities" },
        { ...CTX, rowId: "SES_ABC" },
        { table: "sessions", column: "fields_encses_abc", rowId: "" },
      ]
    ) {
      assert.throws(() => ring.decrypt(envelope, other), Error, JSON.stringify(other));
    }
    assert.equal(text(ring.decrypt(envelope, CTX)), "secret");
  });

  await t.step("a ring of [new, old] decrypts old ciphertexts and encrypts under new", () => {
    const before = ring.encrypt(bytes("made under the old key"), CTX);
    const rotated = new KeyRing([newKey, oldKey]);
    assert.equal(rotated.primaryKeyId, "k2026");
    assert.equal(text(rotated.decrypt(before, CTX)), "made under the old key");
    assert.equal(rotated.needsRotation(before), true);
    const after = rotated.encrypt(bytes("made under the new key"), CTX);
    assert.equal(after.split(":")[1], "k2026");
    assert.equal(rotated.needsRotation(after), false);
    assert.equal(text(rotated.decrypt(after, CTX)), "made under the new key");
    // Re-encrypting is how a rotation job clears needsRotation.
    const reEncrypted = rotated.encrypt(rotated.decrypt(before, CTX), CTX);
    assert.equal(rotated.needsRotation(reEncrypted), false);
    // The old ring cannot read what the new key wrote, and a ring without the old key cannot read old data.
    assert.throws(() => ring.decrypt(after, CTX));
    assert.throws(() => new KeyRing([newKey]).decrypt(before, CTX));
    assert.equal(ring.needsRotation(before), false);
  });

  await t.step("a key with the right id but the wrong bytes fails", () => {
    const envelope = ring.encrypt(bytes("secret"), CTX);
    const impostor = new KeyRing([{ id: oldKey.id, key: randomKey() }]);
    assert.throws(() => impostor.decrypt(envelope, CTX));
  });

  await t.step("tampered ciphertexts fail", () => {
    const envelope = ring.encrypt(bytes("transfer 100 to alice"), CTX);
    // IV, ciphertext and tag bytes each.
    for (const index of [0, 11, 12, 15, -17, -1]) {
      assert.throws(() => ring.decrypt(flipPayloadBit(envelope, index), CTX), Error, `byte ${index}`);
    }
    const [version, keyId, payload] = envelope.split(":");
    const body = Buffer.from(payload, "base64url");
    const truncated = `${version}:${keyId}:${body.subarray(0, body.length - 1).toString("base64url")}`;
    assert.throws(() => ring.decrypt(truncated, CTX));
    const extended = `${version}:${keyId}:${Buffer.concat([body, Buffer.from([0])]).toString("base64url")}`;
    assert.throws(() => ring.decrypt(extended, CTX));
    for (
      const bad of [
        "",
        "v1",
        `v1:${keyId}`,
        `v1:${keyId}:`,
        `v2:${keyId}:${payload}`,
        `v1:nokey:${payload}`,
        `v1:${keyId}:AAAA`,
        "garbage",
      ]
    ) {
      assert.throws(() => ring.decrypt(bad, CTX), Error, bad);
    }
    assert.equal(text(ring.decrypt(envelope, CTX)), "transfer 100 to alice");
  });

  await t.step("a ring needs at least one key", () => {
    assert.throws(() => new KeyRing([]));
  });
});

Deno.test("blind indexes and secret hashing", async (t) => {
  const key = randomKey();

  await t.step("blindIndex is deterministic", () => {
    const a = blindIndex(key, "email", "jane@example.com");
    assert.equal(blindIndex(key, "email", "jane@example.com"), a);
    assert.match(a, /^[A-Za-z0-9_-]{43}$/, "base64url of a 32-byte HMAC");
    assert.ok(!a.includes("jane"));
  });

  await t.step("blindIndex normalises case, surrounding whitespace and Unicode forms", () => {
    const base = blindIndex(key, "email", "jane@example.com");
    for (const variant of ["JANE@EXAMPLE.COM", "  Jane@Example.com\n", "\tjane@example.COM ", "ｊａｎｅ@example.com"]) {
      assert.equal(blindIndex(key, "email", variant), base, JSON.stringify(variant));
    }
    // Composed and decomposed forms of the same name index alike.
    assert.equal(blindIndex(key, "last_name", "Müller"), blindIndex(key, "last_name", "Mu\u0308ller"));
    // Inner differences are real differences.
    assert.notEqual(blindIndex(key, "email", "jane@example.org"), base);
    assert.notEqual(blindIndex(key, "email", "ja ne@example.com"), base);
  });

  await t.step("blindIndex differs by purpose and by key", () => {
    const email = blindIndex(key, "email", "12345");
    assert.notEqual(blindIndex(key, "document_number", "12345"), email);
    assert.notEqual(blindIndex(key, "phone", "12345"), email);
    assert.notEqual(blindIndex(randomKey(), "email", "12345"), email);
    // The separator keeps purpose and value from sliding into each other.
    assert.notEqual(blindIndex(key, "ab", "c"), blindIndex(key, "a", "bc"));
  });

  await t.step("hashSecret is a stable one-way hash; constantTimeEqual compares", () => {
    const secret = "vk_sandbox_0123456789abcdefghijklmnopqrstuvwxyz0123";
    assert.equal(hashSecret(secret), hashSecret(secret));
    assert.match(hashSecret(secret), /^[0-9a-f]{64}$/);
    assert.notEqual(hashSecret(secret), hashSecret(secret + "x"));
    assert.ok(!hashSecret(secret).includes(secret));
    assert.equal(constantTimeEqual("abc", "abc"), true);
    assert.equal(constantTimeEqual("abc", "abd"), false);
    assert.equal(constantTimeEqual("abc", "abcd"), false);
  });
});
