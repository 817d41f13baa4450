/**
 * Owns the Idempotency-Key header on POST: the first request runs and its response is stored;
 * a replay within 24 h gets the stored response; a different body gets 422; a duplicate that
 * arrives while the first is in flight gets 409. Records are per API key, and nothing is claimed
 * or replayed until the route's scope check has authorised the request (issue #15): the app-wide
 * layer only reads the header and leaves a gate that requireScope opens.
 */
import type { Context, MiddlewareHandler, Next } from "hono";
import type { AppEnv } from "../http.ts";
import type { Db } from "../../core/db/create_db.ts";
import type { KeyRing } from "../../core/crypto/key_ring.ts";
import { AppError } from "../../core/errors.ts";
import { sha256Hex } from "../../core/crypto/hmac.ts";
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from "../../core/idempotency/store.ts";

/** Key order and whitespace do not make a different request. */
function canonicalBody(text: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)));
  } catch {
    return text;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

/**
 * What makes two requests the same. The body is read as bytes, never as text: Hono serves the
 * route's later reads from this first one, and a text read would hand a multipart route a file
 * corrupted by UTF-8 decoding. Multipart is compared part by part (each field's value, each file
 * by the digest of its bytes), because a retry re-encodes the form under a fresh boundary.
 */
async function requestHash(c: Context<AppEnv>): Promise<string> {
  const head = `${c.req.method} ${c.req.path}\n`;
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const type = c.req.header("content-type") ?? "";
  if (/^multipart\/form-data/i.test(type)) {
    const form = await new Response(bytes, { headers: { "Content-Type": type } }).formData().catch(() => null);
    if (!form) return sha256Hex(`${head}unparsed multipart ${sha256Hex(bytes)}`);
    const parts: [string, string][] = [];
    for (const [name, value] of form.entries()) {
      parts.push([
        name,
        typeof value === "string" ? value : `file ${sha256Hex(new Uint8Array(await value.arrayBuffer()))}`,
      ]);
    }
    return sha256Hex(`${head}multipart ${JSON.stringify(parts)}`);
  }
  return sha256Hex(`${head}${canonicalBody(new TextDecoder().decode(bytes))}`);
}

/** What requireScope opens once the request is authorised: claim, run and store, or replay. */
export type IdempotencyGate = (next: Next) => Promise<Response | void>;

export function idempotency(db: Db, keyRing: KeyRing, clock: () => Date): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (c.req.method !== "POST" || key === undefined) return await next();
    if (key.length === 0 || key.length > 255) {
      throw new AppError("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 characters.");
    }
    // A route with no scope check never opens the gate: it runs without idempotency, which can
    // repeat an effect but never hands one key's stored reply to a request nobody authorised.
    c.set("idempotencyGate", (inner) => claimRunStore(c, db, keyRing, clock, key, inner));
    await next();
  };
}

/**
 * Called by requireScope once the key holds the route's scopes: runs the rest of the chain under
 * the Idempotency-Key, at most once per request.
 */
export async function passIdempotencyGate(c: Context<AppEnv>, next: Next): Promise<Response | void> {
  const gate = c.get("idempotencyGate");
  if (!gate) return await next();
  c.set("idempotencyGate", undefined);
  return await gate(next);
}

async function claimRunStore(
  c: Context<AppEnv>,
  db: Db,
  keyRing: KeyRing,
  clock: () => Date,
  key: string,
  next: Next,
): Promise<Response | void> {
  const principal = c.get("principal");
  const claim = await claimIdempotencyKey(db, keyRing, principal, key, await requestHash(c), clock());
  if (claim.kind === "replay") {
    c.header("Idempotent-Replayed", "true");
    return c.body(claim.response.body, claim.response.status as 200, {
      "Content-Type": claim.response.contentType,
    });
  }
  try {
    await next();
  } catch (error) {
    await releaseIdempotencyKey(db, principal, key);
    throw error;
  }
  // Hono turns handler errors into responses before they reach us, so 5xx shows up here too.
  if (c.res.status >= 500) {
    await releaseIdempotencyKey(db, principal, key);
    return;
  }
  const body = await c.res.clone().text();
  await completeIdempotencyKey(db, keyRing, principal, key, {
    status: c.res.status,
    contentType: c.res.headers.get("content-type") ?? "application/json",
    body,
  });
}
