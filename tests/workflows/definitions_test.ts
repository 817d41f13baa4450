/**
 * Owns the tests of workflow definitions below the API: every template and the default graph
 * validate, the migration's default graph is the application's, the migration backfills version 1
 * for workflows that existed before it, the canary choice, and the legacy steps mapping.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { DEFAULT_GRAPH, TEMPLATES } from "../../core/workflows/templates.ts";
import { requirementsAgreeWithGraph, stepsToGraph, validateWorkflowGraph } from "../../core/workflows/definition.ts";
import { POLICY_NAMES, resolvedOptions, validatePolicyOptions } from "../../core/workflows/policies.ts";
import { pickVersion, trafficPercentage } from "../../core/workflows/rollout.ts";
import { validateGraph, walkGraph } from "../../core/workflows/graph.ts";
import { createTestDatabase } from "../helpers/test_app.ts";
import * as foundation from "../../migrations/20261122T0001_foundation.ts";
import * as capture from "../../migrations/20261122T0002_capture_documents.ts";
import * as webhooks from "../../migrations/20261122T0003_webhooks.ts";
import * as versions from "../../migrations/20261122T0004_workflow_versions.ts";

Deno.test("workflow templates and the default graph", async (t) => {
  await t.step("every template is a valid graph whose data requirements fit its checks", () => {
    for (const template of TEMPLATES) {
      assert.deepEqual(validateWorkflowGraph(template.graph), {}, template.id);
      assert.deepEqual(validateGraph(template.graph, POLICY_NAMES), {}, template.id);
      assert.deepEqual(requirementsAgreeWithGraph(template.data_requirements, template.graph), {}, template.id);
    }
  });
  await t.step("the migration's backfilled graph is the application's default graph", () => {
    assert.deepEqual(versions.DEFAULT_GRAPH_V1, DEFAULT_GRAPH);
  });
  await t.step(
    "the default graph routes: all pass and low risk approve; high risk reviews; failures reject",
    async () => {
      const run = (failing: string | null, risk: string) =>
        walkGraph(
          DEFAULT_GRAPH,
          { checks: { risk_assessment: { risk_level: risk } } },
          (policy) => Promise.resolve(policy === failing ? "failed" : "passed"),
        );
      const outcome = async (failing: string | null, risk = "low") => {
        const { end } = await run(failing, risk);
        return end.kind === "terminal" ? end.outcome : "paused";
      };
      assert.equal(await outcome(null), "approved");
      assert.equal(await outcome(null, "medium"), "approved");
      assert.equal(await outcome(null, "high"), "needs_review");
      assert.equal(await outcome(null, "critical"), "rejected");
      for (
        const check of ["document_quality", "document_ocr", "document_expiration", "face_match", "age_verification"]
      ) {
        assert.equal(await outcome(check), "rejected", check);
      }
      const errored = await walkGraph(DEFAULT_GRAPH, {}, () => Promise.resolve("error"));
      assert.equal(errored.end.kind === "terminal" && errored.end.outcome, "needs_review");
    },
  );
  await t.step("the README's example graph is valid", async () => {
    const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
    const section = readme.slice(readme.indexOf("**Workflows.**"));
    const example = /```json\n([\s\S]*?)\n```/.exec(section);
    assert.ok(example, "the Workflows paragraph has a JSON example");
    assert.deepEqual(validateWorkflowGraph(JSON.parse(example[1])), {});
  });
  await t.step("options: defaults fill in, values are checked", () => {
    assert.deepEqual(resolvedOptions("face_match", {}), { security_level: "standard", require_liveness: false });
    assert.deepEqual(resolvedOptions("age_verification", { minimum_age: 21 }), { minimum_age: 21 });
    assert.deepEqual(validatePolicyOptions("check_against_list", undefined), {});
    assert.deepEqual(validatePolicyOptions("check_against_list", { list_ids: ["list_banned"] }), {});
    assert.match(validatePolicyOptions("id_document_filter", { allowed: { us: ["passport"] } }).allowed, /country/);
    assert.deepEqual(validatePolicyOptions("id_document_filter", { allowed: { US: ["passport"], "*": [] } }), {});
  });
});

Deno.test("legacy steps become a linear graph that validates", () => {
  const { graph, errors } = stepsToGraph([{ policy: "document_ocr" }, { policy: "face_match", on_fail: "review" }]);
  assert.deepEqual(errors, {});
  assert.deepEqual(validateWorkflowGraph(graph), {});
  assert.deepEqual(Object.keys(graph!.nodes).sort(), [
    "approved",
    "needs_review",
    "rejected",
    "start",
    "step_1",
    "step_2",
  ]);
  assert.match(stepsToGraph([]).errors.steps, /non-empty/);
});

Deno.test("the canary choice", async (t) => {
  const workflow = { id: "wfl_canary", version: 5, rollout_percentage: 25, previous_version: 3 };
  const ids = Array.from({ length: 2000 }, (_, i) => `ses_${i}`);
  await t.step("about rollout_percentage of sessions get the current version, deterministically", () => {
    const onCurrent = ids.filter((id) => pickVersion(workflow, id) === 5).length;
    assert.ok(onCurrent > 400 && onCurrent < 600, `${onCurrent} of 2000`);
    assert.ok(ids.every((id) => [3, 5].includes(pickVersion(workflow, id))));
    assert.deepEqual(ids.map((id) => pickVersion(workflow, id)), ids.map((id) => pickVersion({ ...workflow }, id)));
  });
  await t.step("edges: 100 %, 0 %, and no previous version", () => {
    assert.ok(ids.every((id) => pickVersion({ ...workflow, rollout_percentage: 100 }, id) === 5));
    assert.ok(ids.every((id) => pickVersion({ ...workflow, rollout_percentage: 0 }, id) === 3));
    assert.ok(
      ids.every((id) => pickVersion({ ...workflow, previous_version: null, rollout_percentage: 10 }, id) === 5),
    );
    assert.deepEqual([trafficPercentage(workflow, 5), trafficPercentage(workflow, 3), trafficPercentage(workflow, 4)], [
      25,
      75,
      0,
    ]);
  });
});

Deno.test("the workflow-versions migration backfills version 1", async () => {
  const database = await createTestDatabase({ migrate: false, poolSize: 2 });
  const db = database.db;
  try {
    // deno-lint-ignore no-explicit-any
    const raw = db as any;
    await foundation.up(raw);
    await sql`INSERT INTO organizations (id, name, slug) VALUES ('org_old', 'Old', 'old')`.execute(db);
    // 0002 gives the existing org its two defaults (without a graph); add one with a graph of its own.
    await capture.up(raw);
    await webhooks.up(raw);
    const own = {
      entry: "s",
      nodes: { s: { type: "start", next: "t" }, t: { type: "terminal", outcome: "approved" } },
    };
    await sql`INSERT INTO workflows (id, org_id, environment, name, data_requirements, graph)
      VALUES ('wfl_own', 'org_old', 'sandbox', 'Own', '{}'::jsonb, ${JSON.stringify(own)}::jsonb)`.execute(db);
    await versions.up(raw);

    const rows = await db.selectFrom("workflow_versions").selectAll().orderBy("workflow_id").execute();
    assert.equal(rows.length, 3);
    for (const row of rows) {
      assert.equal(row.version, 1);
      assert.equal(row.format, "graph");
      assert.equal(row.org_id, "org_old");
      assert.deepEqual(row.graph, row.workflow_id === "wfl_own" ? own : DEFAULT_GRAPH);
    }
    const workflows = await db.selectFrom("workflows").selectAll().execute();
    assert.ok(workflows.every((w) => w.graph !== null && w.rollout_percentage === 100 && w.previous_version === null));
    await sql`SELECT workflow_version FROM sessions LIMIT 0`.execute(db);

    // down undoes it and up applies again.
    await versions.down(raw);
    await versions.up(raw);
    assert.equal((await db.selectFrom("workflow_versions").selectAll().execute()).length, 3);
  } finally {
    await database.drop();
  }
});
