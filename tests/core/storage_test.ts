/**
 * Owns the BlobStore contract tests: one behavioural suite run against the filesystem driver and against the
 * S3 driver talking to a real s3rver, plus each driver's own guarantees (file modes, bucket creation).
 */

import assert from "node:assert/strict";
import type { S3Config } from "../../core/config.ts";
import { assertValidBlobKey, assertValidBlobPrefix, type BlobStore } from "../../core/storage/blob_store.ts";
import { createFsBlobStore } from "../../core/storage/fs_blob_store.ts";
import { createS3BlobStore } from "../../core/storage/s3_blob_store.ts";
import { startS3rver } from "../helpers/s3rver.ts";

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

const BAD_KEYS = [
  "../x",
  "a/../b",
  "a/..",
  "..",
  "/abs",
  "a\\b",
  "..\\x",
  "a\0b",
  "a b",
  "a%2e%2e/b",
  "ä",
  "",
  "a//b",
  "a/./b",
  "./a",
  "a/",
];

/** The contract every driver must honour; `t` is the driver's own test so failures name the driver. */
async function blobStoreContract(t: Deno.TestContext, store: BlobStore): Promise<void> {
  await t.step("check() passes on a healthy store", async () => {
    await store.check();
  });

  await t.step("put/get round-trips every byte value", async () => {
    await store.put("docs/all-bytes.bin", ALL_BYTES, "application/octet-stream");
    const got = await store.get("docs/all-bytes.bin");
    // deepStrictEqual compares prototypes too: drivers must hand back a plain Uint8Array, not a Buffer.
    assert.deepStrictEqual(got, ALL_BYTES);
  });

  await t.step("put/get round-trips an empty object and one spanning many stream chunks", async () => {
    await store.put("docs/empty.bin", new Uint8Array(0), "application/octet-stream");
    assert.deepStrictEqual(await store.get("docs/empty.bin"), new Uint8Array(0));
    assert.equal(await store.exists("docs/empty.bin"), true);

    const big = new Uint8Array(3 * 1024 * 1024 + 7);
    for (let i = 0; i < big.length; i += 65536) crypto.getRandomValues(big.subarray(i, i + 65536));
    await store.put("docs/big.bin", big, "application/octet-stream");
    const got = await store.get("docs/big.bin");
    assert.ok(got);
    assert.equal(got.byteLength, big.byteLength);
    assert.deepStrictEqual(got, big);
  });

  await t.step("put stores a view's bytes, not its whole backing buffer", async () => {
    const backing = Uint8Array.from([9, 9, 1, 2, 3, 9, 9]);
    await store.put("docs/view.bin", backing.subarray(2, 5), "application/octet-stream");
    assert.deepStrictEqual(await store.get("docs/view.bin"), Uint8Array.from([1, 2, 3]));
  });

  await t.step("put overwrites an existing object", async () => {
    await store.put("docs/over.txt", new TextEncoder().encode("first version, longer"), "text/plain");
    await store.put("docs/over.txt", new TextEncoder().encode("second"), "text/plain");
    assert.equal(new TextDecoder().decode((await store.get("docs/over.txt"))!), "second");
  });

  await t.step("get of a missing key is null", async () => {
    assert.equal(await store.get("docs/never-written"), null);
    assert.equal(await store.get("nowhere/at/all"), null);
    // "docs" is only a prefix of real keys, not an object.
    assert.equal(await store.get("docs"), null);
    // A path through an object, as if it were a folder.
    assert.equal(await store.get("docs/all-bytes.bin/child"), null);
  });

  await t.step("exists reflects presence", async () => {
    assert.equal(await store.exists("docs/all-bytes.bin"), true);
    assert.equal(await store.exists("docs/never-written"), false);
    assert.equal(await store.exists("docs"), false);
  });

  await t.step("delete removes the object and is idempotent", async () => {
    await store.put("docs/doomed", ALL_BYTES, "application/octet-stream");
    await store.delete("docs/doomed");
    assert.equal(await store.exists("docs/doomed"), false);
    assert.equal(await store.get("docs/doomed"), null);
    await store.delete("docs/doomed");
    await store.delete("never/existed");
    // Deleting a "folder" key is a no-op and leaves the objects under it alone.
    await store.delete("docs");
    assert.equal(await store.exists("docs/all-bytes.bin"), true);
  });

  await t.step("deletePrefix deletes exactly the subtree and counts it", async () => {
    const keys = [
      "redact/s1/front.enc",
      "redact/s1/back.enc",
      "redact/s1/selfie/0.enc",
      "redact/s1/selfie/1.enc",
      "redact/s10/front.enc", // shares the string prefix "redact/s1" but is another session
      "redact/s2/front.enc",
      "keep/s1/front.enc",
    ];
    for (const key of keys) await store.put(key, ALL_BYTES, "application/octet-stream");

    assert.equal(await store.deletePrefix("redact/s1/"), 4);
    for (const key of keys.slice(0, 4)) assert.equal(await store.exists(key), false, key);
    for (const key of keys.slice(4)) assert.equal(await store.exists(key), true, key);

    // Running the redaction twice is safe and finds nothing the second time.
    assert.equal(await store.deletePrefix("redact/s1/"), 0);
    assert.equal(await store.deletePrefix("no/such/prefix/"), 0);
    // A prefix naming an object (not a folder) matches nothing.
    assert.equal(await store.deletePrefix("docs/all-bytes.bin/"), 0);
    assert.equal(await store.exists("docs/all-bytes.bin"), true);

    // The prefix is writable again afterwards.
    await store.put("redact/s1/front.enc", ALL_BYTES, "application/octet-stream");
    assert.equal(await store.exists("redact/s1/front.enc"), true);
    assert.equal(await store.deletePrefix("redact/"), 3);
    assert.equal(await store.exists("keep/s1/front.enc"), true);
  });

  await t.step("deletePrefix handles more objects than one listing page or delete batch", async () => {
    const n = 1003;
    const keys = Array.from({ length: n }, (_, i) => `bulk/s/${String(i).padStart(4, "0")}`);
    const payload = Uint8Array.from([7]);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((k) => store.put(k, payload, "application/octet-stream")));
    }
    assert.equal(await store.deletePrefix("bulk/"), n);
    assert.equal(await store.exists(keys[0]), false);
    assert.equal(await store.exists(keys[n - 1]), false);
  });

  await t.step("list names every object under a prefix, or in the whole store", async () => {
    const keys = ["listing/b/2.enc", "listing/a/1.enc", "listing/a-z.enc", "listing/a/0/x.enc", "listed-not/x"];
    for (const key of keys) await store.put(key, ALL_BYTES, "application/octet-stream");
    const listed = async (prefix: string) => (await Array.fromAsync(store.list(prefix))).sort();
    assert.deepEqual(await listed("listing/"), [
      "listing/a-z.enc",
      "listing/a/0/x.enc",
      "listing/a/1.enc",
      "listing/b/2.enc",
    ]);
    assert.deepEqual(await listed("listing/a/"), ["listing/a/0/x.enc", "listing/a/1.enc"]);
    assert.deepEqual(await listed("no/such/"), []);
    const everything = await listed("");
    for (const key of keys) assert.ok(everything.includes(key), key);
    // Only objects: no folders, and nothing the store writes for itself (temp files, health probes).
    await store.check();
    for (const key of everything) assert.equal(await store.exists(key), true, key);
    for (const prefix of ["/", "../", "listing", "a//"]) {
      await assert.rejects(Array.fromAsync(store.list(prefix)), /Invalid blob prefix/, JSON.stringify(prefix));
    }
    assert.equal(await store.deletePrefix("listing/"), 4);
    await store.delete("listed-not/x");
  });

  await t.step("every operation rejects traversal and malformed keys without touching storage", async () => {
    for (const key of BAD_KEYS) {
      const label = JSON.stringify(key);
      await assert.rejects(store.put(key, ALL_BYTES, "application/octet-stream"), /Invalid blob key/, label);
      await assert.rejects(store.get(key), /Invalid blob key/, label);
      await assert.rejects(store.exists(key), /Invalid blob key/, label);
      await assert.rejects(store.delete(key), /Invalid blob key/, label);
    }
    for (const prefix of ["", "/", "../", "redact/s1", "a//", "a/../", "./"]) {
      await assert.rejects(store.deletePrefix(prefix), /Invalid blob prefix/, JSON.stringify(prefix));
    }
    assert.equal(await store.exists("keep/s1/front.enc"), true);
  });
}

