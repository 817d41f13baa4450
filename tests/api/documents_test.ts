/**
 * Owns the session documents API over HTTP, as an API-key integration drives it: the multipart
 * upload (types, slots, replacement, every refusal leaving nothing behind), submit, the signed-URL
 * list and the download those URLs open (tampering, expiry, key rotation), the sensitive-data
 * window, encryption at rest and keyed content digests, the S3 driver end to end, and the risk
 * assessment.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { sql } from "kysely";
import sharp from "sharp";
import { createApp } from "../../api/app.ts";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import {
  type Body,
  call,
  createSession,
  type Reply,
  SESSION_NOT_FOUND,
  sessionEventTypes,
  sessionRow,
  setOrgSettings,
} from "../helpers/sessions.ts";
import {
  assertError,
  blobKeys,
  captureImages,
  consentFrom,
  documentRows,
  multipart,
  SESSIONS,
  snapshot,
  type UploadFile,
} from "../helpers/capture.ts";
import { ascii, containsSignature, isJpeg, PNG_SIGNATURE, syntheticDocument, u8 } from "../helpers/images.ts";
import { readS3Object, startS3rver } from "../helpers/s3rver.ts";
import type { KeyEntry } from "../../core/config.ts";
import { signResource, verifyResource } from "../../core/crypto/signed_url.ts";
import { sha256Hex } from "../../core/crypto/hmac.ts";
import { finishCapture } from "../../core/capture/service.ts";
import { findSession } from "../../core/sessions/repository.ts";
import { createS3BlobStore } from "../../core/storage/s3_blob_store.ts";
import { MAX_UPLOAD_BYTES, THUMBNAIL_SIDE } from "../../core/images/image_pipeline.ts";

const PUBLIC_URL = "http://verifa.test";
const DAY_MS = 86_400_000;

/** A minimal but well-formed one-page PDF, as a utility bill scan would arrive. */
const PDF: UploadFile = {
  bytes: ascii(
    "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\n" +
      "endobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
  ),
  name: "bill.pdf",
  type: "application/pdf",
};
const PDF_SIGNATURE = [...ascii("%PDF-")];

function upload(
  world: TestWorld,
  key: string,
  sessionId: string,
  file: UploadFile,
  fields: Record<string, string>,
): Promise<Reply> {
  return call(world, "POST", `${SESSIONS}/${sessionId}/documents`, { key, body: multipart(file, fields) });
}

