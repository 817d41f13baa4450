/**
 * Owns the workflows API tests over HTTP: the policy catalogue and templates, create (valid, and
 * each invalid graph refused field by field with nothing stored), legacy steps, edits as new
 * immutable versions, the canary rollout, set-default and deactivate rules, dry validation,
 * scopes, tenant scoping, and sessions naming API-made workflows.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { type Body, call, createSession, sessionRow } from "../helpers/sessions.ts";
import { capture, tokenOf } from "../helpers/capture.ts";
import { DEFAULT_GRAPH, TEMPLATES } from "../../core/workflows/templates.ts";
import { pickVersion } from "../../core/workflows/rollout.ts";

const WORKFLOWS = "/api/v1/workflows";

const CHECKS_FROM_THE_ISSUE = [
  "document_quality",
  "document_ocr",
  "document_expiration",
  "id_document_filter",
  "face_match",
  "liveness",
  "age_verification",
  "identity_crossref",
  "risk_assessment",
  "duplicate_detection",
  "watchlist_screening",
  "check_against_list",
];

/** A small valid graph: OCR, then age ≥ 21 by condition, with a wait gate for US documents. */
function customGraph(): Body {
  return {
    entry: "begin",
    nodes: {
      begin: { type: "start", next: "ocr" },
      ocr: { type: "policy", policy: "document_ocr", on_pass: "age", on_fail: "reject", on_error: "review" },
      age: {
        type: "conditional",
        conditions: [
          { field: "checks.age_verification.age", operator: "<", value: 21, next: "reject" },
          { field: "extracted.issuing_country", operator: "in", value: ["US"], next: "gate" },
        ],
        default: "approve",
      },
      gate: { type: "wait", gate: "manual_kyb", on_continue: "approve", on_fail: "review" },
      approve: { type: "terminal", outcome: "approved" },
      reject: { type: "terminal", outcome: "rejected" },
      review: { type: "terminal", outcome: "needs_review" },
    },
  };
}

function withNodes(nodes: Body, entry = "begin"): Body {
  return { entry, nodes: { ...customGraph().nodes, ...nodes } };
}

function without(graph: Body, id: string): Body {
  const { [id]: _, ...nodes } = graph.nodes;
  return { ...graph, nodes };
}

