import assert from "node:assert/strict";
import { createTestWorld } from "../helpers/test_app.ts";
import { type DashboardClient, signIn } from "../helpers/dashboard_pages.ts";
import { edgesOf } from "../../core/workflows/graph.ts";
import { DEFAULT_GRAPH } from "../../core/workflows/templates.ts";
import { createWorkflow } from "../../core/workflows/service.ts";

Deno.test("dashboard workflows pages", async (t) => {
  const world = await createTestWorld();
  try {
    const admin: DashboardClient = await signIn(world, world.org.org_id, "admin");
    const viewer: DashboardClient = await signIn(world, world.org.org_id, "viewer");
    const other = await world.provisionOrg("other-org");
    const outsider: DashboardClient = await signIn(world, other.org_id, "admin");
    const defaultWorkflow = await world.db.selectFrom("workflows").selectAll()
      .where("org_id", "=", world.org.org_id).where("environment", "=", "sandbox").where("is_default", "=", true)
      .executeTakeFirstOrThrow();
    const id = defaultWorkflow.id;
    const definition = () =>
      structuredClone({ graph: DEFAULT_GRAPH, data_requirements: defaultWorkflow.data_requirements });

    await t.step("the list shows version, default, active and rollout", async () => {
      const page = await viewer.page("/dashboard/workflows");
      assert.equal(page.status, 200);
      assert.match(page.html, new RegExp(`data-workflow-id="${id}"`));
      assert.match(page.html, />v1</);
      assert.match(page.html, />Default</);
      assert.match(page.html, />Active</);
      assert.match(page.html, /100% on v1/);
    });

    await t.step("the diagram draws every node and every edge of the default graph", async () => {
      const page = await viewer.page(`/dashboard/workflows/${id}`);
      assert.equal(page.status, 200);
      assert.match(page.html, /<svg class="workflow-diagram"/);
      for (const [nodeId, node] of Object.entries(DEFAULT_GRAPH.nodes)) {
        assert.ok(page.html.includes(`data-node-id="${nodeId}" data-node-type="${node.type}"`), `node ${nodeId}`);
        for (const [field, to] of edgesOf(node)) {
          assert.ok(
            page.html.includes(`data-from="${nodeId}" data-to="${to}" data-field="${field}"`),
            `edge ${nodeId}.${field} → ${to}`,
          );
        }
      }
      const edges = Object.values(DEFAULT_GRAPH.nodes).reduce((n, node) => n + edgesOf(node).length, 0);
      assert.equal(page.html.match(/class="diagram-edge"/g)?.length, edges);
      assert.equal(page.html.match(/class="diagram-node"/g)?.length, Object.keys(DEFAULT_GRAPH.nodes).length);
      for (const label of ["on_pass", "on_fail", "on_error", "risk_level == critical", "default"]) {
        assert.ok(page.html.includes(`>${label}</text>`), `arrow label ${label}`);
      }
      // The editor holds the graph and data requirements; a viewer sees no Save button.
      assert.match(page.html, /<textarea id="definition" name="definition"/);
      assert.ok(!page.html.includes('data-action="save-version"'));
    });

    await t.step("Validate shows core's field errors next to the editor", async () => {
      const broken = definition();
      (broken.graph.nodes.face_match as { on_pass: string }).on_pass = "nowhere";
      (broken.graph.nodes.age_verification as { options: Record<string, unknown> }).options = { minimum_age: "x" };
      broken.data_requirements = { ...broken.data_requirements, selfie: "yes" as unknown as boolean };
      const page = await viewer.post(`/dashboard/workflows/${id}/validate`, {
        definition: JSON.stringify(broken),
      });
      assert.equal(page.status, 422);
      assert.match(page.html, /data-field="graph.nodes.face_match.on_pass"/);
      assert.match(page.html, /references unknown node &quot;nowhere&quot;/);
      assert.match(page.html, /data-field="data_requirements.selfie"/);
      // What was typed stays in the editor.
      assert.match(page.html, /nowhere/);

      const notJson = await viewer.post(`/dashboard/workflows/${id}/validate`, { definition: "{ graph: " });
      assert.equal(notJson.status, 422);
      assert.match(notJson.html, /data-field="definition"/);
      assert.match(notJson.html, /is not valid JSON/);

      const unknownKey = await viewer.post(`/dashboard/workflows/${id}/validate`, {
        definition: JSON.stringify({ ...definition(), name: "x" }),
      });
      assert.equal(unknownKey.status, 422);
      assert.match(unknownKey.html, /data-field="name"/);

      const ok = await viewer.post(`/dashboard/workflows/${id}/validate`, { definition: JSON.stringify(definition()) });
      assert.equal(ok.status, 200);
      assert.match(ok.html, /Valid: 6 checks/);
    });

    await t.step("a viewer gets 403 on every change", async () => {
      const second = await createWorkflow(world.deps, { orgId: world.org.org_id, environment: "sandbox" }, {
        template: "age_verification",
      });
      for (
        const [path, form] of [
          [`/dashboard/workflows/${id}/versions`, { definition: JSON.stringify(definition()) }],
          [`/dashboard/workflows/${second.row.id}/set-default`, {}],
          [`/dashboard/workflows/${second.row.id}/deactivate`, {}],
        ] as const
      ) {
        const response = await viewer.post(path, form);
        assert.equal(response.status, 403, path);
      }
      const row = await world.db.selectFrom("workflows").select(["version", "is_default", "is_active"])
        .where("id", "=", second.row.id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { version: 1, is_default: false, is_active: true });
    });

    await t.step("Save as new version writes version 2 through core", async () => {
      const changed = definition();
      (changed.graph.nodes.age_verification as { options: Record<string, unknown> }).options = { minimum_age: 21 };
      const saved = await admin.post(`/dashboard/workflows/${id}/versions`, {
        definition: JSON.stringify(changed),
        rollout_percentage: "100",
      });
      assert.equal(saved.status, 303);
      assert.equal(saved.location, `/dashboard/workflows/${id}?notice=saved`);
      const row = await world.db.selectFrom("workflows").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      assert.equal(row.version, 2);
      assert.equal(row.previous_version, 1);
      const versions = await world.db.selectFrom("workflow_versions").select("version").where("workflow_id", "=", id)
        .orderBy("version").execute();
      assert.deepEqual(versions.map((v) => v.version), [1, 2]);

      const page = await admin.page(saved.location!);
      assert.match(page.html, /Saved as a new version/);
      assert.match(page.html, /data-version="2"/);
      assert.match(page.html, /data-version="1"/);
      assert.match(page.html, /minimum_age: 21/);

      // The old version is still viewable, and resending the current one writes nothing.
      const old = await admin.page(`/dashboard/workflows/${id}?version=1`);
      assert.match(old.html, /Graph \(version 1\)/);
      assert.match(old.html, /minimum_age: 18/);
      const same = await admin.post(`/dashboard/workflows/${id}/versions`, { definition: JSON.stringify(changed) });
      assert.equal(same.location, `/dashboard/workflows/${id}?notice=unchanged`);
    });

    await t.step("Save refuses an invalid graph with field errors and writes nothing", async () => {
      const broken = definition();
      delete (broken.graph.nodes as Record<string, unknown>).approved;
      const page = await admin.post(`/dashboard/workflows/${id}/versions`, { definition: JSON.stringify(broken) });
      assert.equal(page.status, 422);
      assert.match(page.html, /data-field="graph.nodes.risk_level.default"/);
      const row = await world.db.selectFrom("workflows").select("version").where("id", "=", id)
        .executeTakeFirstOrThrow();
      assert.equal(row.version, 2);
    });

    await t.step("set default and deactivate (admin); the default cannot be deactivated", async () => {
      const refused = await admin.post(`/dashboard/workflows/${id}/deactivate`, {});
      assert.equal(refused.status, 409);
      assert.match(refused.html, /default workflow cannot be deactivated/);

      const second = await createWorkflow(world.deps, { orgId: world.org.org_id, environment: "sandbox" }, {
        template: "document_scan_only",
      });
      const made = await admin.post(`/dashboard/workflows/${second.row.id}/set-default`, {});
      assert.equal(made.status, 303);
      const deactivated = await admin.post(`/dashboard/workflows/${id}/deactivate`, {});
      assert.equal(deactivated.status, 303);
      const rows = await world.db.selectFrom("workflows").select(["id", "is_default", "is_active"])
        .where("id", "in", [id, second.row.id]).execute();
      assert.deepEqual(new Map(rows.map((r) => [r.id, [r.is_default, r.is_active]])).get(id), [false, false]);
      assert.deepEqual(new Map(rows.map((r) => [r.id, [r.is_default, r.is_active]])).get(second.row.id), [true, true]);
    });

    await t.step("another organisation's workflow is a 404 everywhere", async () => {
      assert.equal((await outsider.page(`/dashboard/workflows/${id}`)).status, 404);
      assert.equal((await outsider.post(`/dashboard/workflows/${id}/validate`, { definition: "{}" })).status, 404);
      const save = await outsider.post(`/dashboard/workflows/${id}/versions`, {
        definition: JSON.stringify(definition()),
      });
      assert.equal(save.status, 404);
      assert.equal((await outsider.post(`/dashboard/workflows/${id}/set-default`, {})).status, 404);
      const list = await outsider.page("/dashboard/workflows");
      assert.ok(!list.html.includes(id));
    });
  } finally {
    await world.close();
  }
});
