/** Owns reading KEY=VALUE files (.env.example, the Kubernetes secret templates) the way compose and kustomize do. */
import assert from "node:assert/strict";

/** Parses `KEY=VALUE` lines, skipping blanks and `#` comments; fails on any other line or a repeated key. */
export function parseDotenv(text: string, file = ".env.example"): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    assert.ok(match, `${file} line ${index + 1} is not KEY=VALUE: ${line}`);
    const value = match[2].replace(/^(["'])(.*)\1$/, "$2");
    assert.ok(!(match[1] in vars), `${file} sets ${match[1]} twice`);
    vars[match[1]] = value;
  }
  return vars;
}
