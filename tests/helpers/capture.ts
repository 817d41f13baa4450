/**
 * Owns the helpers the capture API tests share: calling `/verify/{token}/…` (JSON and multipart),
 * the images an applicant uploads, walking a session through capture, the contract's error body,
 * and reading what a failed request must have left unchanged (row, documents, stored objects).
 */
import assert from "node:assert/strict";
import { relative } from "node:path";
import type { TestWorld } from "./test_app.ts";
import { type Body, call, type Reply, sessionRow } from "./sessions.ts";
import { solid, syntheticDocument, u8 } from "./images.ts";

export const SESSIONS = "/api/v1/sessions";

/** The token in a session's capture_url. */
export function tokenOf(session: Body): string {
  const token = new URL(session.capture_url).pathname.split("/verify/")[1];
  assert.match(token, /^tok_/);
  return token;
}

/** A JSON call (or a bodiless POST) on the capture API. */
export function capture(
  world: TestWorld,
  token: string,
  method: string,
  step: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Reply> {
  return call(world, method, `/verify/${token}/${step}`, { body, headers });
}

export interface UploadFile {
  bytes: Uint8Array;
  name?: string;
  /** The client's claim; the server must sniff the bytes instead. */
  type?: string;
}

export function multipart(file: UploadFile, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append(
    "file",
    new File([file.bytes as BlobPart], file.name ?? "photo.jpg", { type: file.type ?? "image/jpeg" }),
  );
  return form;
}

/** POST …/documents (with `side`) or …/selfie as multipart, the way a browser sends a file. */
export function uploadTo(
  world: TestWorld,
  token: string,
  step: "documents" | "selfie",
  file: UploadFile,
  fields: Record<string, string> = {},
): Promise<Reply> {
  return call(world, "POST", `/verify/${token}/${step}`, { body: multipart(file, fields) });
}

export const uploadSide = (world: TestWorld, token: string, side: string, file: UploadFile) =>
  uploadTo(world, token, "documents", file, { side });

export const uploadSelfie = (world: TestWorld, token: string, file: UploadFile) =>
  uploadTo(world, token, "selfie", file);

/** Consent as a browser at `ip` would give it (Deno.serve hands the app the peer address as env). */
export async function consentFrom(
  world: TestWorld,
  token: string,
  ip: string,
  userAgent: string,
  body: unknown = { consent_version: "2026-01-01", accepted: true },
): Promise<Reply> {
  const response = await world.app.request(`/verify/${token}/consent`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "User-Agent": userAgent },
    body: JSON.stringify(body),
  }, { remoteAddr: { hostname: ip, port: 50000, transport: "tcp" } });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

let images: Promise<{ front: UploadFile; back: UploadFile; selfie: UploadFile }> | null = null;

/** A crisp 1200×760 card front and back, and a 600×800 selfie: made once per test file. */
export function captureImages() {
  return images ??= (async () => ({
    front: { bytes: u8(await syntheticDocument(1200, 760).jpeg().toBuffer()), name: "front.jpg" },
    back: { bytes: u8(await syntheticDocument(1200, 760).png().toBuffer()), name: "back.png", type: "image/png" },
    selfie: { bytes: u8(await solid(600, 800, "#b08060").jpeg().toBuffer()), name: "selfie.jpg" },
  }))();
}

export function expectOk(res: Reply, what: string): Body {
  assert.equal(res.status, 200, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Walks a fresh session through consent, document type and the document sides (and the selfie
 * unless told not to). Returns the last state.
 */
export async function captureDocuments(
  world: TestWorld,
  token: string,
  options: { documentType?: string; selfie?: boolean } = {},
): Promise<Body> {
  const documentType = options.documentType ?? "drivers_license";
  const files = await captureImages();
  expectOk(
    await capture(world, token, "POST", "consent", { consent_version: "2026-01-01", accepted: true }),
    "consent",
  );
  let state = expectOk(
    await capture(world, token, "POST", "document-type", { document_type: documentType, country: "US", state: "CA" }),
    "document-type",
  );
  state = expectOk(await uploadSide(world, token, "front", files.front), "front").state;
  if (documentType !== "passport") state = expectOk(await uploadSide(world, token, "back", files.back), "back").state;
  if (options.selfie ?? true) state = expectOk(await uploadSelfie(world, token, files.selfie), "selfie").state;
  return state;
}

/** Asserts the contract's error body, exactly: `{error, detail, status_code}` (+ `fields` when given). */
export function assertError(res: Reply, status: number, code: string, detail?: RegExp): Body {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.error, code, JSON.stringify(res.body));
  assert.equal(res.body.status_code, status);
  assert.equal(typeof res.body.detail, "string");
  assert.ok(res.body.detail.length > 0);
  if (detail) assert.match(res.body.detail, detail);
  const keys = Object.keys(res.body).sort();
  const allowed = res.body.fields === undefined ? ["detail", "error", "status_code"] : [
    "detail",
    "error",
    "fields",
    "status_code",
  ];
  assert.deepEqual(keys, allowed, `unexpected keys in ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function documentRows(world: TestWorld, sessionId: string) {
  return await world.db.selectFrom("documents").selectAll().where("session_id", "=", sessionId)
    .orderBy("created_at").orderBy("id").execute();
}

/** Every file under the blob store's folder, as paths relative to it (i.e. storage keys). */
export async function blobKeys(world: TestWorld): Promise<string[]> {
  const keys: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else keys.push(relative(world.blobDir, path));
    }
  };
  await walk(world.blobDir);
  return keys.sort();
}

/** What a refused request must leave as it was: the whole session row, its documents, stored objects, events. */
export async function snapshot(world: TestWorld, sessionId: string) {
  return {
    session: await sessionRow(world, sessionId),
    documents: await documentRows(world, sessionId),
    blobs: await blobKeys(world),
    events: await world.db.selectFrom("events").select(["id", "type"]).where("session_id", "=", sessionId)
      .orderBy("id").execute(),
  };
}