function expectStatus(res: Reply, status: number, what: string): Body {
  assert.equal(res.status, status, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Uploads the ID side(s) and the selfie the default workflow needs, through the API. */
async function uploadSet(
  world: TestWorld,
  key: string,
  sessionId: string,
  documentType: "passport" | "drivers_license",
  options: { selfie?: boolean; back?: boolean } = {},
): Promise<void> {
  const files = await captureImages();
  expectStatus(
    await upload(world, key, sessionId, files.front, { document_type: documentType, side: "front" }),
    201,
    "front",
  );
  if (documentType !== "passport" && (options.back ?? true)) {
    expectStatus(
      await upload(world, key, sessionId, files.back, { document_type: documentType, side: "back" }),
      201,
      "back",
    );
  }
  if (options.selfie ?? true) {
    expectStatus(await upload(world, key, sessionId, files.selfie, { document_type: "selfie" }), 201, "selfie");
  }
}

async function listDocuments(world: TestWorld, key: string, sessionId: string): Promise<Body[]> {
  return expectStatus(await call(world, "GET", `${SESSIONS}/${sessionId}/documents`, { key }), 200, "list").data;
}

/** A signed URL's path and query: what a browser would request from our origin. */
function pathOf(url: string): string {
  assert.ok(url.startsWith(`${PUBLIC_URL}/`), url);
  return url.slice(PUBLIC_URL.length);
}

/** Opens a signed URL with no API key, through the world's app or another one. */
function open(world: TestWorld, url: string, app: { request: TestWorld["app"]["request"] } = world.app) {
  return Promise.resolve(app.request(pathOf(url), { method: "GET" }));
}

async function errorOf(response: Response): Promise<Reply> {
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** Edits one query parameter of a signed URL. */
function withQuery(url: string, name: string, value: string | null): string {
  const u = new URL(url);
  if (value === null) u.searchParams.delete(name);
  else u.searchParams.set(name, value);
  return u.toString();
}

function flipLastChar(text: string): string {
  const last = text.at(-1)!;
  return text.slice(0, -1) + (last === "0" ? "1" : "0");
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = haystack.indexOf(needle[0]); i !== -1; i = haystack.indexOf(needle[0], i + 1)) {
    if (i + needle.length > haystack.length) return -1;
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** What sealed bytes must look like: no file signature, nothing sharp can open, no run of the plaintext. */
async function assertSealed(sealed: Uint8Array, plaintext: Uint8Array, label: string): Promise<void> {
  assert.ok(sealed.length > plaintext.length, `${label}: sealed object is no larger than its plaintext`);
  assert.ok(!isJpeg(sealed), `${label}: starts with a JPEG signature`);
  assert.ok(!containsSignature(sealed, PNG_SIGNATURE), `${label}: contains a PNG signature`);
  assert.ok(!containsSignature(sealed, PDF_SIGNATURE), `${label}: contains a PDF signature`);
  await assert.rejects(sharp(sealed).metadata(), `${label}: sharp decoded the stored object`);
  // 32 bytes from the middle of the plaintext: any unencrypted copy would contain them.
  const middle = Math.floor(plaintext.length / 2);
  assert.equal(indexOfBytes(sealed, plaintext.subarray(middle, middle + 32)), -1, `${label}: plaintext is visible`);
}

async function pgBossJobs(world: TestWorld, sessionId: string) {
  const { rows } = await sql<{ name: string; data: Record<string, unknown>; singleton_key: string | null }>`
    select name, data, singleton_key from pgboss.job where data->>'session_id' = ${sessionId}
  `.execute(world.db);
  return rows;
}

async function mintKey(world: TestWorld, creator: string, body: Record<string, unknown>): Promise<string> {
  const res = await call(world, "POST", "/api/v1/api-keys", { key: creator, body });
  return expectStatus(res, 201, "mint key").secret;
}

Deno.test("POST /api/v1/sessions/{id}/documents (API-key upload)", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const files = await captureImages();
  try {
    const session = await createSession(world, key, { external_ref: "upload-user-1" });
    let front: Body;

    await t.step("a front on a pending session: 201 with the document; the session starts capturing", async () => {
      assert.equal(session.status, "pending");
      const before = world.clock.now();
      front = expectStatus(
        await upload(world, key, session.id, files.front, { document_type: "drivers_license", side: "front" }),
        201,
        "front",
      );
      assert.match(front.id, /^doc_[a-z0-9]+$/);
      assert.equal(front.session_id, session.id);
      assert.equal(front.document_type, "drivers_license");
      assert.equal(front.doc_type, "id_front");
      assert.equal(front.side, "front");
      assert.equal(front.mime_type, "image/jpeg");
      assert.ok(new Date(front.created_at).getTime() >= before.getTime() - 1000, front.created_at);
      assert.match(front.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      const [row] = await documentRows(world, session.id);
      assert.equal(row.id, front.id);
      assert.equal(front.file_size_bytes, row.size_bytes);
      assert.equal(row.upload_source, "api");
      // The size is that of the stored (normalised) image, which the download serves.
      const stored = await world.deps.blobs.get(row.storage_key);
      assert.ok(stored);
      assert.deepEqual(Object.keys(front.quality).sort(), [
        "blur",
        "exposure",
        "glare",
        "ok",
        "resolution",
        "warnings",
      ]);
      assert.deepEqual([front.quality.resolution.width, front.quality.resolution.height], [1200, 760]);
      assert.equal(typeof front.quality.blur.score, "number");
      assert.equal(typeof front.quality.glare.fraction, "number");

      const after = await sessionRow(world, session.id);
      assert.equal(after.status, "capturing");
      assert.ok(after.started_at);
      assert.equal(after.document_type, "drivers_license");
      assert.deepEqual(await sessionEventTypes(world, session.id), ["session.created", "session.started"]);
      const got = expectStatus(await call(world, "GET", `${SESSIONS}/${session.id}`, { key }), 200, "get");
      assert.equal(got.status, "capturing");
    });

    await t.step("a PNG back is normalised to JPEG; a selfie has its own slot", async () => {
      const back = expectStatus(
        await upload(world, key, session.id, files.back, { document_type: "drivers_license", side: "back" }),
        201,
        "back",
      );
      assert.equal(back.mime_type, "image/jpeg");
      assert.equal(back.doc_type, "id_back");
      assert.equal(back.side, "back");
      const selfie = expectStatus(
        await upload(world, key, session.id, files.selfie, { document_type: "selfie" }),
        201,
        "selfie",
      );
      assert.equal(selfie.doc_type, "selfie");
      assert.equal(selfie.document_type, "selfie");
      assert.equal(selfie.side, null);
      assert.deepEqual((await documentRows(world, session.id)).map((d) => d.doc_type), [
        "id_front",
        "id_back",
        "selfie",
      ]);
      // Still one session.started: only the first upload starts capture.
      assert.deepEqual(await sessionEventTypes(world, session.id), ["session.created", "session.started"]);
    });

    await t.step("the same slot again replaces the document and deletes the old objects", async () => {
      const old = (await documentRows(world, session.id)).find((d) => d.doc_type === "id_front")!;
      assert.ok(old.thumbnail_key);
      assert.equal(await world.deps.blobs.exists(old.storage_key), true);
      assert.equal(await world.deps.blobs.exists(old.thumbnail_key), true);
      const other = { bytes: u8(await syntheticDocument(1400, 900).jpeg().toBuffer()), name: "front2.jpg" };
      const again = expectStatus(
        await upload(world, key, session.id, other, { document_type: "drivers_license", side: "front" }),
        201,
        "replace",
      );
      assert.notEqual(again.id, old.id);
      assert.deepEqual([again.quality.resolution.width, again.quality.resolution.height], [1400, 900]);
      const rows = await documentRows(world, session.id);
      assert.equal(rows.filter((d) => d.doc_type === "id_front").length, 1);
      assert.equal(rows.find((d) => d.doc_type === "id_front")!.id, again.id);
      assert.equal(await world.deps.blobs.exists(old.storage_key), false);
      assert.equal(await world.deps.blobs.exists(old.thumbnail_key), false);
      // The store holds exactly the current documents' objects.
      const expected = rows.flatMap((d) => [d.storage_key, d.thumbnail_key]).filter((k): k is string => !!k).sort();
      assert.deepEqual(await blobKeys(world), expected);
      assert.deepEqual(await sessionEventTypes(world, session.id), ["session.created", "session.started"]);
    });

    await t.step(
      "both sides are one document: a back of another type is 422; a new front type drops the back",
      async () => {
        const s = await createSession(world, key);
        const files = await captureImages();
        expectStatus(
          await upload(world, key, s.id, files.front, { document_type: "drivers_license", side: "front" }),
          201,
          "front",
        );
        expectStatus(
          await upload(world, key, s.id, files.back, { document_type: "drivers_license", side: "back" }),
          201,
          "back",
        );
        const mismatch = await upload(world, key, s.id, files.back, { document_type: "national_id", side: "back" });
        expectStatus(mismatch, 422, "mismatched back");
        assert.ok(mismatch.body.fields.document_type);
        const back = (await documentRows(world, s.id)).find((d) => d.doc_type === "id_back")!;
        expectStatus(
          await upload(world, key, s.id, files.front, { document_type: "national_id", side: "front" }),
          201,
          "new front",
        );
        const rows = await documentRows(world, s.id);
        assert.deepEqual(rows.map((d) => d.doc_type), ["id_front"]);
        assert.equal(rows[0].document_type, "national_id");
        assert.equal(await world.deps.blobs.exists(back.storage_key), false);
        // A national ID needs no back (seed 003): only the selfie is missing.
        const submit = await call(world, "POST", `${SESSIONS}/${s.id}/submit`, { key });
        assert.equal(submit.status, 400);
        assert.deepEqual(submit.body.fields, { selfie: "is required" }, JSON.stringify(submit.body));
      },
    );

    await t.step("proof_of_address takes a PDF and needs poa_document_type", async () => {
      const before = await snapshot(world, session.id);
      const missing = assertError(
        await upload(world, key, session.id, PDF, { document_type: "proof_of_address" }),
        422,
        "validation_error",
      );
      assert.ok(missing.fields.poa_document_type, JSON.stringify(missing));
      assert.deepEqual(await snapshot(world, session.id), before);

      const poa = expectStatus(
        await upload(world, key, session.id, PDF, {
          document_type: "proof_of_address",
          poa_document_type: "utility_bill",
          poa_document_date: "2026-01-15",
        }),
        201,
        "poa",
      );
      assert.equal(poa.document_type, "proof_of_address");
      assert.equal(poa.doc_type, "proof_of_address");
      assert.equal(poa.mime_type, "application/pdf");
      assert.equal(poa.file_size_bytes, PDF.bytes.length);
      assert.equal(poa.quality, null);
      const row = (await documentRows(world, session.id)).find((d) => d.doc_type === "proof_of_address")!;
      assert.equal(row.poa_document_type, "utility_bill");
      assert.equal(row.poa_document_date, "2026-01-15");
      assert.equal(row.thumbnail_key, null);
      // The list reports the calendar day as sent, not a timestamp (whatever the server's time zone).
      const listed = (await listDocuments(world, key, session.id)).find((d) => d.doc_type === "proof_of_address")!;
      assert.equal(listed.poa_document_type, "utility_bill");
      assert.equal(listed.poa_document_date, "2026-01-15");
    });

    await t.step("refusals answer the contract's codes and store nothing", async () => {
      const before = await snapshot(world, session.id);
      const cases: [string, () => Promise<Reply>, number, string, string?][] = [
        [
          "a PDF as a passport",
          () => upload(world, key, session.id, PDF, { document_type: "passport", side: "front" }),
          400,
          "unsupported_media_type",
        ],
        [
          "a text file named .jpg",
          () =>
            upload(world, key, session.id, { bytes: ascii("not an image at all\n".repeat(50)), name: "x.jpg" }, {
              document_type: "passport",
            }),
          400,
          "unsupported_media_type",
        ],
        [
          "no file",
          () => {
            const form = new FormData();
            form.append("document_type", "passport");
            return call(world, "POST", `${SESSIONS}/${session.id}/documents`, { key, body: form });
          },
          422,
          "validation_error",
          "file",
        ],
        [
          "a JSON body",
          () =>
            call(world, "POST", `${SESSIONS}/${session.id}/documents`, { key, body: { document_type: "passport" } }),
          400,
          "unsupported_media_type",
        ],
        [
          "no document_type",
          () => upload(world, key, session.id, files.front, {}),
          422,
          "validation_error",
          "document_type",
        ],
        [
          "an unknown document_type",
          () => upload(world, key, session.id, files.front, { document_type: "library_card" }),
          422,
          "validation_error",
          "document_type",
        ],
        [
          "a back side of a passport",
          () => upload(world, key, session.id, files.front, { document_type: "passport", side: "back" }),
          422,
          "validation_error",
          "side",
        ],
        [
          "a bad poa_document_date",
          () =>
            upload(world, key, session.id, PDF, {
              document_type: "proof_of_address",
              poa_document_type: "utility_bill",
              poa_document_date: "15/01/2026",
            }),
          422,
          "validation_error",
          "poa_document_date",
        ],
        [
          "poa fields on an ID document",
          () =>
            upload(world, key, session.id, files.front, {
              document_type: "passport",
              poa_document_type: "utility_bill",
            }),
          422,
          "validation_error",
          "poa_document_type",
        ],
      ];
      for (const [what, send, status, code, field] of cases) {
        const body = assertError(await send(), status, code);
        if (field) assert.ok(body.fields?.[field], `${what}: no fields.${field} in ${JSON.stringify(body)}`);
        assert.deepEqual(await snapshot(world, session.id), before, `${what} changed stored state`);
      }
    });

    await t.step("files over 10 MB are file_too_large (while streaming, and at the file check)", async () => {
      const before = await snapshot(world, session.id);
      const jpegHeaded = (size: number) => {
        const bytes = new Uint8Array(size);
        bytes.set(files.front.bytes.subarray(0, 64));
        return bytes;
      };
      // 11 MB: the body cap refuses it while it streams in.
      assertError(
        await upload(world, key, session.id, { bytes: jpegHeaded(11 * 1024 * 1024) }, { document_type: "passport" }),
        400,
        "file_too_large",
      );
      // One byte over the file limit but within the multipart allowance: the file check refuses it.
      assertError(
        await upload(world, key, session.id, { bytes: jpegHeaded(MAX_UPLOAD_BYTES + 1) }, {
          document_type: "passport",
        }),
        400,
        "file_too_large",
      );
      assert.deepEqual(await snapshot(world, session.id), before);
    });

    await t.step("the key needs documents:write: a default-scope key gets 403", async () => {
      const before = await snapshot(world, session.id);
      const plain = await mintKey(world, key, { label: "default scopes" });
      assertError(
        await upload(world, plain, session.id, files.selfie, { document_type: "selfie" }),
        403,
        "insufficient_scope",
      );
      assert.deepEqual(await snapshot(world, session.id), before);
      // The scope alone is enough.
      const writer = await mintKey(world, key, { label: "uploader", scopes: ["documents:write"] });
      expectStatus(await upload(world, writer, session.id, files.selfie, { document_type: "selfie" }), 201, "writer");
    });

    await t.step("another environment's or org's key gets 404 and stores nothing", async () => {
      const before = await snapshot(world, session.id);
      const other = await world.provisionOrg("upload-other-org");
      for (const foreign of [world.org.live_secret_key, other.sandbox_secret_key]) {
        const res = await upload(world, foreign, session.id, files.selfie, { document_type: "selfie" });
        assert.equal(res.status, 404, JSON.stringify(res.body));
        assert.deepEqual(res.body, SESSION_NOT_FOUND);
      }
      assertError(
        await upload(world, key, "ses_doesnotexist000000", files.selfie, { document_type: "selfie" }),
        404,
        "not_found",
      );
      assert.deepEqual(await snapshot(world, session.id), before);
    });

    await t.step("with an Idempotency-Key: the file arrives intact and a re-encoded retry replays", async () => {
      const target = await createSession(world, key, {});
      const send = (file: UploadFile) =>
        call(world, "POST", `${SESSIONS}/${target.id}/documents`, {
          key,
          // A fresh FormData each time: a retry is encoded under a new multipart boundary.
          body: multipart(file, { document_type: "passport", side: "front" }),
          headers: { "Idempotency-Key": `upload-${target.id}` },
        });
      const first = expectStatus(await send(files.front), 201, "first");
      assert.deepEqual([first.quality.resolution.width, first.quality.resolution.height], [1200, 760]);
      const retry = await send(files.front);
      assert.equal(retry.status, 201, JSON.stringify(retry.body));
      assert.equal(retry.headers.get("idempotent-replayed"), "true");
      assert.deepEqual(retry.body, first);
      const before = await snapshot(world, target.id);
      assert.equal(before.documents.length, 1);
      // The same key with another file is a different request.
      assertError(await send(files.back), 422, "idempotency_mismatch");
      assert.deepEqual(await snapshot(world, target.id), before);
    });

    await t.step("a completed session takes no more documents: 400 invalid_session_state", async () => {
      const done = await createSession(world, key, {});
      expectStatus(
        await call(world, "POST", `${SESSIONS}/${done.id}/simulate`, { key, body: { action: "approve" } }),
        200,
        "simulate",
      );
      const before = await snapshot(world, done.id);
      const blobsBefore = await blobKeys(world);
      assertError(
        await upload(world, key, done.id, files.front, { document_type: "passport" }),
        400,
        "invalid_session_state",
      );
      assert.deepEqual(await snapshot(world, done.id), before);
      assert.deepEqual(await blobKeys(world), blobsBefore);
    });
  } finally {
    await world.close();
  }
});

Deno.test("POST /api/v1/sessions/{id}/submit", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const live = world.org.live_secret_key;
  try {
    await t.step("without documents: 400 capture_incomplete naming the missing steps", async () => {
      const session = await createSession(world, key, {});
      const before = await sessionRow(world, session.id);
      const res = assertError(
        await call(world, "POST", `${SESSIONS}/${session.id}/submit`, { key }),
        400,
        "capture_incomplete",
      );
      // The default workflow wants the document front and a selfie (the capture state's step names).
      assert.deepEqual(Object.keys(res.fields).sort(), ["document_front", "selfie"]);
      assert.match(res.detail, /document_front/);
      assert.match(res.detail, /selfie/);
      assert.deepEqual(await sessionRow(world, session.id), before);
    });

    await t.step("a driver's licence needs its back; with it, a sandbox session goes to sandbox_pending", async () => {
      const session = await createSession(world, key, {});
      await uploadSet(world, key, session.id, "drivers_license", { back: false });
      const missing = assertError(
        await call(world, "POST", `${SESSIONS}/${session.id}/submit`, { key }),
        400,
        "capture_incomplete",
      );
      assert.deepEqual(Object.keys(missing.fields), ["document_back"]);
      assert.equal((await sessionRow(world, session.id)).status, "capturing");

      const files = await captureImages();
      expectStatus(
        await upload(world, key, session.id, files.back, { document_type: "drivers_license", side: "back" }),
        201,
        "back",
      );
      const res = await call(world, "POST", `${SESSIONS}/${session.id}/submit`, { key });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.deepEqual(res.body, { id: session.id, status: "sandbox_pending" });
      const row = await sessionRow(world, session.id);
      assert.equal(row.status, "sandbox_pending");
      assert.ok(row.capture_completed_at);
      assert.equal(row.processing_attempts, 0);

      // Submitted: neither a second submit nor another upload is accepted.
      assertError(await call(world, "POST", `${SESSIONS}/${session.id}/submit`, { key }), 400, "invalid_session_state");
      assertError(
        await upload(world, key, session.id, files.selfie, { document_type: "selfie" }),
        400,
        "invalid_session_state",
      );
    });

    await t.step("a passport needs no back", async () => {
      const session = await createSession(world, key, {});
      await uploadSet(world, key, session.id, "passport");
      const res = await call(world, "POST", `${SESSIONS}/${session.id}/submit`, { key });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.deepEqual(res.body, { id: session.id, status: "sandbox_pending" });
    });

    await t.step("a live session goes to processing with its session.process job", async () => {
      const session = await createSession(world, live, {});
      await uploadSet(world, live, session.id, "passport");
      const res = await call(world, "POST", `${SESSIONS}/${session.id}/submit`, { key: live });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.deepEqual(res.body, { id: session.id, status: "processing" });
      const row = await sessionRow(world, session.id);
      assert.equal(row.status, "processing");
      assert.equal(row.processing_attempts, 1);
      const jobs = await pgBossJobs(world, session.id);
      assert.equal(jobs.length, 1, JSON.stringify(jobs));
      assert.equal(jobs[0].name, "session.process");
      // Ids only, never PII: the session, and the request that enqueued it (for the worker's log lines).
      assert.deepEqual(jobs[0].data, { session_id: session.id, request_id: res.headers.get("x-request-id") });
      assert.equal(jobs[0].singleton_key, session.id);
    });

    await t.step("the job is written in the session's transaction: a rollback leaves neither", async () => {
      const session = await createSession(world, live, {});
      await uploadSet(world, live, session.id, "passport");
      const scope = { orgId: world.org.org_id, environment: "live" as const };
      const rollback = new Error("roll back");
      await assert.rejects(
        world.db.transaction().execute(async (tx) => {
          const locked = await findSession(tx, scope, session.id, { forUpdate: true });
          const updated = await finishCapture(world.deps, tx, locked, { viaApi: true });
          assert.equal(updated.status, "processing");
          // Inside the transaction the job is visible …
          const { rows } = await sql`select 1 from pgboss.job where data->>'session_id' = ${session.id}`.execute(tx);
          assert.equal(rows.length, 1);
          throw rollback;
        }),
        (error) => error === rollback,
      );
      // … and the rollback took it away with the status change.
      assert.deepEqual(await pgBossJobs(world, session.id), []);
      assert.equal((await sessionRow(world, session.id)).status, "capturing");
    });

    await t.step("sandbox submits enqueue nothing", async () => {
      const session = await createSession(world, key, {});
      await uploadSet(world, key, session.id, "passport");
      expectStatus(await call(world, "POST", `${SESSIONS}/${session.id}/submit`, { key }), 202, "submit");
      assert.deepEqual(await pgBossJobs(world, session.id), []);
    });

    await t.step("scoping: another environment's key 404s; sessions:write is required", async () => {
      const session = await createSession(world, key, {});
      await uploadSet(world, key, session.id, "passport");
      const res = await call(world, "POST", `${SESSIONS}/${session.id}/submit`, { key: live });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, SESSION_NOT_FOUND);
      const reader = await mintKey(world, key, { label: "reader", scopes: ["sessions:read", "documents:write"] });
      assertError(
        await call(world, "POST", `${SESSIONS}/${session.id}/submit`, { key: reader }),
        403,
        "insufficient_scope",
      );
      assert.equal((await sessionRow(world, session.id)).status, "capturing");
    });
  } finally {
    await world.close();
  }
});

Deno.test("signed-URL unit: the signature binds resource and expiry; keys rotate", async (t) => {
  const oldKey: KeyEntry = { id: "old", key: crypto.getRandomValues(new Uint8Array(32)) };
  const newKey: KeyEntry = { id: "new", key: crypto.getRandomValues(new Uint8Array(32)) };
  const resource = "ses_abc/id_front/full";
  const now = 1_800_000_000;

  await t.step("the first key signs; its id travels in the signature", () => {
    const { expires, sig } = signResource([newKey, oldKey], resource, now + 300);
    assert.equal(expires, now + 300);
    assert.match(sig, /^new\.[0-9a-f]{64}$/);
    assert.equal(verifyResource([newKey, oldKey], resource, String(expires), sig, now), "valid");
  });

  await t.step("a URL signed before the rotation verifies while the old key is still listed", () => {
    const { expires, sig } = signResource([oldKey], resource, now + 300);
    assert.equal(verifyResource([newKey, oldKey], resource, String(expires), sig, now), "valid");
    assert.equal(verifyResource([newKey], resource, String(expires), sig, now), "invalid");
  });

  await t.step("resource, expiry and signature are bound together", () => {
    const { expires, sig } = signResource([newKey], resource, now + 300);
    const keys = [newKey];
    assert.equal(verifyResource(keys, "ses_abc/id_back/full", String(expires), sig, now), "invalid");
    assert.equal(verifyResource(keys, "ses_abd/id_front/full", String(expires), sig, now), "invalid");
    assert.equal(verifyResource(keys, "ses_abc/id_front/thumb", String(expires), sig, now), "invalid");
    assert.equal(verifyResource(keys, resource, String(expires + 1), sig, now), "invalid");
    assert.equal(verifyResource(keys, resource, String(expires), flipLastChar(sig), now), "invalid");
    assert.equal(verifyResource(keys, resource, String(expires), sig.replace(/^new\./, "old."), now), "invalid");
    assert.equal(verifyResource(keys, resource, undefined, sig, now), "invalid");
    assert.equal(verifyResource(keys, resource, String(expires), undefined, now), "invalid");
    assert.equal(verifyResource(keys, resource, `${expires}.0`, sig, now), "invalid");
  });

  await t.step("expiry is reported only for a genuine signature", () => {
    const { expires, sig } = signResource([newKey], resource, now + 300);
    assert.equal(verifyResource([newKey], resource, String(expires), sig, now + 299), "valid");
    assert.equal(verifyResource([newKey], resource, String(expires), sig, now + 300), "expired");
    assert.equal(verifyResource([newKey], resource, String(expires), flipLastChar(sig), now + 301), "invalid");
  });
});

Deno.test("GET /api/v1/sessions/{id}/documents and the signed download", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    const session = await createSession(world, key, {});
    await uploadSet(world, key, session.id, "drivers_license");
    expectStatus(
      await upload(world, key, session.id, PDF, {
        document_type: "proof_of_address",
        poa_document_type: "bank_statement",
      }),
      201,
      "poa",
    );
    // A second session with the same slots, to swap ids in a signed path.
    const twin = await createSession(world, key, {});
    await uploadSet(world, key, twin.id, "drivers_license");
    let docs: Body[] = [];

    await t.step("lists every document with a signed URL, a thumbnail URL and the TTL", async () => {
      const from = Math.floor(world.clock.now().getTime() / 1000);
      docs = await listDocuments(world, key, session.id);
      const to = Math.floor(world.clock.now().getTime() / 1000);
      assert.deepEqual(docs.map((d) => d.doc_type), ["id_front", "id_back", "selfie", "proof_of_address"]);
      const rows = await documentRows(world, session.id);
      for (const doc of docs) {
        const row = rows.find((r) => r.id === doc.id)!;
        assert.ok(row, doc.id);
        assert.match(doc.id, /^doc_/);
        assert.equal(doc.mime_type, doc.doc_type === "proof_of_address" ? "application/pdf" : "image/jpeg");
        assert.equal(doc.expires_in, 300);
        assert.equal(doc.file_size_bytes, row.size_bytes);
        const pattern = new RegExp(
          `^http://verifa\\.test/api/v1/sessions/${session.id}/documents/${doc.doc_type}\\?expires=(\\d+)&sig=([^&]+)$`,
        );
        const match = pattern.exec(doc.url);
        assert.ok(match, doc.url);
        const expires = Number(match[1]);
        assert.ok(expires >= from + 300 && expires <= to + 300, `${expires} is not now + 300`);
        if (doc.doc_type === "proof_of_address") {
          assert.equal(doc.thumbnail_url, null);
          assert.equal(doc.poa_document_type, "bank_statement");
        } else {
          assert.equal(typeof doc.thumbnail_url, "string");
          const thumb = new URL(doc.thumbnail_url);
          assert.equal(thumb.origin + thumb.pathname, doc.url.split("?")[0]);
          assert.equal(thumb.searchParams.get("variant"), "thumb");
          assert.equal(thumb.searchParams.get("expires"), match[1]);
          assert.notEqual(thumb.searchParams.get("sig"), match[2], "the thumbnail has a signature of its own");
          assert.deepEqual([doc.width, doc.height], [row.width, row.height]);
        }
      }
    });

    await t.step("the TTL follows the org's image_url_expiry_seconds", async () => {
      await setOrgSettings(world, world.org.org_id, { image_url_expiry_seconds: 900 });
      const from = Math.floor(world.clock.now().getTime() / 1000);
      const [first] = await listDocuments(world, key, session.id);
      const to = Math.floor(world.clock.now().getTime() / 1000);
      assert.equal(first.expires_in, 900);
      const expires = Number(new URL(first.url).searchParams.get("expires"));
      assert.ok(expires >= from + 900 && expires <= to + 900, `${expires} is not now + 900`);
      await setOrgSettings(world, world.org.org_id, {});
      assert.equal((await listDocuments(world, key, session.id))[0].expires_in, 300);
    });

    await t.step("another environment's or org's key gets 404; verifications:read is required", async () => {
      const other = await world.provisionOrg("list-other-org");
      for (const foreign of [world.org.live_secret_key, other.sandbox_secret_key]) {
        const res = await call(world, "GET", `${SESSIONS}/${session.id}/documents`, { key: foreign });
        assert.equal(res.status, 404, JSON.stringify(res.body));
        assert.deepEqual(res.body, SESSION_NOT_FOUND);
      }
      const narrow = await mintKey(world, key, { label: "sessions only", scopes: ["sessions:read"] });
      assertError(
        await call(world, "GET", `${SESSIONS}/${session.id}/documents`, { key: narrow }),
        403,
        "insufficient_scope",
      );
      // A session with nothing uploaded lists nothing.
      const empty = await createSession(world, key, {});
      assert.deepEqual(await listDocuments(world, key, empty.id), []);
    });

    await t.step("the signed URL downloads the image without an API key", async () => {
      for (const doc of docs.filter((d) => d.mime_type === "image/jpeg")) {
        const res = await open(world, doc.url);
        assert.equal(res.status, 200, `${doc.doc_type}: ${res.status}`);
        assert.equal(res.headers.get("content-type"), "image/jpeg");
        assert.equal(res.headers.get("cache-control"), "no-store");
        assert.equal(res.headers.get("content-security-policy"), "sandbox");
        assert.equal(res.headers.get("x-content-type-options"), "nosniff");
        const bytes = new Uint8Array(await res.arrayBuffer());
        assert.ok(isJpeg(bytes), doc.doc_type);
        assert.equal(bytes.length, doc.file_size_bytes);
        const meta = await sharp(bytes).metadata();
        assert.equal(meta.format, "jpeg");
        assert.deepEqual([meta.width, meta.height], [doc.width, doc.height], doc.doc_type);
        // Normalised output keeps no metadata.
        assert.equal(meta.exif, undefined);

        const thumb = await open(world, doc.thumbnail_url);
        assert.equal(thumb.status, 200);
        assert.equal(thumb.headers.get("content-type"), "image/jpeg");
        assert.equal(thumb.headers.get("cache-control"), "no-store");
        const small = await sharp(new Uint8Array(await thumb.arrayBuffer())).metadata();
        assert.equal(small.format, "jpeg");
        assert.ok(Math.max(small.width, small.height) <= THUMBNAIL_SIDE, `${small.width}×${small.height}`);
        assert.equal(Math.max(small.width, small.height), THUMBNAIL_SIDE, "thumbnails of large images fill the box");
      }
    });

    await t.step("a PDF downloads byte for byte as application/pdf", async () => {
      const poa = docs.find((d) => d.doc_type === "proof_of_address")!;
      const res = await open(world, poa.url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/pdf");
      assert.equal(res.headers.get("cache-control"), "no-store");
      // The applicant's PDF never renders on our origin: a download, sandboxed should it render anyway.
      assert.equal(res.headers.get("content-disposition"), 'attachment; filename="proof_of_address.pdf"');
      assert.equal(res.headers.get("content-security-policy"), "sandbox");
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      assert.deepEqual(new Uint8Array(await res.arrayBuffer()), PDF.bytes);
    });

    await t.step("tampered, swapped or missing signatures are 403", async () => {
      const front = docs.find((d) => d.doc_type === "id_front")!;
      const sig = new URL(front.url).searchParams.get("sig")!;
      const expires = new URL(front.url).searchParams.get("expires")!;
      const twinDocs = await listDocuments(world, key, twin.id);
      const tampered: [string, string][] = [
        ["flipped sig", withQuery(front.url, "sig", flipLastChar(sig))],
        ["sig of another key id", withQuery(front.url, "sig", sig.replace(/^[^.]+\./, "other."))],
        ["later expires", withQuery(front.url, "expires", String(Number(expires) + 3600))],
        ["no sig", withQuery(front.url, "sig", null)],
        ["no expires", withQuery(front.url, "expires", null)],
        ["other doc_type, same sig", front.url.replace("/documents/id_front?", "/documents/id_back?")],
        ["other session, same sig", front.url.replace(`/sessions/${session.id}/`, `/sessions/${twin.id}/`)],
        ["thumbnail sig for the full image", withQuery(front.thumbnail_url, "variant", null)],
        ["full sig for the thumbnail", withQuery(front.url, "variant", "thumb")],
        ["twin's sig on this session", withQuery(front.url, "sig", new URL(twinDocs[0].url).searchParams.get("sig"))],
      ];
      for (const [what, url] of tampered) {
        const res = await errorOf(await open(world, url));
        assert.equal(res.status, 403, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
        assertError(res, 403, "forbidden");
      }
      // An API key does not stand in for the signature.
      const bare = await world.request("GET", `${SESSIONS}/${session.id}/documents/id_front`, { key });
      assertError(await errorOf(bare), 403, "forbidden");
      // The untouched URL still works.
      assert.equal((await open(world, front.url)).status, 200);
    });

    await t.step("a URL is refused once it expires", async () => {
      const [front] = await listDocuments(world, key, session.id);
      assert.equal((await open(world, front.url)).status, 200);
      world.clock.advance(301_000);
      assertError(await errorOf(await open(world, front.url)), 403, "forbidden", /expired/);
      assertError(await errorOf(await open(world, front.thumbnail_url)), 403, "forbidden", /expired/);
      // A fresh list signs fresh URLs.
      assert.equal((await open(world, (await listDocuments(world, key, session.id))[0].url)).status, 200);
    });

    await t.step("key rotation: a URL signed with a secondary key works; a rotated-out key's does not", async () => {
      const oldKey = world.deps.signingKeys[0];
      const newKey: KeyEntry = { id: "sign2", key: crypto.getRandomValues(new Uint8Array(32)) };
      const [signedByOld] = await listDocuments(world, key, session.id);
      const rotating = createApp({ ...world.deps, signingKeys: [newKey, oldKey] });
      const rotated = createApp({ ...world.deps, signingKeys: [newKey] });

      assert.equal((await open(world, signedByOld.url, rotating)).status, 200);
      assertError(await errorOf(await open(world, signedByOld.url, rotated)), 403, "forbidden");

      // URLs the rotating deployment signs carry the new key and verify after the old one is gone.
      const listed = await rotating.request(`${SESSIONS}/${session.id}/documents`, { headers: { "X-API-Key": key } });
      assert.equal(listed.status, 200);
      const [signedByNew] = (await listed.json()).data;
      assert.match(new URL(signedByNew.url).searchParams.get("sig")!, /^sign2\./);
      assert.equal((await open(world, signedByNew.url, rotated)).status, 200);
      assert.equal((await open(world, signedByNew.url, rotating)).status, 200);
      // The deployment that never had the new key refuses it.
      assertError(await errorOf(await open(world, signedByNew.url)), 403, "forbidden");
    });
  } finally {
    await world.close();
  }
});

Deno.test("the sensitive-data window closes documents and extracted data", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    // URLs that outlive the window, so the download's own window check is what answers.
    await setOrgSettings(world, world.org.org_id, {
      sensitive_data_retention_days: 1,
      image_url_expiry_seconds: 3 * 86_400,
    });
    const session = await createSession(world, key, {});
    await uploadSet(world, key, session.id, "passport");
    const open_ = await createSession(world, key, {});
    await uploadSet(world, key, open_.id, "passport");
    expectStatus(
      await call(world, "POST", `${SESSIONS}/${session.id}/simulate`, { key, body: { action: "approve" } }),
      200,
      "simulate",
    );
    let urls: string[] = [];

    await t.step("inside the window everything is readable", async () => {
      const docs = await listDocuments(world, key, session.id);
      assert.equal(docs.length, 2);
      urls = docs.flatMap((d) => [d.url, d.thumbnail_url]);
      for (const url of urls) assert.equal((await open(world, url)).status, 200);
      const result = expectStatus(await call(world, "GET", `${SESSIONS}/${session.id}/result`, { key }), 200, "result");
      assert.equal(result.sensitive_data_expired, false);
      assert.equal(result.extracted_data.first_name, "Jane");
    });

    await t.step("after the window: 410 for the list and the download; the result hides extracted data", async () => {
      world.clock.advance(2 * DAY_MS);
      assertError(
        await call(world, "GET", `${SESSIONS}/${session.id}/documents`, { key }),
        410,
        "sensitive_data_expired",
      );
      for (const url of urls) assertError(await errorOf(await open(world, url)), 410, "sensitive_data_expired");
      const result = expectStatus(await call(world, "GET", `${SESSIONS}/${session.id}/result`, { key }), 200, "result");
      assert.deepEqual(result.extracted_data, {});
      assert.equal(result.sensitive_data_expired, true);
      // Non-PII outcome fields stay readable.
      assert.equal(result.status, "approved");
      assert.equal(result.face_match_passed, true);
      assert.equal(result.age_check_passed, true);
    });

    await t.step("a session that has not reached an outcome is unaffected", async () => {
      const docs = await listDocuments(world, key, open_.id);
      assert.equal(docs.length, 2);
      assert.equal((await open(world, docs[0].url)).status, 200);
    });
  } finally {
    await world.close();
  }
});

