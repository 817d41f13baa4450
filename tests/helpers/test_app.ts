/**
 * Owns the per-file test world: a fresh database on the test Postgres server (migrated), the
 * real app wired with a controllable clock, a provisioned organisation, a request helper, and
 * polling for what the world's processes do in the background.
 */
import { createApp } from "../../api/app.ts";
import type { ApiDeps } from "../../api/app.ts";
import { createDb, type Db } from "../../core/db/create_db.ts";
import { migrateToLatest } from "../../core/db/migrate.ts";
import { dropDatabase, ensureDatabase } from "../../core/embedded/embedded_postgres.ts";
import { KeyRing } from "../../core/crypto/key_ring.ts";
import { randomString } from "../../core/ids.ts";
import { silentLogger } from "../../core/logger.ts";
import { type ProvisionedOrganization, provisionOrganization } from "../../core/orgs/provision.ts";
import { ALL_SCOPES } from "../../core/orgs/scopes.ts";
import { createFsBlobStore } from "../../core/storage/fs_blob_store.ts";
import type { BlobStore } from "../../core/storage/blob_store.ts";
import { createPgBossQueue } from "../../worker/queue_client.ts";
import { systemResolver } from "../../core/webhooks/url_policy.ts";
import type { WebhookRuntime } from "../../core/deps.ts";
import type { Config } from "../../core/config.ts";
import { assertDocumentedResponse } from "./openapi_validator.ts";

/** A clock tests move by hand; it starts at the real time. */
export class TestClock {
  #offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }
  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

export function testServerUrl(): string {
  const url = Deno.env.get("TEST_DATABASE_URL");
  if (!url) throw new Error("TEST_DATABASE_URL is not set: run the suite with `deno task test`.");
  return url;
}

/**
 * A database of its own for one test file, migrated to the latest schema (or left empty, for a
 * test that runs migrations itself).
 */
export async function createTestDatabase(
  { migrate = true, poolSize = 8 }: { migrate?: boolean; poolSize?: number } = {},
): Promise<TestDatabase> {
  const adminUrl = testServerUrl();
  const name = `t_${randomString(16)}`;
  await ensureDatabase(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), poolSize);
  if (migrate) await migrateToLatest(db);
  return {
    url: url.toString(),
    db,
    drop: async () => {
      await db.destroy();
      await dropDatabase(adminUrl, name);
    },
  };
}

