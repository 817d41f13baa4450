// Owns the deployment contract: compose.yaml, .env.example, the Dockerfile and core/config.ts must agree.
// No Docker engine runs in CI, so this test reads the files instead of starting the stack.
import assert from "node:assert/strict";
import { parse } from "yaml";
import { CONFIG_VARIABLES, ConfigError, parseConfig } from "../core/config.ts";
import { parseDotenv } from "./helpers/dotenv.ts";

interface HealthCheck {
  test?: string | string[];
  disable?: boolean;
}

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: HealthCheck;
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  restart?: string;
}

interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

type Vars = Record<string, string>;

interface Reference {
  name: string;
  /** The compose operator after the name: "", ":-", "-", ":?", "?", ":+" or "+". */
  op: string;
  arg: string;
}

const root = new URL("../", import.meta.url);
const SERVICES = ["postgres", "minio", "migrate", "api", "worker"];
const ENTRY_FILES = ["api/main.ts", "worker/main.ts", "scripts/migrate.ts"];
/** Values an operator must choose: compose must refuse to start without them. */
const SECRETS = [
  "POSTGRES_PASSWORD",
  "MINIO_ROOT_PASSWORD",
  "VERIFA_ENCRYPTION_KEYS",
  "VERIFA_INDEX_KEY",
  "VERIFA_SIGNING_KEYS",
];
const PLACEHOLDER = "change-me";

function readText(path: string): Promise<string> {
  return Deno.readTextFile(new URL(path, root));
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(new URL(path, root));
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Compose-style interpolation of one value; `$$` is a literal `$`. Throws on a missing `:?` / `?`
 * variable. Nested `${A:-${B}}` is not supported (compose.yaml does not use it).
 */
function interpolate(text: string, vars: Vars): string {
  return text.replace(REFERENCE, (whole, braced?: string, op = "", arg = "", bare?: string) => {
    if (whole === "$$") return "$";
    const name = (braced ?? bare)!;
    const value = vars[name];
    const set = value !== undefined;
    const nonEmpty = set && value !== "";
    switch (op) {
      case ":-":
        return nonEmpty ? value : interpolate(arg, vars);
      case "-":
        return set ? value : interpolate(arg, vars);
      case ":?":
      case "?":
        if (op === ":?" ? !nonEmpty : !set) throw new Error(`required variable ${name} is missing: ${arg}`);
        return value!;
      case ":+":
        return nonEmpty ? interpolate(arg, vars) : "";
      case "+":
        return set ? interpolate(arg, vars) : "";
      default:
        return value ?? "";
    }
  });
}

/** Every `${VAR}` / `$VAR` reference in the document's values (compose interpolates values, not comments). */
function references(node: unknown): Reference[] {
  if (typeof node === "string") {
    return [...node.matchAll(REFERENCE)].filter((m) => m[0] !== "$$").map((m) => ({
      name: m[1] ?? m[4],
      op: m[2] ?? "",
      arg: m[3] ?? "",
    }));
  }
  if (Array.isArray(node)) return node.flatMap(references);
  if (node && typeof node === "object") return Object.values(node).flatMap(references);
  return [];
}

/** Parses a dotenv file the way compose reads .env: KEY=VALUE lines, # comments, optional quotes. */
function environmentOf(service: Service): Record<string, string> {
  const env: Record<string, string> = {};
  const raw = service.environment ?? {};
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const eq = entry.indexOf("=");
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
  } else {
    for (const [key, value] of Object.entries(raw)) {
      if (value !== null && value !== undefined) env[key] = String(value);
    }
  }
  return env;
}

function dependsOn(service: Service): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, "service_started"]));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep?.condition ?? "service_started"]));
}

/** The file after `deno run [flags]`; flags must use the `--flag=value` form. */
function denoEntryFile(command: string | string[] | undefined): string | undefined {
  const args = typeof command === "string" ? command.trim().split(/\s+/) : command ?? [];
  const run = args.findIndex((arg, i) => arg === "run" && args[i - 1] === "deno");
  if (run < 0) return undefined;
  return args.slice(run + 1).find((arg) => !arg.startsWith("-"));
}