Deno.test("assertValidBlobKey / assertValidBlobPrefix", async (t) => {
  await t.step("accepts the keys our code generates", () => {
    for (const key of ["a", "org_1/live/sess-01HZX/front.jpg.enc", "A-Z_a-z.0-9/x", ".hidden/x", "a.b/c.d"]) {
      assertValidBlobKey(key);
    }
    assertValidBlobPrefix("org_1/live/sess-01HZX/");
  });

  await t.step("rejects traversal and anything outside the key alphabet with a plain Error", () => {
    for (const key of BAD_KEYS) {
      assert.throws(() => assertValidBlobKey(key), (err: unknown) => {
        assert.equal((err as Error).constructor, Error, JSON.stringify(key));
        return true;
      });
    }
    assert.throws(() => assertValidBlobKey("x".repeat(1025)), /longer than 1024/);
    assert.throws(() => assertValidBlobKey(undefined as unknown as string), /non-empty string/);
  });

  await t.step("prefixes must be non-empty and end with a slash", () => {
    assert.throws(() => assertValidBlobPrefix(""), /Invalid blob prefix/);
    assert.throws(() => assertValidBlobPrefix("org_1"), /must end with "\/"/);
    assert.throws(() => assertValidBlobPrefix("../"), /Invalid blob prefix/);
  });
});

