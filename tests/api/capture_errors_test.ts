/**
 * Owns the capture API's refusals over HTTP: every 400 code of the contract with a real request
 * (dead tokens, consent, step order, incomplete capture, bad files including an 11 MB upload with
 * and without Content-Length and a PNG decompression bomb) and the 422s for bad bodies. Each
 * refusal has the contract's error body and leaves the session, its documents, the blob store
 * and the outbox exactly as they were.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { call, createSession, sessionEventTypes, sessionRow } from "../helpers/sessions.ts";
import {
  assertError,
  capture,
  captureDocuments,
  captureImages,
  expectOk,
  SESSIONS,
  snapshot,
  tokenOf,
  uploadSelfie,
  uploadSide,
} from "../helpers/capture.ts";
import { ascii, concat, pngBomb, solid, syntheticDocument, u8 } from "../helpers/images.ts";
import { MAX_UPLOAD_BYTES } from "../../core/images/image_pipeline.ts";

const MINUTE = 60_000;
const CONSENT = { consent_version: "2026-01-01", accepted: true };

/** One request per capture endpoint, each well-formed, so only the token can be the problem. */
async function everyEndpoint(world: TestWorld, token: string, options: { mutatingOnly?: boolean } = {}) {
  const files = await captureImages();
  const calls: [string, () => ReturnType<typeof capture>][] = [
    ["consent", () => capture(world, token, "POST", "consent", CONSENT)],
    [
      "document-type",
      () => capture(world, token, "POST", "document-type", { document_type: "passport", country: "US" }),
    ],
    ["documents", () => uploadSide(world, token, "front", files.front)],
    ["selfie", () => uploadSelfie(world, token, files.selfie)],
    ["fields", () => capture(world, token, "POST", "fields", { first_name: "Ann" })],
    ["signals", () => capture(world, token, "POST", "signals", { device: { webdriver: true } })],
    ["complete", () => capture(world, token, "POST", "complete")],
  ];
  if (!options.mutatingOnly) {
    calls.unshift(["state", () => capture(world, token, "GET", "state")]);
    calls.push(["sandbox-outcome", () => capture(world, token, "POST", "sandbox-outcome", { outcome: "approve" })]);
  }
  return calls;
}

async function assertTokenDead(world: TestWorld, token: string, options: { mutatingOnly?: boolean } = {}) {
  for (const [name, send] of await everyEndpoint(world, token, options)) {
    const res = await send();
    assert.equal(res.body.error, "token_expired", `${name}: ${JSON.stringify(res.body)}`);
    assertError(res, 400, "token_expired");
  }
}

Deno.test("token_expired", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  try {
    await t.step("an unknown or malformed token, on every endpoint", async () => {
      const real = await createSession(world, key);
      const before = await snapshot(world, real.id);
      await assertTokenDead(world, `tok_${"0123456789abcdefghijklmnopqrstuv"}`);
      await assertTokenDead(world, "not-a-token");
      await assertTokenDead(world, tokenOf(real).toUpperCase());
      assert.deepEqual(await snapshot(world, real.id), before);
    });

    await t.step("the capture window: alive at 19 minutes, dead at 21", async () => {
      const created = await createSession(world, key);
      const token = tokenOf(created);
      expectOk(await capture(world, token, "POST", "consent", CONSENT), "consent");
      world.clock.advance(19 * MINUTE);
      expectOk(await capture(world, token, "GET", "state"), "state at 19 min");
      world.clock.advance(2 * MINUTE);
      const before = await snapshot(world, created.id);
      await assertTokenDead(world, token);
      assert.deepEqual(await snapshot(world, created.id), before);
      const session = await call(world, "GET", `${SESSIONS}/${created.id}`, { key });
      assert.equal(session.body.capture_url, null);
    });

    await t.step("resume issues a new token; the old one is dead, progress is kept", async () => {
      const created = await createSession(world, key);
      const old = tokenOf(created);
      expectOk(await capture(world, old, "POST", "consent", CONSENT), "consent");
      const resumed = await call(world, "POST", `${SESSIONS}/${created.id}/resume`, { key });
      assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
      const fresh = tokenOf(resumed.body);
      assert.notEqual(fresh, old);
      await assertTokenDead(world, old);
      const state = expectOk(await capture(world, fresh, "GET", "state"), "state with the new token");
      assert.deepEqual(state.steps_completed, ["consent"]);
      assert.equal(state.status, "pending");
      expectOk(
        await capture(world, fresh, "POST", "document-type", { document_type: "passport", country: "US" }),
        "document-type with the new token",
      );
      // The kept consent carries over: the first step with the new link resumes capturing.
      const after = await call(world, "GET", `${SESSIONS}/${created.id}`, { key });
      assert.equal(after.body.status, "capturing");
      const started = (await sessionEventTypes(world, created.id)).filter((type) => type === "session.started");
      assert.equal(started.length, 2);
    });

    await t.step("POST …/expire kills the token", async () => {
      const created = await createSession(world, key);
      const token = tokenOf(created);
      expectOk(await capture(world, token, "POST", "consent", CONSENT), "consent");
      expectOk(await call(world, "POST", `${SESSIONS}/${created.id}/expire`, { key }), "expire");
      const before = await snapshot(world, created.id);
      await assertTokenDead(world, token);
      assert.deepEqual(await snapshot(world, created.id), before);
      assert.equal(before.session.status, "expired");
    });

    await t.step("after complete, a replayed token changes nothing, but the state stays readable", async () => {
      const created = await createSession(world, key);
      const token = tokenOf(created);
      await captureDocuments(world, token);
      expectOk(await capture(world, token, "POST", "complete"), "complete");
      const before = await snapshot(world, created.id);
      await assertTokenDead(world, token, { mutatingOnly: true });
      assert.deepEqual(await snapshot(world, created.id), before);
      const state = expectOk(await capture(world, token, "GET", "state"), "state after complete");
      assert.equal(state.status, "sandbox_pending");
      assert.equal(state.capture_open, false);
    });
  } finally {
    await world.close();
  }
});