async function counts(world: TestWorld) {
  const [w, v] = await Promise.all([
    world.db.selectFrom("workflows").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    world.db.selectFrom("workflow_versions").select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  return { workflows: Number(w.n), versions: Number(v.n) };
}

async function mintKey(world: TestWorld, creator: string, scopes?: string[]): Promise<string> {
  const res = await call(world, "POST", "/api/v1/api-keys", { key: creator, body: scopes ? { scopes } : {} });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.secret;
}

function expectStatus(res: { status: number; body: Body }, status: number): Body {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

Deno.test("workflows API", async (t) => {
  const world = await createTestWorld();
  const key = world.org.sandbox_secret_key;
  const get = (path: string, k = key) => call(world, "GET", path, { key: k });
  const post = (path: string, body?: unknown, k = key) => call(world, "POST", path, { key: k, body });
  const patch = (path: string, body: unknown, k = key) => call(world, "PATCH", path, { key: k, body });
  let defaultId = "";
  let created: Body = {};
  try {
    await t.step("the verification-policy catalogue lists every check with its options", async () => {
      const body = expectStatus(await get("/api/v1/verification-policies"), 200);
      assert.deepEqual(body.data.map((p: Body) => p.name).sort(), [...CHECKS_FROM_THE_ISSUE].sort());
      const age = body.data.find((p: Body) => p.name === "age_verification");
      assert.deepEqual(
        age.options.map((o: Body) => [o.name, o.type, o.default]),
        [["minimum_age", "integer", 18]],
      );
      const face = body.data.find((p: Body) => p.name === "face_match");
      assert.deepEqual(face.requires, ["document", "selfie"]);
      assert.deepEqual(face.options[0].values, ["standard", "strict", "very_strict"]);
      assert.ok(face.outputs.includes("checks.face_match.similarity"));
      for (const policy of body.data) assert.equal(typeof policy.description, "string");
    });

    await t.step("templates: the notes' five, each a valid graph; filterable by industry", async () => {
      const body = expectStatus(await get(`${WORKFLOWS}/templates`), 200);
      assert.deepEqual(body.data.map((t: Body) => t.name), [
        "Document Scan Only",
        "Age Verification",
        "ID & Selfie + Age Verification",
        "ID & Selfie + Duplicate Prevention",
        "Blank Workflow",
      ]);
      for (const template of body.data) {
        const check = expectStatus(
          await post(`${WORKFLOWS}/validate`, {
            graph: template.graph,
            data_requirements: template.data_requirements,
          }),
          200,
        );
        assert.deepEqual(check, {
          valid: true,
          errors: {},
          step_count: template.step_count,
          data_requirements: template.data_requirements,
        }, template.id);
      }
      const ageGated = expectStatus(await get(`${WORKFLOWS}/templates?industry=age_gated`), 200);
      assert.ok(ageGated.data.every((t: Body) => t.industries.includes("age_gated")));
      assert.ok(ageGated.data.length < body.data.length);
      expectStatus(await get(`${WORKFLOWS}/templates?industry=bakery`), 400);
    });

    await t.step("the org's default is version 1 of the default graph", async () => {
      const list = expectStatus(await get(WORKFLOWS), 200);
      assert.equal(list.pagination.total, 1);
      const [wf] = list.data;
      defaultId = wf.id;
      assert.match(wf.id, /^wfl_/);
      assert.equal(wf.name, "ID & Selfie + Age Verification");
      assert.equal(wf.is_default, true);
      assert.equal(wf.is_active, true);
      assert.equal(wf.version, 1);
      assert.equal(wf.format, "graph");
      assert.equal(wf.rollout_percentage, 100);
      assert.equal(wf.previous_version, null);
      assert.equal(wf.step_count, 6);
      assert.deepEqual(wf.graph, DEFAULT_GRAPH);
      assert.equal(wf.data_requirements.selfie, true);
      const policies: string[] = [];
      for (
        let node = wf.graph.nodes[wf.graph.nodes.start.next];
        node.type === "policy";
        node = wf.graph.nodes[node.on_pass]
      ) {
        policies.push(node.policy);
      }
      assert.deepEqual(policies, [
        "document_quality",
        "document_ocr",
        "document_expiration",
        "face_match",
        "age_verification",
        "risk_assessment",
      ]);
      const versions = expectStatus(await get(`${WORKFLOWS}/${wf.id}/versions`), 200);
      assert.deepEqual(versions.data.map((v: Body) => [v.version, v.is_current, v.traffic_percentage]), [[
        1,
        true,
        100,
      ]]);
    });

    await t.step("create a valid workflow: 201, stored as version 1, readable back", async () => {
      const res = await post(WORKFLOWS, {
        name: "Age 21 with gate",
        description: "OCR, age 21, manual KYB for US",
        graph: customGraph(),
        data_requirements: { selfie: false, user_info_fields: ["first_name", "last_name"] },
      });
      created = expectStatus(res, 201);
      assert.match(created.id, /^wfl_/);
      assert.equal(created.version, 1);
      assert.equal(created.format, "graph");
      assert.equal(created.steps, null);
      assert.equal(created.step_count, 1);
      assert.equal(created.is_default, false);
      assert.equal(created.is_active, true);
      assert.equal(created.rollout_percentage, 100);
      assert.deepEqual(created.graph, customGraph());
      assert.deepEqual(created.data_requirements, {
        document_types: ["passport", "drivers_license", "national_id", "residence_permit"],
        selfie: false,
        user_info_fields: ["first_name", "last_name"],
        proof_of_address: false,
      });
      for (const field of ["created_at", "updated_at"]) assert.match(created[field], /^\d{4}-\d\d-\d\dT.*Z$/);
      assert.deepEqual(expectStatus(await get(`${WORKFLOWS}/${created.id}`), 200), created);
      const stored = await world.db.selectFrom("workflow_versions").selectAll().where("workflow_id", "=", created.id)
        .execute();
      assert.equal(stored.length, 1);
      assert.deepEqual(stored[0].graph, customGraph());
      assert.equal(stored[0].org_id, world.org.org_id);
    });

    await t.step("invalid graphs are refused with field-level errors, and nothing is stored", async () => {
      const before = await counts(world);
      const cases: [string, Body, string[]][] = [
        ["no start", { graph: without(customGraph(), "begin") }, ["graph.nodes", "graph.entry"]],
        [
          "a cycle",
          { graph: withNodes({ gate: { type: "wait", on_continue: "ocr", on_fail: "review" } }) },
          ["graph"],
        ],
        [
          "a dead end: a route to a node that does not exist",
          {
            graph: withNodes({
              ocr: { type: "policy", policy: "document_ocr", on_pass: "nowhere", on_fail: "reject" },
            }),
          },
          ["graph.nodes.ocr.on_pass"],
        ],
        [
          "a dead end: a policy with no failure route",
          { graph: withNodes({ ocr: { type: "policy", policy: "document_ocr", on_pass: "age" } }) },
          ["graph.nodes.ocr.on_fail"],
        ],
        [
          "an unknown check",
          { graph: withNodes({ ocr: { type: "policy", policy: "palm_reading", on_pass: "age", on_fail: "reject" } }) },
          ["graph.nodes.ocr.policy"],
        ],
        [
          "an unreachable node",
          { graph: withNodes({ orphan: { type: "terminal", outcome: "approved" } }) },
          ["graph.nodes.orphan"],
        ],
        [
          "a bad option value and an unknown option",
          {
            graph: withNodes({
              ocr: {
                type: "policy",
                policy: "age_verification",
                options: { minimum_age: 200, shoe_size: 9 },
                on_pass: "age",
                on_fail: "reject",
              },
            }),
          },
          ["graph.nodes.ocr.options.minimum_age", "graph.nodes.ocr.options.shoe_size"],
        ],
        [
          "a misspelt node field",
          {
            graph: withNodes({
              ocr: { type: "policy", policy: "document_ocr", on_pass: "age", on_fail: "reject", on_eror: "review" },
            }),
          },
          ["graph.nodes.ocr.on_eror"],
        ],
        [
          "a comparison against a string and an unknown check in a condition",
          {
            graph: withNodes({
              age: {
                type: "conditional",
                conditions: [
                  { field: "checks.age_verification.age", operator: ">=", value: "21", next: "approve" },
                  { field: "checks.palm_reading.score", operator: "exists", next: "gate" },
                ],
                default: "review",
              },
            }),
          },
          ["graph.nodes.age.conditions.0.value", "graph.nodes.age.conditions.1.field"],
        ],
        [
          "a reference to an inherited property name",
          {
            graph: withNodes({
              ocr: { type: "policy", policy: "document_ocr", on_pass: "toString", on_fail: "reject" },
            }),
          },
          ["graph.nodes.ocr.on_pass"],
        ],
        [
          "face_match without a selfie",
          {
            graph: withNodes({
              ocr: { type: "policy", policy: "face_match", on_pass: "age", on_fail: "reject" },
            }),
            data_requirements: { selfie: false },
          },
          ["data_requirements.selfie"],
        ],
        [
          "bad data requirements",
          { graph: customGraph(), data_requirements: { document_types: ["library_card"], selfie: "yes", pets: 1 } },
          ["data_requirements.document_types", "data_requirements.selfie", "data_requirements.pets"],
        ],
        ["no graph at all", {}, ["graph"]],
        ["graph and steps together", { graph: customGraph(), steps: [{ policy: "document_ocr" }] }, ["steps"]],
        ["an unknown body key", { graph: customGraph(), screening_settings: {} }, ["screening_settings"]],
        ["a template and a graph", { template: "blank", graph: customGraph() }, ["template"]],
        ["an unknown template", { template: "tarot" }, ["template"]],
      ];
      for (const [label, body, fields] of cases) {
        const res = await post(WORKFLOWS, { name: "Broken", ...body });
        const error = expectStatus(res, 422);
        assert.equal(error.error, "validation_error", label);
        assert.deepEqual(Object.keys(error.fields).sort(), [...fields].sort(), `${label}: ${JSON.stringify(error)}`);
        if (label === "a cycle") assert.match(error.fields.graph, /cycles \(ocr → age → gate → ocr\)/);
      }
      const noName = expectStatus(await post(WORKFLOWS, { graph: customGraph() }), 422);
      assert.deepEqual(Object.keys(noName.fields), ["name"]);
      assert.deepEqual(await counts(world), before);
    });

    await t.step("dry validation returns {valid, errors} and stores nothing", async () => {
      const before = await counts(world);
      const ok = expectStatus(await post(`${WORKFLOWS}/validate`, { graph: customGraph() }), 200);
      assert.equal(ok.valid, true);
      assert.deepEqual(ok.errors, {});
      const bad = expectStatus(await post(`${WORKFLOWS}/validate`, { graph: without(customGraph(), "begin") }), 200);
      assert.equal(bad.valid, false);
      assert.deepEqual(Object.keys(bad.errors).sort(), ["graph.entry", "graph.nodes"]);
      expectStatus(await post(`${WORKFLOWS}/validate`, { graph: customGraph(), name: "x" }), 422);
      // Error paths are field paths, under any Key-Inflection.
      const camel = await call(world, "POST", `${WORKFLOWS}/validate`, {
        key,
        body: { graph: withNodes({ ocr: { type: "policy", policy: "document_ocr", on_pass: "age" } }) },
        headers: { "Key-Inflection": "camel" },
      });
      assert.deepEqual(Object.keys(expectStatus(camel, 200).errors), ["graph.nodes.ocr.on_fail"]);
      assert.deepEqual(await counts(world), before);
    });

    await t.step("legacy steps map onto a linear graph; routing beyond a line is refused", async () => {
      const steps = [
        { policy: "document_ocr" },
        { policy: "age_verification", options: { minimum_age: 21 } },
        { policy: "duplicate_detection", on_fail: "review" },
      ];
      const wf = expectStatus(await post(WORKFLOWS, { name: "Steps", steps }), 201);
      assert.equal(wf.format, "steps");
      assert.deepEqual(wf.steps, steps);
      assert.equal(wf.step_count, 3);
      assert.equal(wf.data_requirements.selfie, false);
      assert.deepEqual(wf.graph.nodes.start, { type: "start", next: "step_1" });
      assert.deepEqual(wf.graph.nodes.step_2, {
        type: "policy",
        policy: "age_verification",
        options: { minimum_age: 21 },
        on_pass: "step_3",
        on_fail: "rejected",
        on_error: "needs_review",
      });
      assert.equal(wf.graph.nodes.step_3.on_fail, "needs_review");
      assert.equal(wf.graph.nodes.step_3.on_pass, "approved");
      const jump = expectStatus(
        await post(WORKFLOWS, { name: "Jump", steps: [{ policy: "document_ocr", on_fail: "step_3" }] }),
        422,
      );
      assert.match(jump.fields["steps.0.on_fail"], /send graph instead/);
      const unknown = expectStatus(await post(WORKFLOWS, { name: "Bad", steps: [{ check: "document_ocr" }] }), 422);
      assert.deepEqual(Object.keys(unknown.fields).sort(), ["steps.0.check", "steps.0.policy"]);
    });

    await t.step("create from a template; camelCase keys; graphs keep their own casing in responses", async () => {
      const wf = expectStatus(
        await call(world, "POST", WORKFLOWS, {
          key,
          body: { template: "age_verification", dataRequirements: { userInfoFields: ["email"] } },
          headers: { "Key-Inflection": "camel" },
        }),
        201,
      );
      const template = TEMPLATES.find((t) => t.id === "age_verification")!;
      assert.equal(wf.name, "Age Verification");
      assert.equal(wf.isDefault, false);
      // Node fields stay snake_case under Key-Inflection: camel (the graph is a document of its own).
      assert.equal(wf.graph.nodes.document_ocr.on_pass, "document_expiration");
      assert.deepEqual(wf.graph, template.graph);
      assert.deepEqual(wf.dataRequirements.userInfoFields, ["email"]);
      assert.equal(wf.dataRequirements.selfie, false);
    });

    await t.step("patch writes version 2; v1 stays as it was; resending the same content writes nothing", async () => {
      const v1 = expectStatus(await get(`${WORKFLOWS}/${created.id}/versions/1`), 200);
      const graph = withNodes({
        ocr: { type: "policy", policy: "document_ocr", on_pass: "liveness", on_fail: "reject", on_error: "review" },
        liveness: {
          type: "policy",
          policy: "liveness",
          options: { min_score: 0.7 },
          on_pass: "age",
          on_fail: "review",
        },
      });
      const res = await patch(`${WORKFLOWS}/${created.id}`, {
        name: "Age 21 with liveness",
        graph,
        data_requirements: { selfie: true },
      });
      const updated = expectStatus(res, 200);
      assert.equal(updated.version, 2);
      assert.equal(updated.previous_version, 1);
      assert.equal(updated.rollout_percentage, 100);
      assert.equal(updated.name, "Age 21 with liveness");
      assert.deepEqual(updated.graph, graph);
      assert.equal(updated.step_count, 2);
      // Data requirements merge: the user-info fields of version 1 are kept.
      assert.deepEqual(updated.data_requirements.user_info_fields, ["first_name", "last_name"]);
      assert.equal(updated.data_requirements.selfie, true);

      const versions = expectStatus(await get(`${WORKFLOWS}/${created.id}/versions`), 200);
      assert.equal(versions.pagination.total, 2);
      assert.deepEqual(versions.data.map((v: Body) => [v.version, v.is_current, v.traffic_percentage]), [
        [2, true, 100],
        [1, false, 0],
      ]);
      // The snapshot is unchanged; only whether it is current (and its traffic) moved.
      const snapshotOf = ({ is_current: _c, traffic_percentage: _t, ...rest }: Body) => rest;
      assert.deepEqual(snapshotOf(versions.data[1]), snapshotOf(v1));
      assert.equal(v1.name, "Age 21 with gate");
      assert.deepEqual(v1.graph, customGraph());
      assert.equal(v1.data_requirements.selfie, false);

      const again = expectStatus(
        await patch(`${WORKFLOWS}/${created.id}`, { graph, name: "Age 21 with liveness" }),
        200,
      );
      assert.equal(again.version, 2);
      const described = expectStatus(
        await patch(`${WORKFLOWS}/${created.id}`, { description: "now with liveness" }),
        200,
      );
      assert.equal(described.version, 3);
      assert.deepEqual(described.graph, graph);

      const invalid = expectStatus(await patch(`${WORKFLOWS}/${created.id}`, { graph: without(graph, "begin") }), 422);
      assert.ok(invalid.fields["graph.nodes"]);
      const unsupported = expectStatus(await patch(`${WORKFLOWS}/${created.id}`, { is_active: true }), 422);
      assert.deepEqual(Object.keys(unsupported.fields), ["is_active"]);
      assert.equal(expectStatus(await get(`${WORKFLOWS}/${created.id}`), 200).version, 3);
      expectStatus(await get(`${WORKFLOWS}/${created.id}/versions/9`), 404);
      expectStatus(await get(`${WORKFLOWS}/${created.id}/versions/zero`), 400);
    });

    await t.step("versions are immutable in the database too", async () => {
      await assert.rejects(
        world.db.updateTable("workflow_versions").set({ name: "tampered" }).where("workflow_id", "=", created.id)
          .execute(),
        /immutable/,
      );
    });

    await t.step("rollout 25%: a quarter of sessions get the new version, each always the same one", async () => {
      const base = expectStatus(
        await post(WORKFLOWS, { name: "Canary", template: "document_scan_only" }),
        201,
      );
      const refused = expectStatus(await patch(`${WORKFLOWS}/${base.id}`, { rollout_percentage: 25 }), 422);
      assert.match(refused.fields.rollout_percentage, /previous version/);
      expectStatus(await patch(`${WORKFLOWS}/${base.id}`, { rollout_percentage: 101 }), 422);
      expectStatus(await patch(`${WORKFLOWS}/${base.id}`, { rollout_percentage: 12.5 }), 422);

      const graph = structuredClone(base.graph);
      graph.nodes.document_expiration.options = { grace_days: 30 };
      const canary = expectStatus(await patch(`${WORKFLOWS}/${base.id}`, { graph, rollout_percentage: 25 }), 200);
      assert.deepEqual([canary.version, canary.previous_version, canary.rollout_percentage], [2, 1, 25]);
      const versions = expectStatus(await get(`${WORKFLOWS}/${base.id}/versions`), 200);
      assert.deepEqual(versions.data.map((v: Body) => [v.version, v.traffic_percentage]), [[2, 25], [1, 75]]);

      const row = await world.db.selectFrom("workflows").selectAll().where("id", "=", base.id)
        .executeTakeFirstOrThrow();
      const ids = Array.from({ length: 400 }, (_, i) => `ses_synthetic_${String(i).padStart(4, "0")}`);
      const picks = ids.map((id) => pickVersion(row, id));
      const onNew = picks.filter((v) => v === 2).length;
      assert.ok(onNew >= 60 && onNew <= 140, `${onNew} of 400 on the new version`);
      assert.equal(picks.filter((v) => v === 1).length, 400 - onNew);
      assert.deepEqual(ids.map((id) => pickVersion({ ...row }, id)), picks, "the same session gets the same version");

      // Ramping up only moves sessions onto the new version.
      expectStatus(await patch(`${WORKFLOWS}/${base.id}`, { rollout_percentage: 50 }), 200);
      const ramped = await world.db.selectFrom("workflows").selectAll().where("id", "=", base.id)
        .executeTakeFirstOrThrow();
      const rampedPicks = ids.map((id) => pickVersion(ramped, id));
      assert.ok(picks.every((v, i) => v === 1 || rampedPicks[i] === 2));
      const onNewAt50 = rampedPicks.filter((v) => v === 2).length;
      assert.ok(onNewAt50 > onNew && onNewAt50 >= 150 && onNewAt50 <= 250, `${onNewAt50} of 400 at 50%`);

      // 0 rolls everyone back; a further edit falls back to version 1, the last fully rolled-out one.
      expectStatus(await patch(`${WORKFLOWS}/${base.id}`, { rollout_percentage: 0 }), 200);
      const rolledBack = await world.db.selectFrom("workflows").selectAll().where("id", "=", base.id)
        .executeTakeFirstOrThrow();
      assert.ok(ids.every((id) => pickVersion(rolledBack, id) === 1));
      graph.nodes.document_expiration.options = { grace_days: 7 };
      const v3 = expectStatus(await patch(`${WORKFLOWS}/${base.id}`, { graph, rollout_percentage: 10 }), 200);
      assert.deepEqual([v3.version, v3.previous_version, v3.rollout_percentage], [3, 1, 10]);
      const full = expectStatus(await patch(`${WORKFLOWS}/${base.id}`, { rollout_percentage: 100 }), 200);
      assert.deepEqual([full.version, full.previous_version, full.rollout_percentage], [3, 1, 100]);
      const v4 = expectStatus(
        await patch(`${WORKFLOWS}/${base.id}`, { name: "Canary 4", rollout_percentage: 50 }),
        200,
      );
      assert.deepEqual([v4.version, v4.previous_version], [4, 3]);
    });

    await t.step("capture asks for what the session's version needs during a canary", async () => {
      const wf = expectStatus(await post(WORKFLOWS, { name: "Selfie canary", template: "document_scan_only" }), 201);
      assert.equal(wf.data_requirements.selfie, false);
      expectStatus(
        await patch(`${WORKFLOWS}/${wf.id}`, {
          graph: DEFAULT_GRAPH,
          data_requirements: { selfie: true },
          rollout_percentage: 50,
        }),
        200,
      );
      const row = await world.db.selectFrom("workflows").selectAll().where("id", "=", wf.id).executeTakeFirstOrThrow();
      const seen = new Set<boolean>();
      for (let i = 0; i < 20; i++) {
        const session = await createSession(world, key, { workflow_id: wf.id });
        const state = expectStatus(await capture(world, tokenOf(session), "GET", "state"), 200);
        const expected = pickVersion(row, session.id) === 2;
        assert.equal(state.selfie_required, expected);
        seen.add(expected);
        assert.equal((await sessionRow(world, session.id)).workflow_version, null);
      }
      assert.equal(seen.size, 2, "twenty sessions at 50% should land on both versions");
    });

    await t.step("set-default moves the default; new sessions run it", async () => {
      const moved = expectStatus(await post(`${WORKFLOWS}/${created.id}/set-default`), 200);
      assert.equal(moved.is_default, true);
      const old = expectStatus(await get(`${WORKFLOWS}/${defaultId}`), 200);
      assert.equal(old.is_default, false);
      const list = expectStatus(await get(`${WORKFLOWS}?limit=100`), 200);
      assert.deepEqual(list.data.filter((w: Body) => w.is_default).map((w: Body) => w.id), [created.id]);
      const session = await createSession(world, key, {});
      assert.equal((await sessionRow(world, session.id)).workflow_id, created.id);
      expectStatus(await post(`${WORKFLOWS}/${created.id}/set-default`), 200);
      // Creating with is_default moves it too, and PATCH is_default: false on the default is refused.
      const other = expectStatus(
        await post(WORKFLOWS, { name: "New default", template: "blank", is_default: true }),
        201,
      );
      assert.equal(other.is_default, true);
      assert.equal(expectStatus(await get(`${WORKFLOWS}/${created.id}`), 200).is_default, false);
      expectStatus(await patch(`${WORKFLOWS}/${other.id}`, { is_default: false }), 409);
      const back = expectStatus(await patch(`${WORKFLOWS}/${defaultId}`, { is_default: true }), 200);
      assert.equal(back.is_default, true);
      assert.equal(back.version, 1);
      const defaults = await world.db.selectFrom("workflows").select("id").where("org_id", "=", world.org.org_id)
        .where("environment", "=", "sandbox").where("is_default", "=", true).execute();
      assert.deepEqual(defaults.map((d) => d.id), [defaultId]);
    });

    await t.step("deactivate: never the default; a deactivated workflow cannot be named by new sessions", async () => {
      const refused = expectStatus(await post(`${WORKFLOWS}/${defaultId}/deactivate`), 409);
      assert.equal(refused.error, "conflict");
      const session = await createSession(world, key, { workflow_id: created.id });
      const off = expectStatus(await post(`${WORKFLOWS}/${created.id}/deactivate`), 200);
      assert.equal(off.is_active, false);
      expectStatus(await post(`${WORKFLOWS}/${created.id}/deactivate`), 200);
      const named = expectStatus(await post("/api/v1/sessions", { workflow_id: created.id }), 422);
      assert.ok(named.fields.workflow_id);
      // A session that already runs it keeps its capture requirements.
      const state = expectStatus(await capture(world, tokenOf(session), "GET", "state"), 200);
      assert.equal(state.selfie_required, true);
      const setDefault = expectStatus(await post(`${WORKFLOWS}/${created.id}/set-default`), 409);
      assert.match(setDefault.detail, /deactivated/);
      const active = expectStatus(await get(`${WORKFLOWS}?is_active=false`), 200);
      assert.deepEqual(active.data.map((w: Body) => w.id), [created.id]);
      expectStatus(await get(`${WORKFLOWS}?is_active=maybe`), 400);
      assert.equal(expectStatus(await get(`${WORKFLOWS}/${created.id}`), 200).is_active, false);
    });

    await t.step("sessions can name an active workflow made through the API", async () => {
      const wf = expectStatus(
        await post(WORKFLOWS, { name: "For sessions", template: "id_selfie_duplicate_prevention" }),
        201,
      );
      const session = await createSession(world, key, { workflow_id: wf.id });
      assert.equal(session.workflow_id, wf.id);
    });

    await t.step("scopes: reads need workflows:read, changes workflows:write", async () => {
      const defaultKey = await mintKey(world, key);
      for (
        const path of [
          WORKFLOWS,
          `${WORKFLOWS}/${defaultId}`,
          `${WORKFLOWS}/templates`,
          "/api/v1/verification-policies",
        ]
      ) {
        const res = expectStatus(await get(path, defaultKey), 403);
        assert.equal(res.error, "insufficient_scope");
      }
      const reader = await mintKey(world, key, ["workflows:read"]);
      expectStatus(await get(`${WORKFLOWS}/${defaultId}`, reader), 200);
      expectStatus(await post(`${WORKFLOWS}/validate`, { graph: customGraph() }, reader), 200);
      expectStatus(await post(WORKFLOWS, { name: "x", template: "blank" }, reader), 403);
      expectStatus(await patch(`${WORKFLOWS}/${defaultId}`, { name: "x" }, reader), 403);
      expectStatus(await post(`${WORKFLOWS}/${defaultId}/set-default`, undefined, reader), 403);
      const writer = await mintKey(world, key, ["workflows:write"]);
      expectStatus(await get(WORKFLOWS, writer), 200);
    });

    await t.step("tenant scoping: the other environment and the other org see 404", async () => {
      const other = await world.provisionOrg("other-org");
      const outsiders = [world.org.live_secret_key, other.sandbox_secret_key];
      for (const outsider of outsiders) {
        for (
          const [method, path, body] of [
            ["GET", `${WORKFLOWS}/${defaultId}`],
            ["PATCH", `${WORKFLOWS}/${defaultId}`, { name: "hijack" }],
            ["GET", `${WORKFLOWS}/${defaultId}/versions`],
            ["GET", `${WORKFLOWS}/${defaultId}/versions/1`],
            ["POST", `${WORKFLOWS}/${defaultId}/set-default`],
            ["POST", `${WORKFLOWS}/${created.id}/deactivate`],
          ] as [string, string, unknown?][]
        ) {
          const res = await call(world, method, path, { key: outsider, body });
          assert.equal(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
          assert.equal(res.body.error, "not_found");
        }
        const list = expectStatus(await get(WORKFLOWS, outsider), 200);
        assert.equal(list.pagination.total, 1);
        assert.notEqual(list.data[0].id, defaultId);
        const named = expectStatus(await post("/api/v1/sessions", { workflow_id: defaultId }, outsider), 422);
        assert.ok(named.fields.workflow_id);
      }
      assert.equal(expectStatus(await get(`${WORKFLOWS}/${defaultId}`), 200).name, "ID & Selfie + Age Verification");
      // The other org's default is its own, in each environment.
      const live = expectStatus(await get(WORKFLOWS, other.live_secret_key), 200);
      assert.equal(live.data[0].is_default, true);
      assert.notEqual(live.data[0].id, expectStatus(await get(WORKFLOWS, other.sandbox_secret_key), 200).data[0].id);
    });

    await t.step("pagination", async () => {
      const page = expectStatus(await get(`${WORKFLOWS}?limit=2&offset=1`), 200);
      assert.equal(page.data.length, 2);
      assert.deepEqual(page.pagination.limit, 2);
      assert.deepEqual(page.pagination.offset, 1);
      assert.ok(page.pagination.total >= 6);
      expectStatus(await get(`${WORKFLOWS}?limit=0`), 400);
    });
  } finally {
    await world.close();
  }
});
