/**
 * Owns the S3 peer the tests talk to when no MinIO is at hand: a real s3rver on 127.0.0.1 in a temp
 * folder, with the two patches it needs to behave under Deno, and the config and raw client to reach it.
 */
import { Buffer } from "node:buffer";
import nodeCrypto from "node:crypto";
import * as Minio from "minio";
import S3rver from "s3rver";
import type { S3Config } from "../../core/config.ts";

export interface S3rverHandle {
  port: number;
  /** The config createS3BlobStore takes, for the given bucket (created by the driver if missing). */
  config(bucket: string): S3Config;
  /** A plain minio client on the same server, for looking at objects behind the driver's back. */
  client: Minio.Client;
  /** Stops the server (idempotent); later requests fail to connect. */
  stop(): Promise<void>;
  /** Stops the server, undoes the patches and removes the folder. */
  close(): Promise<void>;
}

/** s3rver's built-in account. */
const ACCESS_KEY = "S3RVER";
const SECRET_KEY = "S3RVER";
const REGION = "us-east-1";

export async function startS3rver(): Promise<S3rverHandle> {
  const directory = await Deno.makeTempDir({ prefix: "verifa-s3rver-" });
  const port = freePort();
  const restoreDes = polyfillDesCipher();
  const server = new S3rver({ port, address: "127.0.0.1", silent: true, directory });
  fixS3rverDeleteRace(server);
  try {
    await server.run();
  } catch (error) {
    restoreDes();
    await Deno.remove(directory, { recursive: true });
    throw error;
  }
  let open = true;
  const stop = async () => {
    if (!open) return;
    open = false;
    await server.close();
  };
  return {
    port,
    config: (bucket) => ({
      endpoint: `http://127.0.0.1:${port}`,
      accessKey: ACCESS_KEY,
      secretKey: SECRET_KEY,
      bucket,
      region: REGION,
    }),
    client: new Minio.Client({
      endPoint: "127.0.0.1",
      port,
      useSSL: false,
      accessKey: ACCESS_KEY,
      secretKey: SECRET_KEY,
      region: REGION,
      pathStyle: true,
    }),
    stop,
    async close() {
      try {
        await stop();
      } finally {
        restoreDes();
        await Deno.remove(directory, { recursive: true });
      }
    },
  };
}

/** Reads a whole object through the raw client, as a plain Uint8Array. */
export async function readS3Object(client: Minio.Client, bucket: string, key: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of await client.getObject(bucket, key)) chunks.push(chunk as Uint8Array);
  return new Uint8Array(Buffer.concat(chunks));
}

let desPatches = 0;
let restoreOriginals: (() => void) | null = null;

/**
 * s3rver signs its ListObjectsV2 continuation tokens with single DES ("des"), which Deno's node:crypto does
 * not provide, so under Deno every listing longer than one page (1000 keys) answers 500. DES under key K is
 * exactly 3DES-EDE under K‖K‖K (EDE was designed to fall back that way), and Deno does provide des-ede3-cbc:
 * aliasing one to the other makes s3rver issue the same tokens it issues under Node. Returns the undo;
 * counted, so two servers in one file patch once and the last to close restores.
 */
function polyfillDesCipher(): () => void {
  if (desPatches++ === 0) {
    const { createCipheriv, createDecipheriv } = nodeCrypto;
    const isDes = (name: unknown) => typeof name === "string" && ["des", "des-cbc"].includes(name.toLowerCase());
    const tripled = (key: unknown) => {
      const k = Buffer.from(key as Uint8Array);
      return Buffer.concat([k, k, k]);
    };
    const patched = nodeCrypto as unknown as Record<
      "createCipheriv" | "createDecipheriv",
      (...a: unknown[]) => unknown
    >;
    patched.createCipheriv = (name, key, ...rest) =>
      isDes(name)
        ? (createCipheriv as (...a: unknown[]) => unknown)("des-ede3-cbc", tripled(key), ...rest)
        : (createCipheriv as (...a: unknown[]) => unknown)(name, key, ...rest);
    patched.createDecipheriv = (name, key, ...rest) =>
      isDes(name)
        ? (createDecipheriv as (...a: unknown[]) => unknown)("des-ede3-cbc", tripled(key), ...rest)
        : (createDecipheriv as (...a: unknown[]) => unknown)(name, key, ...rest);
    restoreOriginals = () => Object.assign(nodeCrypto, { createCipheriv, createDecipheriv });
  }
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    if (--desPatches === 0) {
      restoreOriginals?.();
      restoreOriginals = null;
    }
  };
}

/**
 * s3rver 3.7.1 deletes the keys of one DeleteObjects request concurrently, and each delete then removes its
 * emptied parent folders; two siblings race to rmdir the same folder and the loser fails with ENOENT, so the
 * whole request answers 500 (jamhall/s3rver#788; the fix, #789, was never released). Apply that fix to this
 * instance: a folder that is already gone is what the delete wanted.
 */
function fixS3rverDeleteRace(server: S3rver): void {
  type Store = { deleteObject(bucket: string, key: string): Promise<void> };
  const store = (server as unknown as { store: Store }).store;
  const deleteObject = store.deleteObject.bind(store);
  store.deleteObject = async (bucket, key) => {
    try {
      await deleteObject(bucket, key);
    } catch (err) {
      if ((err as { code?: unknown }).code !== "ENOENT") throw err;
    }
  };
}

/** Asks the OS for a free port; the tiny window before s3rver binds it is acceptable in tests. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}
