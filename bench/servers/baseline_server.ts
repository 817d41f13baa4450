/**
 * The create-session baseline: a bare Hono app whose one POST handler parses the same JSON body
 * and does one INSERT of a row as wide as a session's into `bench_baseline` (same column types as
 * `sessions`) through a pg Pool of the production size. It is the ceiling create-session is
 * compared with. Prints its ephemeral port on stdout when listening.
 */
import { Hono } from "hono";
import pg from "pg";
import { newId, randomString } from "../../core/ids.ts";

const databaseUrl = Deno.env.get("DATABASE_URL");
if (!databaseUrl) throw new Error("DATABASE_URL is required");
const poolSize = Number(Deno.env.get("VERIFA_DB_POOL_SIZE") ?? "20");
const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, idleTimeoutMillis: 30_000 });
// As in core/db/create_db.ts: an idle client's error must not crash the process.
pool.on("error", (error: Error) => console.error(`baseline pool error: ${error.message}`));

const INSERT = `
  INSERT INTO bench_baseline (
    id, org_id, environment, status, external_ref, country, metadata, tags, fields_enc,
    send_email, capture_token_hash, capture_token_enc, token_expires_at, api_key_id, created_at, updated_at
  ) VALUES ($1, $2, 'sandbox', 'pending', $3, $4, $5, '{}', $6, false, $7, $8, $9, $10, $11, $11)`;

const app = new Hono();
app.post("/sessions", async (c) => {
  const body = await c.req.json() as Record<string, unknown>;
  const id = newId("ses");
  const now = new Date();
  // Stand-ins of the same width as the product's values: ciphertexts are base64url of about
  // the plaintext's length, token hashes are 64 hex characters.
  await pool.query(INSERT, [
    id,
    "org_bench",
    body.external_ref ?? null,
    body.country ?? null,
    JSON.stringify(body.metadata ?? {}),
    `v1:bench:${btoa(JSON.stringify(body.fields ?? {}))}`,
    randomString(64),
    `v1:bench:${randomString(80)}`,
    new Date(now.getTime() + 20 * 60_000),
    "key_bench",
    now,
  ]);
  return c.json({ id, status: "pending" }, 201);
});

const server = Deno.serve(
  { port: 0, hostname: "127.0.0.1", onListen: ({ port }) => console.log(String(port)) },
  app.fetch,
);

const shutdown = async () => {
  await server.shutdown();
  await pool.end();
  Deno.exit(0);
};
Deno.addSignalListener("SIGTERM", shutdown);
Deno.addSignalListener("SIGINT", shutdown);
