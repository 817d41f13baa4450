/**
 * Owns the Kubernetes contract: deploy/kubernetes/ must agree with the app. Every manifest parses
 * and is applied by the kustomization; the workloads run the project's image with compose's
 * commands; their probes name paths the app answers (asked of the real app and the real metrics
 * listener) on the ports its variables open; every variable is one core/config.ts reads and the
 * assembled environment passes parseConfig; secrets are referenced from generated Secrets, never
 * inlined, and the committed templates hold placeholders only; egress is denied by default and
 * allowed only where each workload needs it; the worker's KEDA query runs on the real pg-boss
 * schema, with the documented read-only grants, and agrees with the verifa_queue_jobs gauge.
 * No cluster runs in CI, so the manifests are read, not applied.
 */
import assert from "node:assert/strict";
import { parse, parseAllDocuments } from "yaml";
import { sql } from "kysely";
import pg from "pg";
import { PgBoss } from "pg-boss";
import { CONFIG_VARIABLES, ConfigError, parseConfig } from "../../core/config.ts";
import { generateKeyMaterial } from "../../core/embedded/dev_secrets.ts";
import { randomString } from "../../core/ids.ts";
import { startObservability } from "../../core/observability/ops_server.ts";
import { ALL_QUEUES } from "../../worker/jobs/registry.ts";
import { createTestWorld } from "../helpers/test_app.ts";
import { freePort } from "../helpers/subprocess.ts";
import { parseDotenv } from "../helpers/dotenv.ts";

// deno-lint-ignore no-explicit-any
type Doc = Record<string, any>;

const ROOT = new URL("../../", import.meta.url);
const DIR = new URL("deploy/kubernetes/", ROOT);

/** The kinds the manifests use, each with the API version a current cluster serves it under. */
const API_VERSIONS: Record<string, string> = {
  Namespace: "v1",
  ConfigMap: "v1",
  Service: "v1",
  Deployment: "apps/v1",
  Job: "batch/v1",
  HorizontalPodAutoscaler: "autoscaling/v2",
  PodDisruptionBudget: "policy/v1",
  NetworkPolicy: "networking.k8s.io/v1",
  ScaledObject: "keda.sh/v1alpha1",
  TriggerAuthentication: "keda.sh/v1alpha1",
};

/** Variables that carry credentials: only ever from a Secret. */
const SECRET_VARIABLES = [
  "DATABASE_URL",
  "VERIFA_ENCRYPTION_KEYS",
  "VERIFA_INDEX_KEY",
  "VERIFA_SIGNING_KEYS",
  "VERIFA_S3_ACCESS_KEY",
  "VERIFA_S3_SECRET_KEY",
  "VERIFA_SMTP_URL",
];

/** Each workload's component label → the entry file compose's service of the same role runs. */
const ENTRY = { api: "api/main.ts", worker: "worker/main.ts", migrate: "scripts/migrate.ts" } as const;

