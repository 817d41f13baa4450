import assert from "node:assert/strict";
import { AppError } from "../../core/errors.ts";
import { joinBytes } from "../../core/encoding.ts";
import { encodeFrame, FrameError, readFrames } from "../../core/engines/sandbox/frames.ts";
import { EngineSandboxError } from "../../core/engines/sandbox/host.ts";
import { remoteEngine } from "../../core/engines/sandbox/remote_engine.ts";
import { createSandboxedEngines, IN_PROCESS_ENGINES } from "../../core/verification/engines.ts";
import { PROBE, PROBE_ENTRY } from "./offline_probe.ts";
import {
  aamvaText,
  faceImage,
  renderLicenceBack,
  renderMrzDocument,
  SAMPLE_LICENCE,
  SAMPLE_PASSPORT,
  td3Lines,
} from "./fixtures.ts";

/**
 * The sandboxed engines (core/verification/engines.ts over core/engines/sandbox/) behave as the
 * in-process ones: same answers and versions, the same AppErrors, concurrent calls each answered;
 * and the host survives its sandbox: killed mid-call, wedged, or writing garbage, the call fails as
 * a transient error (not an AppError, so the check runner retries) and the next call starts anew.
 */

function alive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected a rejection");
}

Deno.test("sandboxed engines answer as the in-process ones", async (t) => {
  const engines = createSandboxedEngines();
  const lines = td3Lines(SAMPLE_PASSPORT);
  const [passport, licenceBack, portrait] = await Promise.all([
    renderMrzDocument(lines),
    renderLicenceBack(aamvaText(SAMPLE_LICENCE)),
    faceImage("personA"),
  ]);
  try {
    await t.step("same results and versions, image bytes in and plain data out", async () => {
      const local = {
        face: await IN_PROCESS_ENGINES.face(),
        ocr: await IN_PROCESS_ENGINES.ocr(),
        barcode: await IN_PROCESS_ENGINES.barcode(),
      };
      const face = await engines.face();
      const ocr = await engines.ocr();
      const barcode = await engines.barcode();
      assert.deepEqual(face.versions, local.face.versions);
      assert.deepEqual(ocr.versions, local.ocr.versions);
      assert.deepEqual(barcode.versions, local.barcode.versions);
      const region = { left: 0, top: 0, width: 1, height: 0.5 };
      assert.deepEqual(await face.detect(portrait), await local.face.detect(portrait));
      assert.deepEqual(await face.detect(passport, { region }), await local.face.detect(passport, { region }));
      assert.deepEqual(await ocr.readMrz(passport), await local.ocr.readMrz(passport));
      assert.deepEqual(await ocr.readText(passport, region), await local.ocr.readText(passport, region));
      assert.deepEqual(await barcode.readPdf417(licenceBack), await local.barcode.readPdf417(licenceBack));
      assert.equal(await barcode.readPdf417(portrait), null);
      const [embedding] = (await face.detect(portrait)).map((f) => f.embedding);
      assert.equal(face.similarity(embedding, embedding), local.face.similarity(embedding, embedding));
      await local.ocr.close();
    });

    await t.step("an undecodable image is still AppError image_unreadable (400), the same as in-process", async () => {
      const junk = new Uint8Array([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]);
      const error = await rejection((await engines.face()).detect(junk));
      assert.ok(error instanceof AppError);
      assert.equal(error.code, "image_unreadable");
      assert.equal(error.status, 400);
      const barcodeError = await rejection((await engines.barcode()).readPdf417(junk));
      assert.ok(barcodeError instanceof AppError && barcodeError.code === "image_unreadable");
    });

    await t.step("concurrent calls on all three engines each get their own answer", async () => {
      const [face, ocr, barcode] = await Promise.all([engines.face(), engines.ocr(), engines.barcode()]);
      const [pdf417, none, faces, mrz] = await Promise.all([
        barcode.readPdf417(licenceBack),
        barcode.readPdf417(passport),
        face.detect(portrait),
        ocr.readMrz(passport),
      ]);
      assert.equal(pdf417?.text, aamvaText(SAMPLE_LICENCE));
      assert.equal(none, null);
      assert.equal(faces.length, 1);
      assert.ok(mrz.lines.length >= 2);
    });

    await t.step("killed mid-call: the call fails as transient, the next one runs in a new sandbox", async () => {
      const pid = engines.sandbox.pid!;
      const face = await engines.face();
      const killed = new Set<number>();
      const killing = createSandboxedEngines({
        onCall: ({ method, pid }) => {
          if (method !== "detect" || killed.has(pid)) return;
          killed.add(pid);
          Deno.kill(pid, "SIGKILL");
        },
      });
      try {
        const doomed = await killing.face();
        const firstPid = killing.sandbox.pid!;
        // Started and never awaited, as extraction leaves readText while it awaits the barcode: a
        // dead sandbox fails it too, and that must not surface as an unhandled rejection.
        doomed.detect(portrait);
        const error = await rejection(doomed.detect(portrait));
        assert.ok(error instanceof EngineSandboxError, String(error));
        assert.ok(!(error instanceof AppError));
        assert.match(error.message, /was killed \(SIGKILL\)/);
        assert.equal(killing.sandbox.pid, null);
        assert.equal(alive(firstPid), false);
        // A sandbox started again answers (versions came at load and are still there).
        assert.equal((await killing.sandbox.memory()).pid, killing.sandbox.pid);
        assert.notEqual(killing.sandbox.pid, firstPid);
        assert.equal(doomed.versions.engine, "face");
      } finally {
        await killing.close();
      }
      // The other host's sandbox was not touched.
      assert.equal(engines.sandbox.pid, pid);
      assert.equal((await face.detect(portrait)).length, 1);
    });
  } finally {
    await engines.close();
  }
});