Deno.test("documents are encrypted at rest and digested with a key", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const files = await captureImages();
  try {
    const a = await createSession(world, key, {});
    const b = await createSession(world, key, {});
    await uploadSet(world, key, a.id, "drivers_license");
    await uploadSet(world, key, b.id, "drivers_license");
    expectStatus(
      await upload(world, key, a.id, PDF, { document_type: "proof_of_address", poa_document_type: "utility_bill" }),
      201,
      "poa",
    );

    await t.step("no stored object carries a file signature or any plaintext", async () => {
      const rows = [...await documentRows(world, a.id), ...await documentRows(world, b.id)];
      const keys = await blobKeys(world);
      assert.equal(keys.length, rows.length * 2 - 1, "an object per document and per thumbnail (none for the PDF)");
      const docs = [...await listDocuments(world, key, a.id), ...await listDocuments(world, key, b.id)];
      for (const row of rows) {
        const doc = docs.find((d) => d.id === row.id)!;
        const plain = new Uint8Array(await (await open(world, doc.url)).arrayBuffer());
        // Read the file itself, not through the driver.
        await assertSealed(await Deno.readFile(`${world.blobDir}/${row.storage_key}`), plain, row.storage_key);
        if (row.thumbnail_key) {
          const thumb = new Uint8Array(await (await open(world, doc.thumbnail_url)).arrayBuffer());
          await assertSealed(await Deno.readFile(`${world.blobDir}/${row.thumbnail_key}`), thumb, row.thumbnail_key);
        }
      }
    });

    await t.step("content_hmac is keyed, and equal exactly for identical uploads in the org", async () => {
      const rowsA = await documentRows(world, a.id);
      const rowsB = await documentRows(world, b.id);
      const digest = (rows: typeof rowsA, slot: string) => rows.find((r) => r.doc_type === slot)!.content_hmac;
      const uploads: [string, Uint8Array][] = [
        ["id_front", files.front.bytes],
        ["id_back", files.back.bytes],
        ["selfie", files.selfie.bytes],
      ];
      for (const [slot, bytes] of uploads) {
        const hmac = digest(rowsA, slot);
        assert.ok(hmac.length >= 32, hmac);
        // Not a plain hash of the upload in any usual encoding: nobody can test a guess without the key.
        const hex = sha256Hex(bytes);
        assert.notEqual(hmac, hex);
        assert.notEqual(hmac, Buffer.from(hex, "hex").toString("base64"));
        assert.notEqual(hmac, Buffer.from(hex, "hex").toString("base64url"));
        assert.ok(!hmac.includes(hex.slice(0, 16)));
        // The same image in another session of the org: the same digest (duplicate detection).
        assert.equal(digest(rowsB, slot), hmac, slot);
      }
      // Different images differ.
      const all = uploads.map(([slot]) => digest(rowsA, slot));
      assert.equal(new Set(all).size, all.length);
      assert.equal(new Set(rowsA.map((r) => r.content_hmac)).size, rowsA.length);
    });
  } finally {
    await world.close();
  }
});

