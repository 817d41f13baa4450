/**
 * Owns the webhook tests' loopback receiver: a real HTTP server on 127.0.0.1 that verifies every
 * request twice — with the notes' recipe for `X-Verifa-Signature` and with the `standardwebhooks`
 * library on the Standard Webhooks headers — records it, and answers as each test path says.
 * Also the bounded polling the webhook tests wait with (no fixed sleeps).
 */
import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { Buffer } from "node:buffer";
// Dev-only test dependency: the Standard Webhooks reference library a customer's receiver would use.
import { Webhook } from "standardwebhooks";
import type { TestWorld } from "./test_app.ts";

/** The notes' tolerance: reject any `t` more than 5 minutes from the receiver's clock. */
export const TOLERANCE_SECONDS = 300;

/**
 * The notes' reference recipe: parse `t` and every `v1` from `X-Verifa-Signature`, check
 * |now − t| ≤ 300 s, compute hex HMAC-SHA256 of `${t}.${rawBody}` keyed with the `whsec_` secret
 * string, and compare in constant time.
 */
export function verifyVerifaSignature(header: string | null, rawBody: string, secret: string, nowMs: number): boolean {
  if (!header) return false;
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return false;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t") t = /^\d+$/.test(value) ? Number(value) : NaN;
    else if (key === "v1") v1.push(value);
  }
  if (t === undefined || !Number.isFinite(t) || v1.length === 0) return false;
  if (Math.abs(Math.floor(nowMs / 1000) - t) > TOLERANCE_SECONDS) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest();
  return v1.some((sig) => {
    if (!/^[0-9a-f]{64}$/.test(sig)) return false;
    return timingSafeEqual(Buffer.from(sig, "hex"), expected);
  });
}

/**
 * `new Webhook(secret).verify(rawBody, headers)` from the `standardwebhooks` package. The library
 * reads the receiver's clock from `Date.now()`; the receiver's clock in these tests is the
 * TestClock, so it is pinned for the (synchronous) call and restored at once.
 */
export function verifyStandardWebhooks(headers: Headers, rawBody: string, secret: string, nowMs: number): boolean {
  const plain: Record<string, string> = {};
  for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
    const value = headers.get(name);
    if (value !== null) plain[name] = value;
  }
  const realNow = Date.now;
  Date.now = () => nowMs;
  try {
    new Webhook(secret).verify(rawBody, plain);
    return true;
  } catch {
    return false;
  } finally {
    Date.now = realNow;
  }
}

export interface ReceivedRequest {
  path: string;
  /** 1-based count of requests on this path, this one included. */
  nth: number;
  headers: Headers;
  rawBody: string;
  /** The parsed body, or undefined when it is not JSON. */
  // deno-lint-ignore no-explicit-any
  json: any;
  /** Real time of arrival (for gaps between retries). */
  receivedAtMs: number;
  /** The receiver's clock (the TestClock) at arrival, which the signatures are checked against. */
  receiverNowMs: number;
  /** Verified with the notes' recipe against one of the path's accepted secrets. */
  recipeOk: boolean;
  /** Verified with the standardwebhooks library against one of the path's accepted secrets. */
  libraryOk: boolean;
  /** What the receiver answered (0 when it hung until shut down). */
  answered: number;
}

export type Responder = (request: ReceivedRequest) => Response | Promise<Response>;

interface Route {
  secrets: string[];
  respond: Responder;
}

export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  readonly #routes = new Map<string, Route>();
  #server!: Deno.HttpServer<Deno.NetAddr>;
  #release!: () => void;
  readonly #released: Promise<void>;
  readonly #now: () => number;

  private constructor(now: () => number) {
    this.#now = now;
    this.#released = new Promise((resolve) => this.#release = resolve);
  }

  /** Starts a receiver on a free loopback port; `now` is its clock (give it the TestClock). */
  static start(now: () => number = Date.now): WebhookReceiver {
    const receiver = new WebhookReceiver(now);
    receiver.#server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => receiver.#handle(req));
    return receiver;
  }

  get port(): number {
    return this.#server.addr.port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /**
   * Declares a path: the secrets a delivery must verify with (any one of them, under both
   * recipes; otherwise the receiver answers 401 as the notes' reference receiver does) and how to
   * answer verified requests (200 by default).
   */
  route(path: string, secrets: string[], respond: Responder = () => new Response("ok")): void {
    this.#routes.set(path, { secrets, respond });
  }

  setSecrets(path: string, secrets: string[]): void {
    const route = this.#routes.get(path);
    assert.ok(route, `no route ${path}`);
    route.secrets = secrets;
  }

  setResponder(path: string, respond: Responder): void {
    const route = this.#routes.get(path);
    assert.ok(route, `no route ${path}`);
    route.respond = respond;
  }

  /** A responder that never answers (until the receiver closes): the sender's timeout must fire. */
  hang(): Promise<Response> {
    return this.#released.then(() => new Response("too late"));
  }

  on(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Fails unless every request that reached the receiver verified under both recipes. */
  assertAllVerified(): void {
    for (const r of this.requests) {
      assert.ok(r.recipeOk, `X-Verifa-Signature did not verify (recipe) for request ${r.nth} on ${r.path}`);
      assert.ok(r.libraryOk, `Standard Webhooks signature did not verify (library) for request ${r.nth} on ${r.path}`);
    }
  }

  async close(): Promise<void> {
    this.#release();
    await this.#server.shutdown();
  }

  async #handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    const rawBody = new TextDecoder().decode(new Uint8Array(await req.arrayBuffer()));
    const receiverNowMs = this.#now();
    const route = this.#routes.get(path);
    const secrets = route?.secrets ?? [];
    const signature = req.headers.get("x-verifa-signature");
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      json = undefined;
    }
    const record: ReceivedRequest = {
      path,
      nth: this.on(path).length + 1,
      headers: req.headers,
      rawBody,
      json,
      receivedAtMs: Date.now(),
      receiverNowMs,
      recipeOk: secrets.some((s) => verifyVerifaSignature(signature, rawBody, s, receiverNowMs)),
      libraryOk: secrets.some((s) => verifyStandardWebhooks(req.headers, rawBody, s, receiverNowMs)),
      answered: 0,
    };
    this.requests.push(record);
    let response: Response;
    if (!route) response = new Response("no such hook", { status: 404 });
    else if (!record.recipeOk || !record.libraryOk) response = new Response("bad signature", { status: 401 });
    else if (json === undefined) response = new Response("not json", { status: 400 });
    else response = await route.respond(record);
    record.answered = response.status;
    return response;
  }
}

