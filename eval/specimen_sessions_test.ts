/**
 * Owns the live decision on real specimen documents, end to end: each specimen of
 * eval/corpus/documents/ is captured through the capture API (as a scan, and as a tilted desk
 * photo) and decided by the real worker and engine sandbox, and the result is read through the
 * REST API. The specimens come from public repositories and are never committed, so this runs
 * where the local corpus was assembled (`deno task eval:sessions`), not in CI; without the corpus
 * it fails and says how to assemble it.
 *
 * Every public specimen has expired, and no second photograph of any specimen holder exists: the
 * default workflow must reject each one as `document_expired` (read, not `document_unreadable`);
 * a workflow without the expiry check approves the specimen's holder when the selfie is the
 * document's own portrait re-photographed (the same photograph: the different-photo genuine pairs
 * are tests/verification/real_faces_test.ts) and rejects another real person's selfie.
 */
import assert from "node:assert/strict";
import sharp from "sharp";
import { createTestWorld, type TestWorld } from "../tests/helpers/test_app.ts";
import { call } from "../tests/helpers/sessions.ts";
import { selfie } from "../tests/helpers/identity_documents.ts";
import {
  awaitDecision,
  captureLiveSession,
  type LiveDocumentType,
  resultOf,
  withWorker,
} from "../tests/helpers/live_sessions.ts";
import { availableDocuments, type CorpusDocument, corpusFile } from "./corpus/documents/assemble.ts";
import { asScan, CONDITIONS } from "./conditions.ts";
import { IN_PROCESS_ENGINES } from "../core/verification/engines.ts";

/**
 * The checks a genuine specimen holder must pass, without the expiry every public specimen fails
 * (nor the risk check, which flags a specimen as such): quality, reading, face, in a chain.
 */
const HOLDER_CHECKS = ["document_quality", "document_ocr", "face_match"];
const NO_EXPIRY_GRAPH = {
  entry: "start",
  nodes: {
    start: { type: "start", next: HOLDER_CHECKS[0] },
    ...Object.fromEntries(HOLDER_CHECKS.map((policy, i) => [policy, {
      type: "policy",
      policy,
      ...(policy === "face_match" ? { options: { security_level: "standard" } } : {}),
      on_pass: HOLDER_CHECKS[i + 1] ?? "approved",
      on_fail: "rejected",
      on_error: "needs_review",
    }])),
    approved: { type: "terminal", outcome: "approved" },
    rejected: { type: "terminal", outcome: "rejected" },
    needs_review: { type: "terminal", outcome: "needs_review" },
  },
};

const { present, missing } = await availableDocuments();

/** The MRZ fields a session's result must carry; dates as the MRZ prints them (YYMMDD: the century is the engine's inference). */
function expectedData(doc: CorpusDocument) {
  const f = doc.fields;
  return {
    last_name: f.lastName,
    first_name: f.firstName.split(" ")[0],
    document_number: f.documentNumber,
    date_of_birth: f.birthDate,
    document_expiration_date: f.expirationDate,
  };
}

/** The document's own portrait, cut out with a margin and set in a selfie-sized frame: the same photograph again. */
async function portraitSelfie(document: Uint8Array): Promise<Uint8Array> {
  const face = await IN_PROCESS_ENGINES.face();
  const [found] = await face.detect(document);
  assert.ok(found, "the specimen shows a portrait");
  const meta = await sharp(document).rotate().metadata();
  const margin = Math.round(found.box.width * 0.6);
  const left = Math.max(0, found.box.x - margin);
  const top = Math.max(0, found.box.y - margin);
  const width = Math.min(meta.width! - left, found.box.width + 2 * margin);
  const height = Math.min(meta.height! - top, found.box.height + 2 * margin);
  const crop = await sharp(document).rotate().extract({ left, top, width, height })
    .resize(768, 1024, { fit: "contain", background: "#8a8f96", kernel: "lanczos3" }).jpeg({ quality: 92 }).toBuffer();
  return new Uint8Array(crop);
}

async function captureSpecimen(
  world: TestWorld,
  doc: CorpusDocument,
  front: Uint8Array,
  selfieBytes: Uint8Array,
  workflowId?: string,
) {
  return await captureLiveSession(world, {
    documentType: doc.document_type as LiveDocumentType,
    front,
    selfie: selfieBytes,
    country: "NL",
    create: workflowId ? { workflow_id: workflowId } : {},
  });
}

Deno.test("live decisions on real specimen documents", async (t) => {
  assert.ok(
    present.length > 0,
    `no specimen assembled (${missing.length} missing): fetch the repositories named in ` +
      "eval/corpus/documents/manifest.json, then run deno run -A eval/corpus/documents/assemble.ts",
  );
  const world = await createTestWorld();
  try {
    const created = await call(world, "POST", "/api/v1/workflows", {
      key: world.org.live_secret_key,
      body: { name: "Specimen holder (no expiry check)", graph: NO_EXPIRY_GRAPH },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const noExpiry = created.body.id as string;
    const desk = CONDITIONS.find((c) => c.name === "rotated_5_15")!;

    await withWorker(world, async () => {
      for (const [i, doc] of present.entries()) {
        const scan = await asScan(await Deno.readFile(corpusFile(doc)));
        const own = await portraitSelfie(scan);

        await t.step(`${doc.id}: the default workflow reads it and rejects it as expired`, async () => {
          const id = await captureSpecimen(world, doc, scan, own);
          await awaitDecision(world, id);
          const result = await resultOf(world, id);
          assert.equal(result.status, "rejected", JSON.stringify(result));
          assert.equal(result.rejection_reason_code, "document_expired", JSON.stringify(result.check_results));
          assert.deepEqual(pick(result.extracted_data), expectedData(doc));
        });

        await t.step(`${doc.id}: its holder is approved when expiry is not checked`, async () => {
          const id = await captureSpecimen(world, doc, scan, own, noExpiry);
          await awaitDecision(world, id);
          const result = await resultOf(world, id);
          assert.equal(result.status, "approved", JSON.stringify(result.check_results));
          assert.equal(result.face_match_passed, true);
        });

        await t.step(`${doc.id}: a tilted desk photo reads the same fields as the scan`, async () => {
          const photo = await desk.apply(await Deno.readFile(corpusFile(doc)), 7_000 + i);
          const id = await captureSpecimen(world, doc, photo, own, noExpiry);
          await awaitDecision(world, id);
          const result = await resultOf(world, id);
          assert.deepEqual(pick(result.extracted_data), expectedData(doc), JSON.stringify(result.check_results));
          assert.equal(result.status, "approved", JSON.stringify(result.check_results));
        });

        await t.step(`${doc.id}: another real person's selfie is rejected as a face mismatch`, async () => {
          const id = await captureSpecimen(world, doc, scan, await selfie("personA"), noExpiry);
          await awaitDecision(world, id);
          const result = await resultOf(world, id);
          assert.equal(result.status, "rejected", JSON.stringify(result));
          assert.equal(result.rejection_reason_code, "face_mismatch");
        });
      }
    });
  } finally {
    await world.close();
  }
});

/** The result's fields compared with expectedData, dates reduced to YYMMDD. */
function pick(data: Record<string, unknown>) {
  const yymmdd = (iso: unknown) => typeof iso === "string" ? iso.replaceAll("-", "").slice(2) : iso;
  return {
    last_name: data.last_name,
    first_name: data.first_name,
    document_number: data.document_number,
    date_of_birth: yymmdd(data.date_of_birth),
    document_expiration_date: yymmdd(data.document_expiration_date),
  };
}
