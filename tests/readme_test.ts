import assert from "node:assert/strict";
import { CONFIG_VARIABLES } from "../core/config.ts";
import { SESSION_STATUSES } from "../core/sessions/status.ts";

const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));

Deno.test("README documents what users need", async (t) => {
  await t.step("every configuration variable the config accepts is in the table", () => {
    const missing = Object.keys(CONFIG_VARIABLES).filter((name) =>
      !new RegExp(`^\\| \`${name}\` +\\|`, "m").test(readme)
    );
    assert.deepEqual(missing, []);
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