Deno.test("the S3 driver end to end (s3rver)", async (t) => {
  const s3 = await startS3rver();
  const bucket = "verifa-documents-e2e";
  let world: TestWorld | null = null;
  try {
    const blobs = await createS3BlobStore(s3.config(bucket));
    world = await createTestWorld({ blobs });
    const w = world;
    const key = w.org.sandbox_secret_key;
    const session = await createSession(w, key, {});
    const files = await captureImages();
    const bucketKeys = async () => {
      const keys: string[] = [];
      for await (const item of s3.client.listObjectsV2(bucket, "", true)) if (item.name) keys.push(item.name);
      return keys.sort();
    };

    await t.step("upload, list and download through the signed URL", async () => {
      await uploadSet(w, key, session.id, "passport");
      const docs = await listDocuments(w, key, session.id);
      assert.deepEqual(docs.map((d) => d.doc_type), ["id_front", "selfie"]);
      for (const doc of docs) {
        const res = await open(w, doc.url);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("content-type"), "image/jpeg");
        assert.equal(res.headers.get("cache-control"), "no-store");
        assert.equal(res.headers.get("content-security-policy"), "sandbox");
        assert.equal(res.headers.get("x-content-type-options"), "nosniff");
        const bytes = new Uint8Array(await res.arrayBuffer());
        assert.ok(isJpeg(bytes));
        const meta = await sharp(bytes).metadata();
        assert.deepEqual([meta.width, meta.height], [doc.width, doc.height]);
        const thumb = await sharp(new Uint8Array(await (await open(w, doc.thumbnail_url)).arrayBuffer())).metadata();
        assert.ok(Math.max(thumb.width, thumb.height) <= THUMBNAIL_SIDE);
      }
    });

    await t.step("the S3 objects are sealed", async () => {
      const rows = await documentRows(w, session.id);
      const expected = rows.flatMap((r) => [r.storage_key, r.thumbnail_key!]).sort();
      assert.deepEqual(await bucketKeys(), expected);
      const docs = await listDocuments(w, key, session.id);
      for (const row of rows) {
        const doc = docs.find((d) => d.id === row.id)!;
        const plain = new Uint8Array(await (await open(w, doc.url)).arrayBuffer());
        await assertSealed(await readS3Object(s3.client, bucket, row.storage_key), plain, row.storage_key);
        const stat = await s3.client.statObject(bucket, row.storage_key);
        assert.equal(stat.metaData["content-type"], "application/octet-stream");
      }
    });

    await t.step("replacing a document deletes its old S3 objects", async () => {
      const old = (await documentRows(w, session.id)).find((r) => r.doc_type === "selfie")!;
      expectStatus(await upload(w, key, session.id, files.selfie, { document_type: "selfie" }), 201, "replace");
      const keys = await bucketKeys();
      assert.ok(!keys.includes(old.storage_key));
      assert.ok(!keys.includes(old.thumbnail_key!));
      const rows = await documentRows(w, session.id);
      assert.deepEqual(keys, rows.flatMap((r) => [r.storage_key, r.thumbnail_key!]).sort());
    });
  } finally {
    await world?.close();
    await s3.close();
  }
});