Deno.test("the host outlives a wedged or garbled sandbox", async (t) => {
  const engines = createSandboxedEngines({ entry: PROBE_ENTRY, requestTimeoutMs: 3_000 });
  try {
    const probe = await remoteEngine(engines.sandbox, "probe", PROBE);

    await t.step("a call with no answer kills the sandbox at the timeout and fails as transient", async () => {
      const pid = engines.sandbox.pid!;
      const error = await rejection(probe.hang());
      assert.ok(error instanceof EngineSandboxError);
      assert.match(error.message, /gave no answer within 3000 ms and was killed/);
      assert.equal(alive(pid), false);
      assert.equal((await probe.read("/etc/hostname")).error, "NotCapable");
    });

    await t.step("bytes on stdout that are not a frame kill the sandbox; the next call starts a new one", async () => {
      const pid = engines.sandbox.pid!;
      const error = await rejection(probe.scribble());
      assert.ok(error instanceof EngineSandboxError);
      assert.match(error.message, /something other than engine frames/);
      assert.equal(alive(pid), false);
      assert.deepEqual(await probe.fetched(), []);
    });
  } finally {
    await engines.close();
  }
});

Deno.test("signals leave the sandbox alone; close lets an in-flight call finish, ends it, and refuses later calls", async () => {
  const engines = createSandboxedEngines();
  const portrait = await faceImage("personA");
  const face = await engines.face();
  const pid = engines.sandbox.pid!;
  // What Ctrl-C or a supervisor sends the whole process group: the sandbox waits for its stdin to end.
  Deno.kill(pid, "SIGINT");
  Deno.kill(pid, "SIGTERM");
  assert.equal((await face.detect(portrait)).length, 1);
  assert.equal(engines.sandbox.pid, pid);
  const inFlight = face.detect(portrait);
  await engines.close();
  assert.equal((await inFlight).length, 1);
  assert.equal(alive(pid), false);
  assert.equal(engines.sandbox.pid, null);
  const error = await rejection(face.detect(portrait));
  assert.ok(error instanceof EngineSandboxError);
  assert.match(error.message, /closed/);
});

Deno.test("frames come through whatever the pipe's chunking, and anything else is refused", async () => {
  const messages = [
    { id: 1, op: "call", args: [new Uint8Array(200_000).fill(7), undefined] },
    { id: 2, ok: true, value: { score: NaN, embedding: new Float32Array([0.5, -1]), box: null } },
    { id: 3, ok: false, error: { name: "AppError", message: "x" } },
  ];
  const bytes = joinBytes(messages.map(encodeFrame));
  const streamOf = (data: Uint8Array, chunk: (offset: number) => number) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < data.byteLength;) {
          const end = Math.min(data.byteLength, offset + chunk(offset));
          controller.enqueue(data.slice(offset, end));
          offset = end;
        }
        controller.close();
      },
    });
  const read = async (stream: ReadableStream<Uint8Array>) => {
    const out: unknown[] = [];
    for await (const message of readFrames(stream)) out.push(message);
    return out;
  };
  for (const chunk of [() => 1, () => 7, (offset: number) => 1 + (offset * 7919) % 65_536, () => bytes.byteLength]) {
    assert.deepEqual(await read(streamOf(bytes, chunk)), messages);
  }
  await assert.rejects(read(streamOf(new TextEncoder().encode("hello from a library\n"), () => 4)), FrameError);
  await assert.rejects(read(streamOf(bytes.subarray(0, bytes.byteLength - 1), () => 4096)), FrameError);
});