function randomBase64Key(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The .env.example values with every change-me replaced by a valid generated value. */
function filledEnv(example: Vars): Vars {
  const generated: Vars = {
    VERIFA_ENCRYPTION_KEYS: `k1:${randomBase64Key()}`,
    VERIFA_INDEX_KEY: randomBase64Key(),
    VERIFA_SIGNING_KEYS: `s1:${randomBase64Key()}`,
  };
  return Object.fromEntries(
    Object.entries(example).map((
      [key, value],
    ) => [key, value === PLACEHOLDER ? generated[key] ?? randomHex(24) : value]),
  );
}

Deno.test("compose.yaml agrees with the Dockerfile, .env.example and core/config.ts", async (t) => {
  const composeText = await readText("compose.yaml");
  const compose = parse(composeText, { merge: true }) as Compose;
  const example = parseDotenv(await readText(".env.example"));
  const services = compose.services ?? {};
  const verifaServices = Object.keys(services).filter((name) => services[name].build !== undefined);

  await t.step("declares the five services, three of them built from this repository", () => {
    for (const name of SERVICES) assert.ok(services[name], `service ${name} is missing`);
    assert.deepEqual(verifaServices.sort(), ["api", "migrate", "worker"]);
    for (const name of verifaServices) {
      assert.equal(services[name].build, ".", `${name} must build the repository root`);
    }
  });

  await t.step("every verifa command runs an entry file that exists", async () => {
    const missing: string[] = [];
    for (const name of verifaServices) {
      const entry = denoEntryFile(services[name].command);
      assert.ok(
        entry,
        `${name}: command must be \`deno run ... <file>\`, got ${JSON.stringify(services[name].command)}`,
      );
      assert.ok(ENTRY_FILES.includes(entry), `${name}: ${entry} is not one of the entry files the Dockerfile caches`);
      if (!(await exists(entry))) missing.push(`${name}: ${entry}`);
    }
    assert.deepEqual(missing, [], `entry files missing from the repository: ${missing.join(", ")}`);
  });

  await t.step("the Dockerfile copies and caches every entry file and runs unprivileged", async () => {
    const dockerfile = await readText("Dockerfile");
    const copied: string[] = [];
    for (const m of dockerfile.matchAll(/^COPY\s+(?:--\S+\s+)*(.+?)\s+\S+\s*$/gm)) copied.push(...m[1].split(/\s+/));
    for (const source of copied) assert.ok(await exists(source), `Dockerfile copies ${source}, which does not exist`);
    const cacheLine = /^RUN deno install .*--entrypoint (.+)$/m.exec(dockerfile);
    assert.ok(cacheLine, "Dockerfile must cache the entry files with `deno install --entrypoint`");
    for (const entry of ENTRY_FILES) {
      const folder = entry.slice(0, entry.indexOf("/") + 1);
      assert.ok(copied.includes(folder), `Dockerfile does not copy ${folder} (needed by ${entry})`);
      assert.ok(cacheLine[1].split(/\s+/).includes(entry), `Dockerfile does not cache ${entry}`);
    }
    assert.match(dockerfile, /^USER deno$/m);
    assert.match(dockerfile, /^EXPOSE 8080$/m);
  });

  await t.step(
    "the image carries pg_dump and pg_restore of compose's Postgres major, for backup and restore",
    async () => {
      const serverMajor = /^postgres:(\d+)/.exec(services.postgres.image ?? "")?.[1];
      assert.ok(serverMajor, `compose's postgres image must name its major version, got ${services.postgres.image}`);
      const dockerfile = await readText("Dockerfile");
      const clients = [...dockerfile.matchAll(/postgresql-client-(\d+)/g)].map((m) => m[1]);
      assert.deepEqual(
        [...new Set(clients)],
        [serverMajor],
        "the Dockerfile must install postgresql-client-<server major>",
      );
      // The package comes from the PostgreSQL project's repository: Debian's own stops at 15.
      assert.match(dockerfile, /apt\.postgresql\.org\.sh -y/);
    },
  );

  await t.step("verifa services set only variables declared in CONFIG_VARIABLES", () => {
    for (const name of verifaServices) {
      const unknown = Object.keys(environmentOf(services[name])).filter((key) => !(key in CONFIG_VARIABLES));
      assert.deepEqual(unknown, [], `${name} sets variables core/config.ts does not read: ${unknown.join(", ")}`);
    }
    assert.equal(environmentOf(services.api).VERIFA_RUN_WORKER, "false", "the api must leave jobs to the worker");
    assert.equal(environmentOf(services.api).VERIFA_S3_ENDPOINT, "http://minio:9000");
  });

  await t.step("api, postgres and minio have health checks", () => {
    for (const name of ["api", "postgres", "minio"]) {
      const check = services[name].healthcheck;
      assert.ok(check && !check.disable && check.test && check.test.length > 0, `${name} needs a healthcheck`);
    }
    assert.match(JSON.stringify(services.postgres.healthcheck?.test), /pg_isready/);
    assert.match(JSON.stringify(services.api.healthcheck?.test), /localhost:8080\/health/);
  });

  await t.step("the worker's health check asks /readyz on its metrics listener, which api and worker open", () => {
    for (const name of ["api", "worker"]) {
      assert.equal(environmentOf(services[name]).VERIFA_METRICS_PORT, "9090", `${name} must serve metrics`);
    }
    const check = services.worker.healthcheck;
    assert.ok(check && !check.disable, "the worker needs a healthcheck");
    assert.match(JSON.stringify(check.test), /localhost:9090\/readyz/);
  });

  await t.step("named volumes are declared and mounted where the images keep data", () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const name of ["pgdata", "minio-data"]) assert.ok(declared.includes(name), `volume ${name} is not declared`);
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === "string" ? volume.split(":")[0] : volume.source ?? "";
        if (source === "" || /^[./~$]/.test(source)) continue; // bind mount or anonymous volume
        assert.ok(declared.includes(source), `${name} mounts undeclared volume ${source}`);
      }
    }
    // Postgres 18 images refuse a volume on the pre-18 path /var/lib/postgresql/data.
    assert.ok(
      services.postgres.volumes?.includes("pgdata:/var/lib/postgresql"),
      "pgdata must mount at /var/lib/postgresql",
    );
    assert.ok(services.minio.volumes?.includes("minio-data:/data"), "minio-data must mount at /data");
  });

  await t.step("migrate runs once and gates api and worker", () => {
    assert.equal(services.migrate.restart, "no");
    assert.equal(dependsOn(services.migrate).postgres, "service_healthy");
    for (const name of ["api", "worker"]) {
      assert.equal(
        dependsOn(services[name]).migrate,
        "service_completed_successfully",
        `${name} must wait for migrate`,
      );
    }
    assert.equal(dependsOn(services.api).minio, "service_healthy");
    assert.equal(services.worker.restart, "unless-stopped");
  });

  await t.step("every interpolated variable is in .env.example, and secrets are required", () => {
    const refs = references(compose);
    const used = new Set(refs.map((ref) => ref.name));
    const undocumented = [...used].filter((name) => !(name in example));
    assert.deepEqual(
      undocumented,
      [],
      `compose.yaml uses variables missing from .env.example: ${undocumented.join(", ")}`,
    );
    const unused = Object.keys(example).filter((name) => !used.has(name));
    assert.deepEqual(unused, [], `.env.example sets variables compose.yaml never uses: ${unused.join(", ")}`);
    for (const secret of SECRETS) {
      assert.equal(example[secret], PLACEHOLDER, `.env.example must show ${secret} as ${PLACEHOLDER}`);
      const ops = new Set(refs.filter((ref) => ref.name === secret).map((ref) => ref.op));
      assert.deepEqual([...ops], [":?"], `${secret} must be referenced as \${${secret}:?message}`);
    }
  });

  await t.step("the environment compose builds passes parseConfig once the placeholders are filled", () => {
    const vars = filledEnv(example);
    for (const name of verifaServices) {
      const env = Object.fromEntries(
        Object.entries(environmentOf(services[name])).map(([key, value]) => [key, interpolate(value, vars)]),
      );
      let config;
      try {
        config = parseConfig(env);
      } catch (err) {
        assert.fail(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
      assert.equal(config.s3?.endpoint, "http://minio:9000");
      assert.equal(new URL(config.databaseUrl).hostname, "postgres");
      if (name === "api") assert.equal(config.runWorker, false);
    }
  });

  await t.step("the change-me placeholders themselves are rejected at boot", () => {
    const env = Object.fromEntries(
      Object.entries(environmentOf(services.api)).map(([key, value]) => [key, interpolate(value, example)]),
    );
    let problems: string[] = [];
    try {
      parseConfig(env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems = err.problems;
    }
    for (const key of ["VERIFA_ENCRYPTION_KEYS", "VERIFA_INDEX_KEY", "VERIFA_SIGNING_KEYS"]) {
      assert.ok(problems.some((p) => p.startsWith(`${key}:`)), `${key}=${PLACEHOLDER} must not boot`);
    }
  });
});