async function readManifests(): Promise<{ file: string; doc: Doc }[]> {
  const manifests: { file: string; doc: Doc }[] = [];
  for await (const entry of Deno.readDir(DIR)) {
    if (!entry.isFile || !entry.name.endsWith(".yaml") || entry.name === "kustomization.yaml") continue;
    for (const document of parseAllDocuments(await Deno.readTextFile(new URL(entry.name, DIR)))) {
      assert.deepEqual(document.errors, [], `${entry.name}: ${document.errors.join("; ")}`);
      const doc = document.toJS();
      if (doc !== null) manifests.push({ file: entry.name, doc });
    }
  }
  return manifests.sort((a, b) => a.file.localeCompare(b.file));
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** An egress rule as one line: where to, on which ports. */
function describeRule(rule: Doc): string {
  const to = (rule.to ?? [{ anywhere: true }]).map((peer: Doc) => {
    if (peer.anywhere) return "anywhere";
    if (peer.ipBlock) return `ip ${peer.ipBlock.cidr} except ${(peer.ipBlock.except ?? []).join(" ")}`;
    const ns = peer.namespaceSelector ? JSON.stringify(peer.namespaceSelector.matchLabels ?? "any") : "same";
    return `pods ${JSON.stringify(peer.podSelector?.matchLabels ?? {})} in ${ns}`;
  }).join(" | ");
  const ports = (rule.ports ?? []).map((p: Doc) => `${p.protocol}/${p.port}`).join(",") || "any port";
  return `${to} on ${ports}`;
}

Deno.test("deploy/kubernetes agrees with the app", async (t) => {
  const manifests = await readManifests();
  const docs = manifests.map((m) => m.doc);
  const kustomization = parse(await Deno.readTextFile(new URL("kustomization.yaml", DIR)));
  const version = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))).version as string;
  const ofKind = (kind: string) => docs.filter((d) => d.kind === kind);
  const named = (kind: string, name: string) => {
    const found = docs.find((d) => d.kind === kind && d.metadata.name === name);
    assert.ok(found, `no ${kind} ${name}`);
    return found;
  };
  const workloads = [...ofKind("Deployment"), ...ofKind("Job")];
  const podOf = (workload: Doc) => workload.spec.template;
  const apiPods = podOf(named("Deployment", "verifa-api")).metadata.labels;
  const workerPods = podOf(named("Deployment", "verifa-worker")).metadata.labels;
  const componentOf = (workload: Doc) => podOf(workload).metadata.labels["app.kubernetes.io/component"];
  const generated = new Map<string, Record<string, string>>();
  for (const generator of kustomization.secretGenerator ?? []) {
    assert.equal(generator.envs.length, 1, `secret ${generator.name}: one env file`);
    const template = `${generator.envs[0]}.example`;
    generated.set(generator.name, parseDotenv(await Deno.readTextFile(new URL(template, DIR)), template));
  }

  await t.step("every manifest parses, is of a known kind and API version, and the kustomization applies it", () => {
    for (const { file, doc } of manifests) {
      assert.ok(API_VERSIONS[doc.kind], `${file}: kind ${doc.kind} is not one this test knows`);
      assert.equal(doc.apiVersion, API_VERSIONS[doc.kind], `${file}: ${doc.kind} ${doc.metadata?.name}`);
      assert.match(doc.metadata?.name ?? "", /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, `${file}: metadata.name`);
    }
    const files = [...new Set(manifests.map((m) => m.file))].sort();
    assert.deepEqual([...kustomization.resources].sort(), files, "kustomization resources are every manifest");
    assert.equal(kustomization.namespace, "verifa");
    assert.equal(named("Namespace", "verifa").metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
    assert.deepEqual(workloads.map(componentOf).sort(), ["api", "migrate", "worker"]);
  });

  await t.step("workloads run the project's image at this version with compose's commands", async () => {
    const compose = parse(await Deno.readTextFile(new URL("compose.yaml", ROOT)), { merge: true });
    for (const workload of workloads) {
      const component = componentOf(workload) as keyof typeof ENTRY;
      const [container, ...others] = podOf(workload).spec.containers;
      assert.deepEqual(others, [], `${workload.metadata.name}: one container`);
      assert.deepEqual(podOf(workload).spec.initContainers ?? [], []);
      assert.equal(container.image, `verifa:${version}`, `${workload.metadata.name} image`);
      assert.deepEqual(container.command, ["deno", "run", "-A", ENTRY[component]]);
      assert.deepEqual(container.command, compose.services[component].command, `compose's ${component} command`);
      await Deno.stat(new URL(ENTRY[component], ROOT));
    }
  });

  await t.step("pods run unprivileged, as the image's deno user, under the restricted profile", () => {
    for (const workload of workloads) {
      const pod = podOf(workload).spec;
      assert.equal(pod.automountServiceAccountToken, false);
      assert.deepEqual(pod.securityContext, {
        runAsNonRoot: true,
        runAsUser: 1993,
        runAsGroup: 1993,
        seccompProfile: { type: "RuntimeDefault" },
      });
      for (const container of pod.containers) {
        assert.equal(container.securityContext.allowPrivilegeEscalation, false);
        assert.deepEqual(container.securityContext.capabilities, { drop: ["ALL"] });
        assert.ok(container.resources?.requests?.cpu && container.resources?.limits?.memory, container.name);
      }
    }
  });

  await t.step(
    "probes: liveness /livez, readiness /readyz, on the ports PORT and VERIFA_METRICS_PORT open",
    async () => {
      const world = await createTestWorld();
      const metricsPort = freePort();
      const ops = startObservability(world.deps, { port: metricsPort, hostname: "127.0.0.1" });
      try {
        for (const deployment of ofKind("Deployment")) {
          const [container] = podOf(deployment).spec.containers;
          const env = Object.fromEntries((container.env ?? []).map((e: Doc) => [e.name, e.value]));
          const ports = Object.fromEntries(container.ports.map((p: Doc) => [p.name, p.containerPort]));
          assert.equal(ports.metrics, Number(env.VERIFA_METRICS_PORT), `${deployment.metadata.name}: metrics port`);
          const annotations = podOf(deployment).metadata.annotations;
          assert.equal(annotations["prometheus.io/port"], env.VERIFA_METRICS_PORT);
          assert.equal(annotations["prometheus.io/path"], "/metrics");
          if (ports.http !== undefined) assert.equal(ports.http, Number(env.PORT ?? "8080"), "http is PORT");
          for (
            const [probe, path] of [["startupProbe", "/livez"], ["livenessProbe", "/livez"], [
              "readinessProbe",
              "/readyz",
            ]]
          ) {
            const get = container[probe]?.httpGet;
            assert.ok(get, `${deployment.metadata.name}: ${probe}`);
            assert.equal(get.path, path, `${deployment.metadata.name}: ${probe}`);
            assert.ok(get.port in ports, `${deployment.metadata.name}: ${probe} port ${get.port}`);
            // The app answers that path on that listener: the public app, or the metrics listener.
            const response = get.port === "http"
              ? await world.app.request(path)
              : await fetch(`http://127.0.0.1:${metricsPort}${path}`);
            assert.equal(
              response.status,
              200,
              `${deployment.metadata.name}: ${probe} ${path}: ${await response.text()}`,
            );
          }
        }
        // The worker has no public port: its probes are on the metrics listener.
        const worker = podOf(named("Deployment", "verifa-worker")).spec.containers[0];
        assert.deepEqual(worker.ports.map((p: Doc) => p.name), ["metrics"]);
        const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
        assert.equal(metrics.status, 200);
        assert.match(await metrics.text(), /^# HELP verifa_queue_jobs /m);
      } finally {
        await ops.stop();
        await world.close();
      }
    },
  );

  await t.step("every variable is one core/config.ts reads; secrets come from generated Secrets only", () => {
    const config = named("ConfigMap", "verifa-config").data as Record<string, string>;
    for (const name of Object.keys(config)) {
      assert.ok(name in CONFIG_VARIABLES, `verifa-config sets ${name}, which core/config.ts does not read`);
      assert.ok(!SECRET_VARIABLES.includes(name), `${name} is a secret: not in a ConfigMap`);
    }
    assert.deepEqual(ofKind("Secret"), [], "no Secret manifest: they are generated from uncommitted files");
    for (const workload of workloads) {
      const [container] = podOf(workload).spec.containers;
      for (const source of container.envFrom ?? []) {
        assert.deepEqual(source, { configMapRef: { name: "verifa-config" } }, "envFrom only the ConfigMap");
      }
      for (const variable of container.env ?? []) {
        assert.ok(variable.name in CONFIG_VARIABLES, `${workload.metadata.name} sets ${variable.name}`);
        if (!SECRET_VARIABLES.includes(variable.name)) {
          assert.equal(typeof variable.value, "string", `${variable.name}: a literal`);
          continue;
        }
        assert.equal(variable.value, undefined, `${workload.metadata.name}: ${variable.name} inlined`);
        const ref = variable.valueFrom?.secretKeyRef;
        assert.ok(ref, `${workload.metadata.name}: ${variable.name} must come from a secretKeyRef`);
        assert.ok(generated.has(ref.name), `${variable.name}: secret ${ref.name} is not generated`);
        assert.ok(ref.key in generated.get(ref.name)!, `${ref.name}.env.example has no ${ref.key}`);
        assert.equal(ref.key, variable.name);
      }
    }
    // The templates hold placeholders only, and the filled-in files are ignored by git.
    for (const [name, values] of generated) {
      for (const [key, value] of Object.entries(values)) {
        assert.ok(["change-me", ""].includes(value), `secrets/${name}.env.example: ${key} is not a placeholder`);
      }
    }
  });

  await t.step("the environment each workload gets passes parseConfig once the secrets are filled", async () => {
    const ignored = await Deno.readTextFile(new URL("secrets/.gitignore", DIR));
    assert.match(ignored, /^\*\.env$/m);
    const config = named("ConfigMap", "verifa-config").data as Record<string, string>;
    const keys = generateKeyMaterial();
    const filled: Record<string, string> = {
      ...keys,
      DATABASE_URL: "postgres://verifa:secret@postgres.verifa-data.svc:5432/verifa",
      VERIFA_S3_ACCESS_KEY: "access",
      VERIFA_S3_SECRET_KEY: "secret",
      VERIFA_SMTP_URL: "",
    };
    const envOf = (workload: Doc, secrets: (name: string, key: string) => string) => {
      const [container] = podOf(workload).spec.containers;
      const env: Record<string, string> = container.envFrom ? { ...config } : {};
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        env[variable.name] = ref ? secrets(ref.name, ref.key) : variable.value;
      }
      return env;
    };
    const api = parseConfig(envOf(named("Deployment", "verifa-api"), (_, key) => filled[key]));
    assert.equal(api.runWorker, false);
    assert.equal(api.port, 8080);
    assert.equal(api.metricsPort, 9090);
    assert.ok(api.s3, "documents go to S3: several processes share the bucket");
    const worker = parseConfig(envOf(named("Deployment", "verifa-worker"), (_, key) => filled[key]), {
      runWorker: true,
    });
    assert.equal(worker.metricsPort, 9090);
    assert.ok(worker.s3);
    // As committed, the placeholders keep the processes from booting, naming each one.
    assert.throws(
      () => parseConfig(envOf(named("Deployment", "verifa-api"), (name, key) => generated.get(name)![key])),
      (error: unknown) =>
        error instanceof ConfigError &&
        ["DATABASE_URL", "VERIFA_ENCRYPTION_KEYS", "VERIFA_INDEX_KEY", "VERIFA_SIGNING_KEYS"].every((name) =>
          error.problems.some((problem) => problem.startsWith(`${name}:`))
        ),
    );
    // The migrate Job gets the database and nothing else.
    const migrate = envOf(named("Job", "verifa-migrate"), (_, key) => filled[key]);
    assert.deepEqual(Object.keys(migrate), ["DATABASE_URL"]);
  });

  await t.step("selectors, the HPA on CPU, KEDA on queue depth and the disruption budgets agree", () => {
    for (const deployment of ofKind("Deployment")) {
      assert.ok(matches(deployment.spec.selector.matchLabels, podOf(deployment).metadata.labels));
      // The autoscalers own the count: a replicas field would reset it on every apply.
      assert.equal(deployment.spec.replicas, undefined, `${deployment.metadata.name}: no replicas`);
    }
    const service = named("Service", "verifa-api");
    assert.ok(matches(service.spec.selector, apiPods));
    assert.ok(!matches(service.spec.selector, workerPods));
    assert.deepEqual(service.spec.ports.map((p: Doc) => p.targetPort), ["http"], "the metrics port is not published");

    const hpa = named("HorizontalPodAutoscaler", "verifa-api");
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "verifa-api" });
    assert.ok(hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas > hpa.spec.minReplicas);
    assert.deepEqual(hpa.spec.metrics.map((m: Doc) => [m.type, m.resource?.name]), [["Resource", "cpu"]]);

    const scaled = named("ScaledObject", "verifa-worker");
    assert.equal(scaled.spec.scaleTargetRef.name, "verifa-worker");
    assert.ok(scaled.spec.minReplicaCount >= 2, "a worker always runs (outbox relay, schedules)");
    const [trigger] = scaled.spec.triggers;
    assert.equal(trigger.type, "postgresql");
    const auth = named("TriggerAuthentication", trigger.authenticationRef.name);
    const [secretRef] = auth.spec.secretTargetRef;
    assert.equal(secretRef.parameter, "connection");
    assert.ok(secretRef.key in generated.get(secretRef.name)!, "the queue reader's secret");
    // kustomize does not rewrite names inside custom resources: the secret must keep its name.
    const generator = kustomization.secretGenerator.find((g: Doc) => g.name === secretRef.name);
    assert.equal(generator.options?.disableNameSuffixHash, true);

    const budgets = ofKind("PodDisruptionBudget");
    for (const pods of [apiPods, workerPods]) {
      const budget = budgets.find((b) => matches(b.spec.selector.matchLabels, pods));
      assert.ok(budget && budget.spec.minAvailable >= 1, `a PodDisruptionBudget for ${JSON.stringify(pods)}`);
    }
  });

  await t.step("egress is denied by default and allowed only where each workload needs it", () => {
    const policies = ofKind("NetworkPolicy");
    const denyAll = policies.filter((p) =>
      Object.keys(p.spec.podSelector).length === 0 && p.spec.policyTypes.includes("Egress") && !p.spec.egress
    );
    assert.equal(denyAll.length, 1, "one default-deny egress policy selecting every pod");
    const allowed = (pods: Record<string, string>) =>
      policies.filter((p) =>
        p.spec.policyTypes.includes("Egress") && matches(p.spec.podSelector.matchLabels ?? {}, pods)
      )
        .flatMap((p) => (p.spec.egress ?? []).map(describeRule)).sort();
    const dns = 'pods {"k8s-app":"kube-dns"} in {"kubernetes.io/metadata.name":"kube-system"} on UDP/53,TCP/53';
    const postgres = 'pods {"verifa.io/serves":"postgres"} in "any" on TCP/5432';
    const s3 = 'pods {"verifa.io/serves":"s3"} in "any" on TCP/9000,TCP/443';
    assert.deepEqual(allowed(apiPods), [dns, postgres, s3, "anywhere on TCP/587,TCP/465"].sort());
    assert.deepEqual(
      allowed(workerPods),
      [
        dns,
        postgres,
        s3,
        "ip 0.0.0.0/0 except 10.0.0.0/8 100.64.0.0/10 127.0.0.0/8 169.254.0.0/16 172.16.0.0/12 192.168.0.0/16 | " +
        "ip ::/0 except ::1/128 fc00::/7 fe80::/10 on any port",
      ].sort(),
    );
    assert.deepEqual(allowed(podOf(named("Job", "verifa-migrate")).metadata.labels), [dns, postgres].sort());
  });

  await t.step(
    "the worker's queue-depth query runs with the documented grants and matches verifa_queue_jobs",
    async () => {
      const query = named("ScaledObject", "verifa-worker").spec.triggers[0].metadata.query as string;
      const world = await createTestWorld();
      const boss = new PgBoss({ connectionString: world.databaseUrl, max: 2, schedule: false, supervise: false });
      const role = `verifa_queue_reader_${randomString(8).toLowerCase()}`;
      const password = randomString(24);
      const ops = startObservability(world.deps, { port: null, cacheMs: 0 });
      try {
        await boss.start();
        for (const queue of ALL_QUEUES) await boss.createQueue(queue.name, queue.options);
        // No worker runs: the jobs wait. One session.process job is deferred (not due yet).
        for (let i = 0; i < 3; i++) await boss.send("session.process", { session_id: `ses_${i}` });
        await boss.send("session.process", { session_id: "ses_later" }, { startAfter: 3600 });
        for (let i = 0; i < 9; i++) await boss.send("webhook.deliver", { delivery_id: `whd_${i}`, attempt: 1 });
        await boss.send("retention.sweep", {});

        // The grants the template documents, run as written for a role of this test's own.
        const template = await Deno.readTextFile(new URL("secrets/verifa-queue-reader.env.example", DIR));
        const grants = [...template.matchAll(/^#\s+((?:CREATE ROLE|GRANT) .+;)$/gm)].map((m) =>
          m[1].replaceAll("verifa_queue_reader", role).replace("'…'", `'${password}'`)
        );
        assert.equal(grants.length, 3, template);
        for (const statement of grants) await sql.raw(statement).execute(world.db);
        const url = new URL(world.databaseUrl);
        url.username = role;
        url.password = password;
        const reader = new pg.Client({ connectionString: url.toString() });
        await reader.connect();
        let value: number;
        try {
          value = Number(Object.values((await reader.query(query)).rows[0])[0]);
          // The role reads the queue and nothing of Verifa's own.
          await assert.rejects(reader.query("SELECT count(*) FROM sessions"), /permission denied/);
        } finally {
          await reader.end();
        }
        // Worker-slots: 3 due session.process, 9 webhook.deliver at 8 a worker, 1 sweep.
        assert.equal(value, Math.ceil(3 + 9 / 8 + 1));

        const gauge = (await ops.metrics.registry.getMetricsAsJSON()).find((m) => m.name === "verifa_queue_jobs");
        assert.ok(gauge);
        let fromGauge = 0;
        for (const sample of gauge.values as { labels: Record<string, string>; value: number }[]) {
          if (!["queued", "active"].includes(sample.labels.state)) continue;
          fromGauge += sample.value / (sample.labels.queue === "webhook.deliver" ? 8 : 1);
        }
        assert.equal(value, Math.ceil(fromGauge), "the scaler sees what verifa_queue_jobs reports");
      } finally {
        await boss.stop({ graceful: false });
        await ops.stop();
        // Roles belong to the whole server, not the test's database: this one must not outlive the test.
        await sql.raw(`DROP OWNED BY ${role}`).execute(world.db).catch(() => {});
        await sql.raw(`DROP ROLE IF EXISTS ${role}`).execute(world.db);
        await world.close();
      }
    },
  );
});
