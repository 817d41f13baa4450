/** VERIFA_METRICS_PORT: unset is no metrics listener; a port must be a port, and not the public one. */
import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../../core/config.ts";
import { minimalEnv } from "../helpers/config_env.ts";

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

Deno.test("VERIFA_METRICS_PORT", async (t) => {
  await t.step("unset or empty: no metrics listener", () => {
    assert.equal(parseConfig(minimalEnv()).metricsPort, null);
    assert.equal(parseConfig({ ...minimalEnv(), VERIFA_METRICS_PORT: " " }).metricsPort, null);
  });
  await t.step("a port is taken as it is", () => {
    assert.equal(parseConfig({ ...minimalEnv(), VERIFA_METRICS_PORT: "9090" }).metricsPort, 9090);
  });
  await t.step("not a port, or the public port: reported with the other problems", () => {
    const found = problems({ ...minimalEnv(), VERIFA_METRICS_PORT: "http", VERIFA_LOG_LEVEL: "loud" });
    assert.deepEqual(found.sort(), [
      "VERIFA_LOG_LEVEL: must be debug, info, warn or error.",
      'VERIFA_METRICS_PORT: must be an integer from 1 to 65535, got "http".',
    ]);
    assert.deepEqual(problems({ ...minimalEnv(), PORT: "9090", VERIFA_METRICS_PORT: "9090" }), [
      "VERIFA_METRICS_PORT: must differ from PORT.",
    ]);
  });
});