export interface RequestOptions {
  key?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestWorld {
  app: ReturnType<typeof createApp>;
  deps: ApiDeps;
  db: Db;
  databaseUrl: string;
  clock: TestClock;
  org: ProvisionedOrganization;
  /** Folder of the filesystem blob store (`deps.blobs`), for tests that inspect stored bytes. */
  blobDir: string;
  /**
   * Sends a request through the real app; `body` objects are sent as JSON. FormData, Uint8Array
   * and stream bodies pass through untouched (FormData sets its own multipart Content-Type).
   * The answer is checked against the API document (tests/helpers/openapi_validator.ts): a status
   * or body the document does not describe fails the test.
   */
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** Same, and parses the JSON reply. */
  json<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<{ status: number; body: T; headers: Headers }>;
  provisionOrg(slug: string): Promise<ProvisionedOrganization>;
  /**
   * Sets `deps.publicUrl` and rebuilds `app` with it (`request` follows), for a world served on a
   * real port whose capture URLs a browser opens (tests/helpers/browser.ts `startAppServer`).
   */
  setPublicUrl(url: string): void;
  close(): Promise<void>;
}

export interface TestWorldOptions {
  /** Another blob store driver (e.g. S3 against s3rver) instead of the filesystem one under `blobDir`. */
  blobs?: BlobStore;
  /**
   * Key material instead of fresh random keys, for tests that run a product process (e.g. the
   * worker) beside the test's app: both sides must decrypt the same rows.
   */
  keys?: Pick<Config, "encryptionKeys" | "indexKey" | "signingKeys">;
  /**
   * Overrides of the webhook runtime, e.g. `allowPrivate: false` and a resolver stub for the SSRF
   * tests (the defaults below suit loopback receivers).
   */
  webhooks?: Partial<WebhookRuntime>;
  /** A migrated database of the test's own (e.g. on another server) instead of a fresh one; closing drops it. */
  database?: TestDatabase;
}

/** The real dependency bundle over a test database: fresh keys, a temp blob dir, lazy pg-boss. */
export async function createTestDeps(
  database: TestDatabase,
  clock: () => Date = () => new Date(),
  options: TestWorldOptions = {},
): Promise<{ deps: ApiDeps; blobDir: string; release(): Promise<void> }> {
  const blobDir = await Deno.makeTempDir({ prefix: "verifa-blobs-" });
  // Real pg-boss on the test database; it only starts if a test enqueues something.
  const jobs = createPgBossQueue(database.url, silentLogger);
  const deps: ApiDeps = {
    db: database.db,
    keyRing: new KeyRing(
      options.keys?.encryptionKeys ?? [{ id: "test1", key: crypto.getRandomValues(new Uint8Array(32)) }],
    ),
    indexKey: options.keys?.indexKey ?? crypto.getRandomValues(new Uint8Array(32)),
    signingKeys: options.keys?.signingKeys ?? [{ id: "sign1", key: crypto.getRandomValues(new Uint8Array(32)) }],
    publicUrl: "http://verifa.test",
    clock,
    log: silentLogger,
    blobs: options.blobs ?? await createFsBlobStore(blobDir),
    jobs,
    // Receivers in tests listen on loopback; the schedule is milliseconds so retries run in a test.
    webhooks: {
      allowPrivate: true,
      resolve: systemResolver,
      retryScheduleMs: [50, 100, 150, 200, 250],
      timeoutMs: 2_000,
      ...options.webhooks,
    },
    trustProxy: false,
    // The example host page is part of what the tests drive (tests/browser/embed_test.ts).
    examples: true,
  };
  return {
    deps,
    blobDir,
    release: async () => {
      await jobs.stop();
      await Deno.remove(blobDir, { recursive: true });
    },
  };
}

/**
 * The fixture's organisations give their secret keys every scope, so a test reaches any endpoint
 * with `world.org.sandbox_secret_key`; the narrower scopes real starter keys get are tested
 * through the create-org script (tests/scripts/start_test.ts).
 */
async function provisionWithEveryScope(db: Db, input: { name: string; slug: string }) {
  const org = await provisionOrganization(db, input);
  await db.updateTable("api_keys").set({ scopes: [...ALL_SCOPES] })
    .where("org_id", "=", org.org_id).where("kind", "=", "secret").execute();
  return org;
}

export async function createTestWorld(options: TestWorldOptions = {}): Promise<TestWorld> {
  const database = options.database ?? await createTestDatabase();
  const clock = new TestClock();
  const { deps, blobDir, release } = await createTestDeps(database, () => clock.now(), options);
  const app = createApp(deps);
  const org = await provisionWithEveryScope(database.db, { name: "Test org", slug: "test-org" });

  const request = async (method: string, path: string, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== undefined) headers["X-API-Key"] = options.key;
    let body: BodyInit | undefined;
    const raw = options.body;
    if (raw instanceof FormData || raw instanceof Uint8Array || raw instanceof ReadableStream) {
      body = raw as BodyInit;
    } else if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["Content-Type"] ??= "application/json";
    }
    const response = await world.app.request(path, { method, headers, body });
    // Every answer an API test receives must be one the API document describes (status and body).
    await assertDocumentedResponse(method, path, response.clone());
    return response;
  };

  const world: TestWorld = {
    app,
    deps,
    db: database.db,
    databaseUrl: database.url,
    blobDir,
    clock,
    org,
    request,
    async json(method, path, options) {
      const response = await request(method, path, options);
      const text = await response.text();
      // deno-lint-ignore no-explicit-any
      return { status: response.status, body: (text ? JSON.parse(text) : null) as any, headers: response.headers };
    },
    provisionOrg: (slug) => provisionWithEveryScope(database.db, { name: slug, slug }),
    setPublicUrl(url) {
      deps.publicUrl = url;
      world.app = createApp(deps);
    },
    close: async () => {
      await release();
      await database.drop();
    },
  };
  return world;
}

/**
 * Polls `probe`, backing off from 20 ms to `maxDelayMs` between tries, until it returns a value
 * other than undefined; fails after `timeoutMs`.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 30_000, maxDelayMs = 250 }: { timeoutMs?: number; maxDelayMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 20;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, maxDelayMs);
  }
}