Deno.test("filesystem BlobStore", async (t) => {
  const tmp = await Deno.makeTempDir({ prefix: "verifa-fs-blobs-" });
  try {
    // A nested root that does not exist yet: the driver must create the whole chain.
    const root = `${tmp}/data/blobs`;
    const store = await createFsBlobStore(root);

    await blobStoreContract(t, store);

    await t.step("creates folders 0700 and files 0600", async () => {
      await store.put("modes/s1/front.enc", ALL_BYTES, "application/octet-stream");
      assert.equal((await Deno.stat(root)).mode! & 0o777, 0o700);
      assert.equal((await Deno.stat(`${tmp}/data`)).mode! & 0o777, 0o700);
      assert.equal((await Deno.stat(`${root}/modes/s1`)).mode! & 0o777, 0o700);
      assert.equal((await Deno.stat(`${root}/modes/s1/front.enc`)).mode! & 0o777, 0o600);
    });

    await t.step("leaves no temp files behind after writes", async () => {
      for (let i = 0; i < 5; i++) await store.put("modes/s1/front.enc", ALL_BYTES, "application/octet-stream");
      const names = await Array.fromAsync(Deno.readDir(`${root}/modes/s1`), (e) => e.name);
      assert.deepStrictEqual(names, ["front.enc"]);
    });

    await t.step("traversal keys write nothing outside the root", async () => {
      await assert.rejects(store.put("../x", ALL_BYTES, "application/octet-stream"));
      await assert.rejects(Deno.stat(`${tmp}/data/x`), Deno.errors.NotFound);
    });

    await t.step("deletePrefix also removes crash leftovers (uncounted) and the emptied folders", async () => {
      // The name a write interrupted by a crash leaves behind (see TEMP_MARKER in fs_blob_store.ts).
      await Deno.writeFile(`${root}/modes/s1/.front.enc.~tmp-crashed`, ALL_BYTES);
      assert.deepEqual(await Array.fromAsync(store.list("modes/")), ["modes/s1/front.enc"], "list skips it");
      assert.equal(await store.deletePrefix("modes/"), 1);
      await assert.rejects(Deno.stat(`${root}/modes`), Deno.errors.NotFound);
    });

    await t.step("a key cannot be both an object and a folder (known fs limit): put fails loudly", async () => {
      await store.put("clash/a", ALL_BYTES, "application/octet-stream");
      await assert.rejects(store.put("clash/a/b", ALL_BYTES, "application/octet-stream"));
      assert.deepStrictEqual(await store.get("clash/a"), ALL_BYTES);
    });

    await t.step("check() fails when the root is gone", async () => {
      await Deno.remove(root, { recursive: true });
      await assert.rejects(store.check());
    });
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("S3 BlobStore against s3rver", async (t) => {
  const s3 = await startS3rver();
  const port = s3.port;
  try {
    const cfg: S3Config = s3.config("verifa-documents");
    const raw = s3.client;

    assert.equal(await raw.bucketExists(cfg.bucket), false, "s3rver starts with no buckets");
    const store = await createS3BlobStore(cfg);

    await t.step("creates the bucket when it is missing", async () => {
      assert.equal(await raw.bucketExists(cfg.bucket), true);
    });

    await t.step("concurrent boots racing to create the same bucket both succeed", async () => {
      const racing = { ...cfg, bucket: "verifa-race" };
      const stores = await Promise.all([createS3BlobStore(racing), createS3BlobStore(racing)]);
      for (const s of stores) await s.check();
      // And a boot against an existing bucket is a no-op.
      await (await createS3BlobStore(cfg)).check();
    });

    await blobStoreContract(t, store);

    await t.step("put records the content type", async () => {
      await store.put("meta/doc.jpg", ALL_BYTES, "image/jpeg");
      const stat = await raw.statObject(cfg.bucket, "meta/doc.jpg");
      assert.equal(stat.metaData["content-type"], "image/jpeg");
    });

    await t.step("unknown credentials fail at boot", async () => {
      // s3rver skips SigV4 signature verification (only the access key id is looked up), so a wrong secret
      // would pass here; an unknown access key is the credential error it can produce.
      await assert.rejects(createS3BlobStore({ ...cfg, accessKey: "NOT-A-KEY" }), /credentials|InvalidAccessKeyId/i);
    });

    await t.step("check() fails when the bucket is gone", async () => {
      const gone = { ...cfg, bucket: "verifa-gone" };
      const s = await createS3BlobStore(gone);
      await raw.removeBucket(gone.bucket);
      await assert.rejects(s.check(), /does not exist/);
    });

    await t.step("an endpoint with a path is refused rather than silently ignored", async () => {
      await assert.rejects(
        createS3BlobStore({ ...cfg, endpoint: `http://127.0.0.1:${port}/s3` }),
        /must not have a path/,
      );
    });

    await t.step("check() fails when the server is unreachable", async () => {
      await s3.stop();
      await assert.rejects(store.check());
    });
  } finally {
    await s3.close();
  }
});
