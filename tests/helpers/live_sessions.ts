/**
 * Owns driving live sessions through the live engine the way a customer's applicant does: create
 * the session with a live key, capture the generated documents and selfie through the capture
 * API, complete, and wait for the worker's decision; plus reading what the engine recorded.
 */
import assert from "node:assert/strict";
import { startWorker, type WorkerHandle } from "../../worker/runner.ts";
import { type Body, call, createSession } from "./sessions.ts";
import { capture, expectOk, SESSIONS, tokenOf, uploadSelfie, uploadSide } from "./capture.ts";
import { type TestWorld, waitFor } from "./test_app.ts";
import {
  type Applicant,
  driversLicence,
  genuineSelfie,
  idCard,
  passportPage,
  sampleApplicant,
} from "./identity_documents.ts";

export type LiveDocumentType = "passport" | "drivers_license" | "national_id";

export interface LiveCapture {
  documentType: LiveDocumentType;
  front: Uint8Array;
  back?: Uint8Array;
  selfie?: Uint8Array;
  /** User-info fields, when the workflow collects them. */
  fields?: Record<string, unknown>;
  /** Sent at session creation (workflow_id, external_ref, fields…). */
  create?: Record<string, unknown>;
  country?: string;
}

/** The documents of an applicant, drawn by the fixture generator. */
export async function documentsOf(a: Applicant, documentType: LiveDocumentType = "drivers_license") {
  // The same photograph as the portrait: only personA has a second photo among the packaged faces,
  // so the generic applicants re-use theirs; tests/verification/real_faces_test.ts decides genuine
  // applicants whose selfie is a different photograph.
  const selfie = await genuineSelfie(a, { samePhoto: true });
  if (documentType === "passport") return { documentType, front: await passportPage(a), selfie };
  const card = documentType === "national_id" ? await idCard(a) : await driversLicence(a);
  return { documentType, front: card.front, back: card.back, selfie };
}

/** A licence holder as the fixture generator's US licence expects (a US state issues it). */
export function licenceHolder(overrides: Partial<Applicant> = {}): Applicant {
  return sampleApplicant({ issuingState: "CA", nationality: "USA", ...overrides });
}

/** Creates a live session, captures everything and completes; returns the session id (now `processing`). */
export async function captureLiveSession(world: TestWorld, input: LiveCapture): Promise<string> {
  const session = await createSession(world, world.org.live_secret_key, input.create ?? {});
  const token = tokenOf(session);
  expectOk(
    await capture(world, token, "POST", "consent", { consent_version: "2026-01-01", accepted: true }),
    "consent",
  );
  expectOk(
    await capture(world, token, "POST", "document-type", {
      document_type: input.documentType,
      country: input.country ?? (input.documentType === "drivers_license" ? "US" : "NL"),
    }),
    "document-type",
  );
  expectOk(await uploadSide(world, token, "front", { bytes: input.front, name: "front.jpg" }), "front");
  if (input.back) expectOk(await uploadSide(world, token, "back", { bytes: input.back, name: "back.jpg" }), "back");
  if (input.selfie) expectOk(await uploadSelfie(world, token, { bytes: input.selfie, name: "selfie.jpg" }), "selfie");
  if (input.fields) expectOk(await capture(world, token, "POST", "fields", input.fields), "fields");
  expectOk(await capture(world, token, "POST", "complete"), "complete");
  return session.id;
}

const SETTLED = new Set(["completed", "under_review", "awaiting_external", "failed"]);

/** Waits until the worker has decided (or paused) the session; returns the session as the API shows it. */
export async function awaitDecision(world: TestWorld, sessionId: string, timeoutMs = 60_000): Promise<Body> {
  return await waitFor(`a decision on ${sessionId}`, async () => {
    const res = await call(world, "GET", `${SESSIONS}/${sessionId}`, { key: world.org.live_secret_key });
    return SETTLED.has(res.body.status) ? res.body : undefined;
  }, { timeoutMs, maxDelayMs: 200 });
}

export async function resultOf(world: TestWorld, sessionId: string): Promise<Body> {
  const res = await call(world, "GET", `${SESSIONS}/${sessionId}/result`, { key: world.org.live_secret_key });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

export async function workflowRunOf(world: TestWorld, sessionId: string): Promise<Body> {
  const res = await call(world, "GET", `${SESSIONS}/${sessionId}/workflow-run`, { key: world.org.live_secret_key });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** A worker process's jobs on the test world (the same runner `worker/main.ts` starts). */
export async function withWorker<T>(world: TestWorld, body: (worker: WorkerHandle) => Promise<T>): Promise<T> {
  const worker = await startWorker(world.deps, world.databaseUrl);
  try {
    return await body(worker);
  } finally {
    await worker.stop();
  }
}
