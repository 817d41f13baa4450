/**
 * Owns the S3-compatible BlobStore driver (MinIO in production, any S3 API in tests) on the minio client.
 */

import { Buffer } from "node:buffer";
import * as Minio from "minio";
import type { S3Config } from "../config.ts";
import { joinBytes } from "../encoding.ts";
import { assertValidBlobKey, assertValidBlobPrefix, assertValidListPrefix, type BlobStore } from "./blob_store.ts";

/** How long check() waits: the minio client has no request timeout, and a health probe must not hang. */
const CHECK_TIMEOUT_MS = 5_000;

/** DeleteObjects accepts at most 1000 keys per request. */
const DELETE_BATCH = 1000;

/**
 * Connects to the endpoint, creates the bucket if it is missing, and returns the driver.
 * Throws if the endpoint is unreachable or the credentials are wrong, so a bad config fails at boot.
 */
export async function createS3BlobStore(cfg: S3Config): Promise<BlobStore> {
  const client = new Minio.Client({
    ...parseEndpoint(cfg.endpoint),
    accessKey: cfg.accessKey,
    secretKey: cfg.secretKey,
    // Giving the region up front spares the client a GetBucketLocation round trip per bucket.
    region: cfg.region,
    // Path-style (http://host:9000/bucket/key) works against MinIO, s3rver and IP endpoints alike;
    // virtual-host style needs wildcard DNS that on-premises installs do not have.
    pathStyle: true,
  });
  const bucket = cfg.bucket;
  await ensureBucket(client, bucket, cfg.region);

  return {
    async put(key, data, contentType) {
      assertValidBlobKey(key);
      // A view over the same memory, not a copy: documents can be several megabytes.
      const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      await client.putObject(bucket, key, body, body.length, { "Content-Type": contentType });
    },

    async get(key) {
      assertValidBlobKey(key);
      let stream;
      try {
        stream = await client.getObject(bucket, key);
      } catch (err) {
        if (isMissingObject(err)) return null;
        throw err;
      }
      return await readAll(stream);
    },

    async delete(key) {
      assertValidBlobKey(key);
      try {
        await client.removeObject(bucket, key);
      } catch (err) {
        // S3 answers 204 for an absent key; some compatible servers answer NoSuchKey instead.
        if (!isMissingObject(err)) throw err;
      }
    },

    async exists(key) {
      assertValidBlobKey(key);
      try {
        await client.statObject(bucket, key);
        return true;
      } catch (err) {
        if (isMissingObject(err)) return false;
        throw err;
      }
    },

    async deletePrefix(prefix) {
      assertValidBlobPrefix(prefix);
      // Collect the keys, then delete: a redaction prefix (one session, one identity) holds tens of
      // objects, so holding the list is free, and listing pages never interleave with deletes.
      const keys: string[] = [];
      for await (const item of client.listObjectsV2(bucket, prefix, true)) {
        if (item.name) keys.push(item.name);
      }
      let deleted = 0;
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const batch = keys.slice(i, i + DELETE_BATCH);
        // DeleteObjects reports per-key failures in a 200 response, so they must be looked for.
        const results = await client.removeObjects(bucket, batch);
        const failures = results.filter((r) => r?.Error);
        if (failures.length > 0) {
          const first = failures[0]!.Error!;
          throw new Error(
            `S3 deletePrefix: ${failures.length} of ${batch.length} deletes failed under ${JSON.stringify(prefix)} ` +
              `(first: ${first.Code ?? "unknown"} ${first.Message ?? ""}); ${deleted} already deleted.`,
          );
        }
        deleted += batch.length;
      }
      return deleted;
    },

    async *list(prefix) {
      assertValidListPrefix(prefix);
      // ListObjectsV2 pages through the bucket in key order; the client follows the continuation tokens.
      for await (const item of client.listObjectsV2(bucket, prefix, true)) {
        if (item.name) yield item.name;
      }
    },

    async check() {
      const exists = await withTimeout(client.bucketExists(bucket), CHECK_TIMEOUT_MS, "S3 health check");
      if (!exists) throw new Error(`S3 bucket ${JSON.stringify(bucket)} does not exist.`);
    },
  };
}

interface Endpoint {
  endPoint: string;
  port: number;
  useSSL: boolean;
}

/** Splits VERIFA_S3_ENDPOINT (a URL) into the host/port/TLS triple the minio client takes. */
function parseEndpoint(raw: string): Endpoint {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`S3 endpoint ${JSON.stringify(raw)} is not a URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`S3 endpoint ${JSON.stringify(raw)} must be http or https.`);
  }
  // The minio client always addresses the host root; a path would be silently dropped, so refuse it.
  if (url.pathname !== "/" && url.pathname !== "") {
    throw new Error(`S3 endpoint ${JSON.stringify(raw)} must not have a path.`);
  }
  const useSSL = url.protocol === "https:";
  return {
    // URL keeps IPv6 literals bracketed; the client wants the bare address.
    endPoint: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
  };
}

/**
 * Creates the bucket unless it exists. The API and the worker boot together, so both may find it
 * missing and race to create it: the loser gets BucketAlreadyOwnedByYou (S3, MinIO) or
 * BucketAlreadyExists (s3rver; on AWS that code means another account owns the name). Rather than
 * trust the code, look again: if the bucket is now there and ours to read, the race was harmless.
 */
async function ensureBucket(client: Minio.Client, bucket: string, region: string): Promise<void> {
  if (await client.bucketExists(bucket)) return;
  try {
    await client.makeBucket(bucket, region);
  } catch (err) {
    const nowExists = await client.bucketExists(bucket).catch(() => false);
    if (!nowExists) throw err;
  }
}

/** GetObject answers NoSuchKey, HeadObject (no body to carry a code) NotFound. */
function isMissingObject(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "NoSuchKey" || code === "NotFound";
}

/** Drains a Node readable into one plain Uint8Array (not a Buffer, so callers compare like with like). */
async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
  return joinBytes(chunks);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms.`)), ms);
  });
  try {
    // The abandoned request, if any, settles later into Promise.race's handler, never unhandled.
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