/** Polls `predicate` every 25 ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitUntil(
  predicate: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Waits until the outbox is drained and no delivery is still pending or retrying: from then on
 * nothing more can be sent, so counts of what receivers got are final.
 */
export async function waitForQuiet(world: TestWorld, timeoutMs = 30_000): Promise<void> {
  await waitUntil(
    async () => {
      const unrelayed = await world.db.selectFrom("events").select((eb) => eb.fn.countAll<number>().as("n"))
        .where("relayed_at", "is", null).executeTakeFirstOrThrow();
      const open = await world.db.selectFrom("webhook_deliveries").select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "in", ["pending", "retrying"]).executeTakeFirstOrThrow();
      return Number(unrelayed.n) === 0 && Number(open.n) === 0;
    },
    "the outbox to drain and every delivery to finish",
    timeoutMs,
  );
}

/** The delivery rows of one endpoint, oldest first. */
export async function endpointDeliveries(world: TestWorld, endpointId: string) {
  return await world.db.selectFrom("webhook_deliveries").selectAll().where("endpoint_id", "=", endpointId)
    .orderBy("created_at").orderBy("id").execute();
}

// deno-lint-ignore no-explicit-any
type Body = Record<string, any>;

/** Creates an endpoint through the API and fails the test unless it is a 201 with a secret. */
export async function createEndpoint(world: TestWorld, key: string, body: Record<string, unknown>): Promise<Body> {
  const res = await world.json<Body>("POST", "/api/v1/webhooks/endpoints", { key, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.match(res.body.secret, /^whsec_/);
  return res.body;
}

/** Runs a sandbox simulate action (or preset) and fails the test unless it is a 200. */
export async function simulate(world: TestWorld, key: string, sessionId: string, action: string): Promise<Body> {
  const res = await world.json<Body>("POST", `/api/v1/sessions/${sessionId}/simulate`, { key, body: { action } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** Reads one delivery (with its attempt log) through the API. */
export async function getDelivery(world: TestWorld, key: string, id: string): Promise<Body> {
  const res = await world.json<Body>("GET", `/api/v1/webhooks/deliveries/${id}`, { key });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/**
 * Waits until the delivery reaches `status` and returns it as the API shows it. Polls the database
 * (polling the API would spend the key's rate limit), then reads the API once.
 */
export async function waitForDeliveryStatus(
  world: TestWorld,
  key: string,
  id: string,
  status: "succeeded" | "failed",
  timeoutMs = 30_000,
): Promise<Body> {
  let last = "";
  await waitUntil(
    async () => {
      const row = await world.db.selectFrom("webhook_deliveries").select(["status", "attempt_count"])
        .where("id", "=", id).executeTakeFirst();
      last = JSON.stringify(row);
      return row?.status === status;
    },
    () => `delivery ${id} to be ${status} (now ${last})`,
    timeoutMs,
  );
  return await getDelivery(world, key, id);
}

/** Waits until the endpoint has `count` deliveries and returns them as the API lists them (newest first). */
export async function waitForEndpointDeliveries(
  world: TestWorld,
  key: string,
  endpointId: string,
  count: number,
  timeoutMs = 20_000,
): Promise<Body[]> {
  let have = 0;
  await waitUntil(
    async () => {
      have = (await endpointDeliveries(world, endpointId)).length;
      return have >= count;
    },
    () => `${count} deliveries for ${endpointId} (have ${have})`,
    timeoutMs,
  );
  const res = await world.json<Body>("GET", `/api/v1/webhooks/endpoints/${endpointId}/deliveries?limit=100`, { key });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}
