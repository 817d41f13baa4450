/**
 * `deno task test`: runs the whole suite against a real Postgres — a fresh embedded one unless
 * TEST_DATABASE_URL names a server — where each test file creates its own database. Ends with
 * the one summary line CI reads: `N passed, N failed`.
 */
import { startEmbeddedPostgres } from "../core/embedded/embedded_postgres.ts";
import { randomString } from "../core/ids.ts";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

let adminUrl = Deno.env.get("TEST_DATABASE_URL");
let stopServer = async () => {};
const dataDir = `${Deno.cwd()}/.test-data/pg-${randomString(8)}`;
if (!adminUrl) {
  await Deno.mkdir(`${Deno.cwd()}/.test-data`, { recursive: true });
  await Deno.chmod(`${Deno.cwd()}/.test-data`, 0o711);
  const server = await startEmbeddedPostgres({ dataDir, port: freePort(), password: randomString(24) });
  adminUrl = server.adminUrl;
  stopServer = async () => {
    await server.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  };
}

const filters = Deno.args.length ? Deno.args : ["tests/"];
const child = new Deno.Command(Deno.execPath(), {
  args: ["test", "-A", "--parallel", ...filters],
  env: { TEST_DATABASE_URL: adminUrl, NO_COLOR: "1" },
  stdout: "piped",
  stderr: "inherit",
}).spawn();

let tail = "";
const decoder = new TextDecoder();
for await (const chunk of child.stdout) {
  await Deno.stdout.write(chunk);
  tail = (tail + decoder.decode(chunk, { stream: true })).slice(-4000);
}
const status = await child.status;
await stopServer();

// Deno's own line looks like `ok | 12 passed (40 steps) | 0 failed (3s)`; steps count as tests here.
const summary =
  /(?:ok|FAILED) \| (\d+) passed(?: \((\d+) steps?\))? \| (\d+) failed(?: \((\d+) steps?\))?(?: \| (\d+) ignored)?/
    .exec(tail);
if (summary) {
  const [, passed, passedSteps, failed, failedSteps, ignored] = summary.map((v) => Number(v ?? 0));
  const skipped = ignored ? `, ${ignored} skipped` : "";
  console.log(`${passed + passedSteps} passed, ${failed + failedSteps} failed${skipped}`);
} else {
  console.log(`0 passed, 1 failed`);
}
Deno.exit(status.success && summary ? 0 : 1);