Deno.test("consent, step order and completeness", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const files = await captureImages();
  const fresh = async () => {
    const created = await createSession(world, key);
    return { id: created.id as string, token: tokenOf(created) };
  };
  /** Sends a request that must be refused, and proves it changed nothing. */
  const refused = async (id: string, send: () => ReturnType<typeof capture>, status: number, code: string) => {
    const before = await snapshot(world, id);
    const body = assertError(await send(), status, code);
    assert.deepEqual(await snapshot(world, id), before, `${code} changed something`);
    return body;
  };
  try {
    await t.step("consent_required: any step before consent", async () => {
      const { id, token } = await fresh();
      await refused(id, () => uploadSide(world, token, "front", files.front), 400, "consent_required");
      await refused(id, () => uploadSelfie(world, token, files.selfie), 400, "consent_required");
      await refused(
        id,
        () => capture(world, token, "POST", "document-type", { document_type: "passport", country: "US" }),
        400,
        "consent_required",
      );
      await refused(id, () => capture(world, token, "POST", "complete"), 400, "consent_required");
      assert.equal((await sessionRow(world, id)).status, "pending");
    });

    await t.step("step_out_of_order: front before type, selfie before document, outcome before complete", async () => {
      const { id, token } = await fresh();
      await refused(
        id,
        () => capture(world, token, "POST", "sandbox-outcome", { outcome: "approve" }),
        400,
        "step_out_of_order",
      );
      expectOk(await capture(world, token, "POST", "consent", CONSENT), "consent");
      const front = await refused(id, () => uploadSide(world, token, "front", files.front), 400, "step_out_of_order");
      assert.match(front.detail, /document type/);
      const selfie = await refused(id, () => uploadSelfie(world, token, files.selfie), 400, "step_out_of_order");
      assert.match(selfie.detail, /document_type/);
      expectOk(
        await capture(world, token, "POST", "document-type", { document_type: "drivers_license", country: "US" }),
        "document-type",
      );
      const early = await refused(id, () => uploadSelfie(world, token, files.selfie), 400, "step_out_of_order");
      assert.match(early.detail, /document_front, document_back/);
      await refused(
        id,
        () => capture(world, token, "POST", "sandbox-outcome", { preset: "approve" }),
        400,
        "step_out_of_order",
      );
    });

    await t.step("capture_incomplete lists every missing step", async () => {
      const { id, token } = await fresh();
      expectOk(await capture(world, token, "POST", "consent", CONSENT), "consent");
      const none = await refused(id, () => capture(world, token, "POST", "complete"), 400, "capture_incomplete");
      assert.match(none.detail, /missing: document_type, document_front, selfie\./);
      assert.deepEqual(Object.keys(none.fields), ["document_type", "document_front", "selfie"]);
      expectOk(
        await capture(world, token, "POST", "document-type", { document_type: "national_id", country: "FR" }),
        "document-type",
      );
      expectOk(await uploadSide(world, token, "front", files.front), "front");
      // A national ID needs its front only (seed 003): the selfie is all that is left.
      const some = await refused(id, () => capture(world, token, "POST", "complete"), 400, "capture_incomplete");
      assert.deepEqual(some.fields, { selfie: "is required" });
      assert.equal((await sessionRow(world, id)).status, "capturing");
    });

    await t.step("validation_error 422 for bad bodies, naming the field", async () => {
      const { id, token } = await fresh();
      const bad = async (step: string, body: unknown, field: string) => {
        const res = await refused(id, () => capture(world, token, "POST", step, body), 422, "validation_error");
        assert.ok(field in res.fields, `${step} ${JSON.stringify(body)} → ${JSON.stringify(res.fields)}`);
      };
      await bad("consent", { consent_version: "v1", accepted: false }, "accepted");
      await bad("consent", { accepted: true }, "consent_version");
      await bad("consent", { consent_version: "v1", accepted: "yes" }, "accepted");
      await bad("consent", { consent_version: "v1", accepted: true, marketing: true }, "marketing");
      assert.equal((await sessionRow(world, id)).consent_at, null);
      expectOk(await capture(world, token, "POST", "consent", CONSENT), "consent");
      await bad("document-type", { document_type: "drivers_license", country: "USA" }, "country");
      await bad("document-type", { document_type: "drivers_license", country: "U1" }, "country");
      await bad("document-type", { document_type: "library_card", country: "US" }, "document_type");
      await bad("document-type", { country: "US" }, "document_type");
      await bad("sandbox-outcome", { outcome: "maybe" }, "outcome");
      await bad("sandbox-outcome", { preset: "approve_everything" }, "preset");
      expectOk(
        await capture(world, token, "POST", "document-type", { document_type: "passport", country: "US" }),
        "document-type",
      );
      const side = await refused(id, () => uploadSide(world, token, "left", files.front), 422, "validation_error");
      assert.ok("side" in side.fields);
      const form = new FormData();
      form.append("side", "front");
      form.append("photo", new File([files.front.bytes as BlobPart], "front.jpg", { type: "image/jpeg" }));
      const noFile = await refused(
        id,
        () => call(world, "POST", `/verify/${token}/documents`, { body: form }),
        422,
        "validation_error",
      );
      assert.ok("file" in noFile.fields);
    });
  } finally {
    await world.close();
  }
});

