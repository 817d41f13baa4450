import assert from "node:assert/strict";
import { CONFIG_VARIABLES, parseConfig } from "../core/config.ts";
import { minimalEnv } from "./helpers/config_env.ts";
import { SESSION_STATUSES } from "../core/sessions/status.ts";

const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
const denoJson = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));

/** The text between a heading and the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README has no "${heading}"`);
  const level = heading.split(" ")[0];
  const rest = readme.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level.length}} `, "m"));
  return end < 0 ? rest : rest.slice(0, end);
}

/** The configuration table: variable → its meaning, as the README states it. */
function configurationRows(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const [, name, meaning] of section("## Configuration").matchAll(/^\| `([A-Z0-9_]+)` +\| (.*?) *\|$/gm)) {
    rows.set(name, meaning);
  }
  return rows;
}

/**
 * The default a row states as "default X": X as one value, or null where the row states none or a
 * qualified one ("default true for `deno task start`, false in compose", "no-reply@ the public host").
 */
function statedDefault(meaning: string): string | null {
  const match = /\bdefault (\S+)/.exec(meaning);
  if (!match) return null;
  const value = match[1].replace(/[),;:.]+$/, "");
  const after = meaning.slice(match.index + match[0].length);
  if (value === match[1] && /^ [a-z`]/.test(after)) return null;
  return value;
}

Deno.test("README documents what users need", async (t) => {
  await t.step("every configuration variable the config accepts is in the table", () => {
    const missing = Object.keys(CONFIG_VARIABLES).filter((name) =>
      !new RegExp(`^\\| \`${name}\` +\\|`, "m").test(readme)
    );
    assert.deepEqual(missing, []);
  });
  await t.step("every row of the configuration table is a variable the config accepts", () => {
    const unknown = [...configurationRows().keys()].filter((name) => !(name in CONFIG_VARIABLES));
    assert.deepEqual(unknown, []);
  });

  await t.step("every default the table states is the parser's: set to it, the config is as with it unset", () => {
    const rows = configurationRows();
    const defaults = new Map<string, string>();
    for (const [name, meaning] of rows) {
      const value = statedDefault(meaning);
      if (value !== null) defaults.set(name, value);
    }
    // "default http://localhost:PORT": another variable's name stands for its own stated default.
    const resolve = (value: string) => value.replace(/\b[A-Z][A-Z0-9_]{2,}\b/g, (name) => defaults.get(name) ?? name);
    // Every optional feature on, so the variables that only matter with it (bucket, proxies) are parsed.
    const base: Record<string, string> = {
      ...minimalEnv(),
      VERIFA_S3_ENDPOINT: "http://minio:9000",
      VERIFA_S3_ACCESS_KEY: "access",
      VERIFA_S3_SECRET_KEY: "secret",
      VERIFA_TRUST_PROXY: "true",
    };
    assert.ok(defaults.size >= 15, `only ${defaults.size} defaults found in the table`);
    const wrong: string[] = [];
    for (const [name, stated] of defaults) {
      const unset = { ...base };
      delete unset[name];
      const value = resolve(stated);
      let same = false;
      try {
        same = JSON.stringify(parseConfig({ ...unset, [name]: value })) === JSON.stringify(parseConfig(unset));
      } catch (error) {
        wrong.push(`${name}: "${value}" is refused (${(error as Error).message})`);
        continue;
      }
      if (!same) wrong.push(`${name}: the README says default ${value}, the parser's default differs`);
    }
    assert.deepEqual(wrong, []);
  });

  await t.step("every deno task the README names exists in deno.json", () => {
    const named = new Set([...readme.matchAll(/deno task ([a-z][a-z0-9:-]*)/g)].map((m) => m[1]));
    const missing = [...named].filter((name) => !(name in denoJson.tasks));
    assert.deepEqual(missing, []);
  });

  await t.step("every task of deno.json is in the README's command list", () => {
    const listed = new Set(
      [...section("### Commands").matchAll(/^\| `deno task ([a-z][a-z0-9:-]*)`/gm)].map((m) => m[1]),
    );
    const missing = Object.keys(denoJson.tasks).filter((name) => !listed.has(name));
    assert.deepEqual(missing, []);
  });

  await t.step("CHANGELOG.md has a section for deno.json's version, which is a release number", async () => {
    assert.match(denoJson.version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/);
    const changelog = await Deno.readTextFile(new URL("../CHANGELOG.md", import.meta.url));
    assert.match(changelog, new RegExp(`^## ${denoJson.version.replaceAll(".", "\\.")} `, "m"));
  });

  await t.step("shows the two commands and the npm install of Deno", () => {
    for (const text of ["npm install -g deno", "deno task start", "deno task test"]) {
      assert.ok(readme.includes(text), text);
    }
  });
  await t.step("has the tutorial's curl example", () => {
    assert.match(readme, /curl -X POST http:\/\/localhost:8080\/api\/v1\/sessions/);
    assert.match(readme, /"external_ref": "user_12345"/);
  });
  await t.step("every session status appears in the state diagram section", () => {
    const section = readme.slice(readme.indexOf("### Session states"), readme.indexOf("## API"));
    for (const status of SESSION_STATUSES) {
      assert.ok(section.includes(status), status);
    }
  });
});