Deno.test("GET /api/v1/sessions/{id}/risk", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const risk = async (id: string, k = key) =>
    expectStatus(await call(world, "GET", `${SESSIONS}/${id}/risk`, { key: k }), 200, "risk");
  const signalNames = (body: Body) => body.signals.map((s: Body) => s.signal);
  try {
    await t.step("a fresh session: the full shape, no signals, low", async () => {
      const session = await createSession(world, key, {});
      const from = world.clock.now().getTime();
      const body = await risk(session.id);
      assert.deepEqual(Object.keys(body).sort(), [
        "assessed_at",
        "blocked_by",
        "client_signals",
        "ip_address",
        "risk_level",
        "risk_score",
        "session_id",
        "signals",
      ]);
      assert.equal(body.session_id, session.id);
      assert.equal(body.risk_score, 0);
      assert.equal(body.risk_level, "low");
      assert.deepEqual(body.signals, []);
      assert.deepEqual(body.blocked_by, []);
      assert.equal(body.ip_address, null);
      assert.equal(body.client_signals, null);
      const at = new Date(body.assessed_at).getTime();
      assert.ok(at >= from - 1000 && at <= world.clock.now().getTime(), body.assessed_at);
    });

    await t.step("the applicant's IP (decrypted) and the client signals they sent", async () => {
      const session = await createSession(world, key, {});
      const token = new URL(session.capture_url).pathname.split("/verify/")[1];
      expectStatus(await consentFrom(world, token, "203.0.113.50", "RiskBrowser/1.0"), 200, "consent");
      const signals = { behavioral: { copy_paste_name: true }, device: { incognito: true } };
      expectStatus(await call(world, "POST", `/verify/${token}/signals`, { body: signals }), 200, "signals");
      const body = await risk(session.id);
      assert.equal(body.ip_address, "203.0.113.50");
      assert.deepEqual(body.client_signals.behavioral, signals.behavioral);
      assert.deepEqual(body.client_signals.device, signals.device);
      assert.deepEqual(signalNames(body).sort(), ["copy_paste_name", "incognito_detected"]);
      assert.equal(body.risk_score, 25);
      assert.equal(body.risk_level, "medium");
    });

    await t.step("a needs_review_watchlist outcome contributes its watchlist_hit signal", async () => {
      const session = await createSession(world, key, {});
      expectStatus(
        await call(world, "POST", `${SESSIONS}/${session.id}/simulate`, {
          key,
          body: { action: "needs_review_watchlist" },
        }),
        200,
        "simulate",
      );
      const body = await risk(session.id);
      assert.deepEqual(signalNames(body), ["watchlist_hit"]);
      const [hit] = body.signals;
      assert.equal(hit.category, "identity");
      assert.equal(hit.weight, 50);
      assert.equal(typeof hit.detail, "string");
      assert.equal(body.risk_score, 50);
      assert.equal(body.risk_level, "medium");
      // An approved session records none.
      const approved = await createSession(world, key, {});
      await call(world, "POST", `${SESSIONS}/${approved.id}/simulate`, { key, body: { action: "approve" } });
      assert.deepEqual((await risk(approved.id)).signals, []);
    });

    await t.step("more than 3 sessions for one external_ref within 24 h: external_ref_velocity", async () => {
      const ref = "velocity-user-7";
      // Noise that must not count: the other environment, another org, and sessions older than 24 h.
      const other = await world.provisionOrg("risk-other-org");
      for (let i = 0; i < 4; i++) {
        await createSession(world, world.org.live_secret_key, { external_ref: ref });
        await createSession(world, other.sandbox_secret_key, { external_ref: ref });
        await createSession(world, key, { external_ref: ref });
      }
      world.clock.advance(25 * 3600_000);
      const recent = [];
      for (let i = 0; i < 3; i++) recent.push(await createSession(world, key, { external_ref: ref }));
      for (const s of recent) assert.ok(!signalNames(await risk(s.id)).includes("external_ref_velocity"));
      recent.push(await createSession(world, key, { external_ref: ref }));
      for (const s of recent) {
        const body = await risk(s.id);
        const velocity = body.signals.find((x: Body) => x.signal === "external_ref_velocity");
        assert.ok(velocity, JSON.stringify(body.signals));
        assert.equal(velocity.category, "velocity");
        assert.equal(velocity.weight, 10);
        assert.match(velocity.detail, /\b4 sessions\b/);
        assert.equal(body.risk_score, 10);
      }
      // A different ref is unaffected.
      const unrelated = await createSession(world, key, { external_ref: "someone-else" });
      assert.deepEqual((await risk(unrelated.id)).signals, []);
    });

    await t.step("more than 3 sessions consenting from one IP within 24 h: ip_velocity", async () => {
      const sessions = [];
      for (let i = 0; i < 4; i++) {
        const s = await createSession(world, key, {});
        const token = new URL(s.capture_url).pathname.split("/verify/")[1];
        expectStatus(await consentFrom(world, token, "198.51.100.77", "Velocity/1.0"), 200, "consent");
        sessions.push(s);
      }
      const body = await risk(sessions[0].id);
      assert.ok(signalNames(body).includes("ip_velocity"), JSON.stringify(body.signals));
    });

    await t.step("scoping: another environment's key 404s; verifications:read is required", async () => {
      const session = await createSession(world, key, {});
      const res = await call(world, "GET", `${SESSIONS}/${session.id}/risk`, { key: world.org.live_secret_key });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, SESSION_NOT_FOUND);
      const narrow = await mintKey(world, key, { label: "no verifications", scopes: ["sessions:read"] });
      assertError(
        await call(world, "GET", `${SESSIONS}/${session.id}/risk`, { key: narrow }),
        403,
        "insufficient_scope",
      );
    });
  } finally {
    await world.close();
  }
});