/** Multipart framing around one file, written by hand so the test controls how the body is sent. */
function multipartFraming(boundary: string, fileName: string) {
  return {
    head: ascii(
      `--${boundary}\r\nContent-Disposition: form-data; name="side"\r\n\r\nfront\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
        `Content-Type: image/jpeg\r\n\r\n`,
    ),
    tail: ascii(`\r\n--${boundary}--\r\n`),
  };
}

Deno.test("bad files", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const files = await captureImages();
  /** A consented session with its document type chosen: ready for a front upload. */
  const ready = async (documentType = "drivers_license") => {
    const created = await createSession(world, key);
    const token = tokenOf(created);
    expectOk(await capture(world, token, "POST", "consent", CONSENT), "consent");
    expectOk(
      await capture(world, token, "POST", "document-type", { document_type: documentType, country: "US" }),
      "document-type",
    );
    return { id: created.id as string, token };
  };
  const refusedUpload = async (
    id: string,
    send: () => Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>,
    code: string,
    detail?: RegExp,
  ) => {
    const before = await snapshot(world, id);
    // deno-lint-ignore no-explicit-any
    const body = assertError(await send() as any, 400, code, detail);
    assert.deepEqual(await snapshot(world, id), before, `${code} changed something`);
    return body;
  };
  try {
    await t.step(
      "unsupported_media_type: text named .jpg, GIF, PDF, AVIF, and a body that is not multipart",
      async () => {
        const { id, token } = await ready();
        const text = { bytes: ascii("name,dob\nJane,1990-01-01\n"), name: "passport.jpg", type: "image/jpeg" };
        const gif = { bytes: u8(await solid(600, 400).gif().toBuffer()), name: "id.gif", type: "image/gif" };
        const pdf = {
          bytes: ascii("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
          name: "id.pdf",
          type: "application/pdf",
        };
        const avif = { bytes: u8(await solid(600, 400).avif().toBuffer()), name: "id.avif", type: "image/avif" };
        for (const file of [text, gif, pdf, avif]) {
          await refusedUpload(id, () => uploadSide(world, token, "front", file), "unsupported_media_type");
        }
        const pdfRefusal = await refusedUpload(
          id,
          () => uploadSide(world, token, "front", pdf),
          "unsupported_media_type",
        );
        assert.match(pdfRefusal.detail as string, /PDF/);
        await refusedUpload(
          id,
          () => capture(world, token, "POST", "documents", { side: "front", file: "aGVsbG8=" }),
          "unsupported_media_type",
          /multipart/,
        );
        // The selfie goes through the same checks.
        const passport = await ready("passport");
        expectOk(await uploadSide(world, passport.token, "front", files.front), "front");
        for (const file of [text, gif, pdf]) {
          await refusedUpload(passport.id, () => uploadSelfie(world, passport.token, file), "unsupported_media_type");
        }
        // The bytes decide, not the name or the claimed type: a PNG named .gif is accepted.
        const png = { bytes: u8(await syntheticDocument(800, 500).png().toBuffer()), name: "x.gif", type: "image/gif" };
        expectOk(await uploadSide(world, token, "front", png), "PNG named .gif");
      },
    );

    await t.step("image_too_small: a 400×600 selfie", async () => {
      const { id, token } = await ready("passport");
      expectOk(await uploadSide(world, token, "front", files.front), "front");
      const small = { bytes: u8(await solid(400, 600).jpeg().toBuffer()), name: "selfie.jpg" };
      await refusedUpload(id, () => uploadSelfie(world, token, small), "image_too_small", /400×600.*480/);
      const justEnough = { bytes: u8(await solid(480, 640).jpeg().toBuffer()), name: "selfie.jpg" };
      expectOk(await uploadSelfie(world, token, justEnough), "480×640 selfie");
    });

    await t.step("image_unreadable: a truncated JPEG and an empty file", async () => {
      const { id, token } = await ready();
      const jpeg = u8(await syntheticDocument(800, 600).jpeg().toBuffer());
      const truncated = { bytes: jpeg.subarray(0, Math.floor(jpeg.length / 2)), name: "front.jpg" };
      await refusedUpload(id, () => uploadSide(world, token, "front", truncated), "image_unreadable");
      await refusedUpload(
        id,
        () => uploadSide(world, token, "front", { bytes: new Uint8Array(), name: "front.jpg" }),
        "image_unreadable",
      );
    });

    await t.step("a 20000×20000 PNG bomb is refused in under a second and nothing is stored", async () => {
      const { id, token } = await ready();
      const bomb = pngBomb();
      assert.ok(bomb.length < 100_000, `bomb is ${bomb.length} bytes`);
      const started = performance.now();
      const body = await refusedUpload(
        id,
        () => uploadSide(world, token, "front", { bytes: bomb, name: "front.png", type: "image/png" }),
        "image_unreadable",
        /megapixels/,
      );
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 1000, `refusal took ${elapsed.toFixed(0)} ms`);
      assert.ok(!JSON.stringify(body).includes("vips"), "libvips internals leak into the response");
    });

    await t.step("file_too_large: over the file cap but under the body cap", async () => {
      const { id, token } = await ready();
      const bytes = new Uint8Array(MAX_UPLOAD_BYTES + 100 * 1024);
      bytes.set(files.front.bytes);
      await refusedUpload(id, () => uploadSide(world, token, "front", { bytes }), "file_too_large", /10 MB/);
    });

    await t.step("file_too_large: 11 MB with Content-Length, and streamed without it", async () => {
      const { id, token } = await ready();
      const seen: (string | null)[] = [];
      const server = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen() {} },
        (request, info) => {
          seen.push(request.headers.get("content-length"));
          return world.app.fetch(request, info);
        },
      );
      const url = `http://127.0.0.1:${server.addr.port}/verify/${token}/documents`;
      const boundary = "----verifa-test-boundary";
      const headers = { "Content-Type": `multipart/form-data; boundary=${boundary}` };
      const { head, tail } = multipartFraming(boundary, "front.jpg");
      const send = async (body: BodyInit) => {
        const response = await fetch(url, { method: "POST", headers, body });
        return { status: response.status, body: await response.json(), headers: response.headers };
      };
      try {
        const file = new Uint8Array(11 * 1024 * 1024);
        file.set(files.front.bytes);
        const fixed = concat(head, file, tail);
        await refusedUpload(id, () => send(fixed), "file_too_large", /10 MB/);
        assert.equal(seen[0], String(fixed.length), "the first upload declared its length");

        // 64 MB offered chunk by chunk; the server must stop reading shortly after the cap.
        const total = 64 * 1024 * 1024;
        let pulled = 0;
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (pulled === 0) controller.enqueue(head);
            if (pulled >= total) {
              controller.enqueue(tail);
              controller.close();
              return;
            }
            const chunk = new Uint8Array(64 * 1024);
            if (pulled === 0) chunk.set(files.front.bytes.subarray(0, chunk.length));
            pulled += chunk.length;
            controller.enqueue(chunk);
          },
        });
        await refusedUpload(id, () => send(stream), "file_too_large", /10 MB/);
        assert.equal(seen[1], null, "the streamed upload declared no length");
        assert.ok(pulled < total / 2, `the server read ${pulled} of ${total} bytes before refusing`);
      } finally {
        await server.shutdown();
      }
      assert.equal((await sessionRow(world, id)).status, "capturing");
    });
  } finally {
    await world.close();
  }
});
