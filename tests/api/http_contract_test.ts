/**
 * Owns the cross-cutting HTTP contract tests: the error body, body parsing and its size cap,
 * authentication headers, request ids, key inflection, versioning, rate limits, and a fuzz pass
 * proving hostile input never produces a 5xx.
 */
import assert from "node:assert/strict";
import { createTestWorld, type TestWorld } from "../helpers/test_app.ts";
import { serveApp } from "../../api/server.ts";
import { ALL_SCOPES } from "../../core/orgs/scopes.ts";

type Json = Record<string, unknown>;

const BODY_LIMIT = 1024 * 1024;

function assertErrorBody(body: unknown, status: number, code?: string): void {
  assert.ok(
    body && typeof body === "object" && !Array.isArray(body),
    `expected an error body: ${JSON.stringify(body)}`,
  );
  const b = body as Json;
  if (code !== undefined) assert.equal(b.error, code, JSON.stringify(b));
  assert.equal(typeof b.error, "string");
  assert.match(b.error as string, /^[a-z][a-z0-9_]*$/);
  assert.equal(typeof b.detail, "string");
  assert.ok((b.detail as string).length > 0);
  assert.equal(b.status_code, status);
  const allowed = new Set(["error", "detail", "status_code", "fields"]);
  for (const key of Object.keys(b)) assert.ok(allowed.has(key), `unexpected key ${key} in error body`);
  if ("fields" in b) {
    assert.equal(status, 422);
    assert.equal(typeof b.fields, "object");
    for (const message of Object.values(b.fields as Json)) assert.equal(typeof message, "string");
  }
}

function assertRequestId(headers: Headers): string {
  const id = headers.get("x-request-id");
  assert.ok(id, "missing X-Request-Id");
  assert.match(id, /^[A-Za-z0-9._:-]{1,128}$/);
  return id;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    assert.fail(`response ${res.status} is not JSON: ${text.slice(0, 200)}`);
  }
}

/** Puts the test clock just past a minute boundary so a fixed-window limiter cannot roll over mid-step. */
function alignToWindowStart(world: TestWorld): void {
  const now = world.clock.now().getTime();
  world.clock.advance(60_000 - (now % 60_000) + 50);
}

/** A body stream that would never end on its own; counts what the server pulled. */
function endlessJsonStream(chunkBytes: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  let first = true;
  const filler = new TextEncoder().encode("x".repeat(chunkBytes));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = first ? new TextEncoder().encode('{"external_ref":"') : filler;
      first = false;
      pulled += chunk.length;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => pulled };
}

Deno.test("HTTP contract", async (t) => {
  const world = await createTestWorld();
  const sandbox = world.org.sandbox_secret_key;
  try {
    await t.step("unknown routes are a 404 with the contract body", async () => {
      for (const path of ["/nope", "/api/v1/nope", "/api/v2/sessions", "/api/v1/sessions/ses_x/nope"]) {
        const res = await world.json("GET", path, { key: sandbox });
        assert.equal(res.status, 404, path);
        assertErrorBody(res.body, 404, "not_found");
        assertRequestId(res.headers);
      }
    });

    await t.step("a missing or invalid key is a 401 unauthorized", async () => {
      const cases: Record<string, string>[] = [
        {},
        { "X-API-Key": "" },
        { "X-API-Key": "vk_sandbox_doesnotexist" },
        { "X-API-Key": "sk_test_123" },
        { "X-API-Key": sandbox + "x" },
        { Authorization: "Bearer" },
        { Authorization: "Bearer vk_sandbox_doesnotexist" },
        { Authorization: `Basic ${btoa(`${sandbox}:`)}` },
        { "X-API-Key": "vk_" + "a".repeat(10_000) },
      ];
      for (const headers of cases) {
        for (const [method, path] of [["GET", "/api/v1/sessions"], ["POST", "/api/v1/sessions"]]) {
          const res = await world.json(method, path, { headers, body: method === "POST" ? {} : undefined });
          assert.equal(res.status, 401, `${method} ${JSON.stringify(headers).slice(0, 80)}`);
          assertErrorBody(res.body, 401, "unauthorized");
          assertRequestId(res.headers);
        }
      }
    });

    await t.step("X-API-Key and Authorization: Bearer both authenticate", async () => {
      const viaHeader = await world.json("GET", "/api/v1/sessions", { key: sandbox });
      assert.equal(viaHeader.status, 200);
      for (const authorization of [`Bearer ${sandbox}`, `bearer ${sandbox}`]) {
        const viaBearer = await world.json("GET", "/api/v1/sessions", { headers: { Authorization: authorization } });
        assert.equal(viaBearer.status, 200, authorization.slice(0, 10));
      }
      const create = await world.json("POST", "/api/v1/sessions", {
        body: { external_ref: "bearer-1" },
        headers: { Authorization: `Bearer ${sandbox}` },
      });
      assert.equal(create.status, 201, JSON.stringify(create.body));
    });

    await t.step("malformed JSON is a 400 invalid_json", async () => {
      for (const body of ["{", '{"external_ref": }', "nul", "{'a': 1}", '{"a":1}}', "\u0000"]) {
        for (const [method, path] of [["POST", "/api/v1/sessions"], ["POST", "/api/v1/api-keys"]]) {
          const res = await world.json(method, path, { key: sandbox, body });
          assert.equal(res.status, 400, `${path} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
          assertErrorBody(res.body, 400, "invalid_json");
          assertRequestId(res.headers);
        }
      }
    });

    await t.step("a body that is not JSON is a 415", async () => {
      for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
        const res = await world.json("POST", "/api/v1/sessions", {
          key: sandbox,
          body: '{"external_ref":"x"}',
          headers: { "Content-Type": type },
        });
        assert.equal(res.status, 415, type);
        assertErrorBody(res.body, 415, "unsupported_media_type");
        assertRequestId(res.headers);
      }
      const noType = await world.app.request("/api/v1/sessions", {
        method: "POST",
        headers: { "X-API-Key": sandbox },
        body: new Blob(['{"external_ref":"x"}']),
      });
      assert.equal(noType.status, 415);
      assertErrorBody(await readBody(noType), 415, "unsupported_media_type");
      // JSON media types with a suffix and parameters are JSON.
      for (const type of ["application/json; charset=utf-8", "application/vnd.api+json"]) {
        const ok = await world.json("POST", "/api/v1/sessions", {
          key: sandbox,
          body: { external_ref: "typed" },
          headers: { "Content-Type": type },
        });
        assert.equal(ok.status, 201, `${type} → ${JSON.stringify(ok.body)}`);
      }
    });

    await t.step("bodies over 1 MB are a 413 payload_too_large; just under passes", async () => {
      const big = JSON.stringify({ external_ref: "x", metadata: { blob: "a".repeat(BODY_LIMIT) } });
      const declared = await world.json("POST", "/api/v1/sessions", {
        key: sandbox,
        body: big,
        headers: { "Content-Length": String(new TextEncoder().encode(big).length) },
      });
      assert.equal(declared.status, 413);
      assertErrorBody(declared.body, 413, "payload_too_large");
      assertRequestId(declared.headers);
      const undeclared = await world.json("POST", "/api/v1/sessions", { key: sandbox, body: big });
      assert.equal(undeclared.status, 413);
      assertErrorBody(undeclared.body, 413, "payload_too_large");
      const patch = await world.json("PATCH", "/api/v1/api-keys/key_x", { key: sandbox, body: big });
      assertErrorBody(patch.body, 413, "payload_too_large");
      // The cap is checked before authentication: nobody gets to make the server buffer more.
      const anonymous = await world.json("POST", "/api/v1/sessions", { body: big });
      assertErrorBody(anonymous.body, 413, "payload_too_large");

      // 50 metadata values of 16 KB each is the largest session the notes allow; it must fit.
      const metadata: Record<string, string> = {};
      for (let i = 0; i < 50; i++) metadata[`k${i}`] = "m".repeat(16 * 1024 - 2);
      const largest = await world.json("POST", "/api/v1/sessions", { key: sandbox, body: { metadata } });
      assert.equal(largest.status, 201, JSON.stringify(largest.body).slice(0, 300));
    });

    await t.step("a streamed body without Content-Length is cut off at the cap", async () => {
      const { stream, pulled } = endlessJsonStream(64 * 1024);
      const res = await world.app.request("/api/v1/sessions", {
        method: "POST",
        headers: { "X-API-Key": sandbox, "Content-Type": "application/json" },
        body: stream,
        // @ts-ignore: Deno's RequestInit needs duplex for a stream body.
        duplex: "half",
      });
      assert.equal(res.status, 413);
      assertErrorBody(await readBody(res), 413, "payload_too_large");
      assert.ok(pulled() > BODY_LIMIT, "the server read up to the cap");
      assert.ok(pulled() <= BODY_LIMIT + 4 * 64 * 1024, `the server kept reading past the cap: ${pulled()} bytes`);
      await stream.cancel().catch(() => {});
    });

    await t.step("over real HTTP: chunked and declared oversized bodies are a 413", async () => {
      // Port 0: the OS picks a free port, read back from the listening socket.
      const server = serveApp(world.app, 0, "127.0.0.1");
      const { port } = server.addr as Deno.NetAddr;
      try {
        const url = `http://127.0.0.1:${port}/api/v1/sessions`;
        const chunks = 24;
        let sent = 0;
        const chunk = new TextEncoder().encode("y".repeat(64 * 1024));
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"external_ref":"'));
          },
          pull(controller) {
            if (sent++ < chunks) controller.enqueue(chunk);
            else controller.close();
          },
        });
        const chunked = await fetch(url, {
          method: "POST",
          headers: { "X-API-Key": sandbox, "Content-Type": "application/json" },
          body,
          // @ts-ignore: Deno's RequestInit needs duplex for a stream body.
          duplex: "half",
        });
        assert.equal(chunked.status, 413);
        assertErrorBody(await readBody(chunked), 413, "payload_too_large");
        assertRequestId(chunked.headers);

        const declared = await fetch(url, {
          method: "POST",
          headers: { "X-API-Key": sandbox, "Content-Type": "application/json" },
          body: JSON.stringify({ external_ref: "z".repeat(BODY_LIMIT + 1) }),
        });
        assert.equal(declared.status, 413);
        assertErrorBody(await readBody(declared), 413, "payload_too_large");
      } finally {
        await server.shutdown();
      }
    });

    await t.step("every response carries X-Request-Id; sane ids are echoed, unsafe ones replaced", async () => {
      const responses = [
        await world.request("GET", "/health"),
        await world.request("GET", "/nope"),
        await world.request("GET", "/api/v1/sessions"),
        await world.request("GET", "/api/v1/sessions", { key: sandbox }),
        await world.request("GET", "/api/v1/sessions/ses_missing", { key: sandbox }),
        await world.request("POST", "/api/v1/sessions", { key: sandbox, body: "{" }),
        await world.request("POST", "/api/v1/sessions", { key: sandbox, body: { bogus: 1 } }),
        await world.request("OPTIONS", "/api/v1/sessions", {
          headers: { Origin: "https://a.example", "Access-Control-Request-Method": "POST" },
        }),
      ];
      const ids = new Set<string>();
      for (const res of responses) {
        ids.add(assertRequestId(res.headers));
        await res.body?.cancel();
      }
      assert.equal(ids.size, responses.length, "each request gets its own id");

      for (const sane of ["abc-123", "trace_01HZX.4:5", "a".repeat(128), crypto.randomUUID()]) {
        for (const key of [sandbox, undefined]) {
          const res = await world.request("GET", "/api/v1/sessions", { key, headers: { "X-Request-Id": sane } });
          assert.equal(res.headers.get("x-request-id"), sane);
          await res.body?.cancel();
        }
      }
      for (const unsafe of ["a b", "<script>alert(1)</script>", "a".repeat(129), "id\tx", "x;y", "ü", "../../etc"]) {
        const res = await world.request("GET", "/api/v1/sessions", {
          key: sandbox,
          headers: { "X-Request-Id": unsafe },
        }).catch(() => null);
        if (!res) continue; // the Headers class itself refused the value
        const id = res.headers.get("x-request-id");
        assert.notEqual(id, unsafe);
        assert.match(id ?? "", /^req_[a-z0-9]+$/);
        await res.body?.cancel();
      }
    });

    await t.step("Key-Inflection shapes response keys; an invalid value is a 400", async () => {
      const created = await world.json("POST", "/api/v1/api-keys", { key: sandbox, body: { label: "inflect" } });
      const id = created.body.id as string;
      const snake = await world.json("GET", `/api/v1/api-keys/${id}`, {
        key: sandbox,
        headers: { "Key-Inflection": "snake" },
      });
      assert.ok("key_prefix" in snake.body && "default_key_inflection" in snake.body);
      const camel = await world.json("GET", `/api/v1/api-keys/${id}`, {
        key: sandbox,
        headers: { "Key-Inflection": "camel" },
      });
      assert.equal(camel.status, 200);
      assert.ok("keyPrefix" in camel.body && "defaultKeyInflection" in camel.body && "isActive" in camel.body);
      assert.ok(!Object.keys(camel.body).some((k) => k.includes("_")));
      const kebab = await world.json("GET", `/api/v1/api-keys/${id}`, {
        key: sandbox,
        headers: { "Key-Inflection": "kebab" },
      });
      assert.ok("key-prefix" in kebab.body && "default-key-inflection" in kebab.body);
      assert.ok(!Object.keys(kebab.body).some((k) => k.includes("_")));
      // Nested keys follow too; customer-owned metadata keys do not.
      const session = await world.json("POST", "/api/v1/sessions", {
        key: sandbox,
        body: { external_ref: "inflect-1", metadata: { user_id: "u_1", "Odd-Key": 1 } },
        headers: { "Key-Inflection": "camel" },
      });
      assert.equal(session.status, 201);
      assert.equal(session.body.externalRef, "inflect-1");
      assert.ok("captureUrl" in session.body);
      assert.deepEqual(session.body.metadata, { user_id: "u_1", "Odd-Key": 1 });
      const list = await world.json<{ data: Json[]; pagination: Json }>("GET", "/api/v1/sessions?limit=1", {
        key: sandbox,
        headers: { "Key-Inflection": "kebab" },
      });
      assert.ok("external-ref" in list.body.data[0]);

      for (const bad of ["pascal", "SCREAMING_SNAKE", "camel,snake", " "]) {
        const res = await world.json("GET", "/api/v1/sessions", { key: sandbox, headers: { "Key-Inflection": bad } });
        if (bad.trim() === "") continue; // an empty header is the same as no header
        assert.equal(res.status, 400, bad);
        assertErrorBody(res.body, 400, "invalid_key_inflection");
      }
    });

    await t.step("the key's default_key_inflection applies when the header is absent", async () => {
      const created = await world.json("POST", "/api/v1/api-keys", {
        key: sandbox,
        body: { scopes: ["api_keys:read", "sessions:read"], default_key_inflection: "camel" },
      });
      assert.equal(created.status, 201);
      const key = created.body.secret as string;
      const id = created.body.id as string;
      const byDefault = await world.json("GET", `/api/v1/api-keys/${id}`, { key });
      assert.equal(byDefault.status, 200);
      assert.ok("keyPrefix" in byDefault.body, JSON.stringify(Object.keys(byDefault.body)));
      assert.equal(byDefault.body.defaultKeyInflection, "camel");
      const overridden = await world.json("GET", `/api/v1/api-keys/${id}`, {
        key,
        headers: { "Key-Inflection": "snake" },
      });
      assert.ok("key_prefix" in overridden.body);
      const kebab = await world.json("GET", `/api/v1/api-keys/${id}`, { key, headers: { "Key-Inflection": "kebab" } });
      assert.ok("key-prefix" in kebab.body);
    });

    await t.step("Verifa-Version: supported versions are echoed, unknown ones are a 400", async () => {
      for (const version of ["2026-01-01", "2026-02-01"]) {
        const res = await world.json("GET", "/api/v1/sessions", {
          key: sandbox,
          headers: { "Verifa-Version": version },
        });
        assert.equal(res.status, 200, version);
        assert.equal(res.headers.get("verifa-version"), version);
      }
      const absent = await world.json("GET", "/api/v1/sessions", { key: sandbox });
      assert.equal(absent.headers.get("verifa-version"), "2026-01-01", "the key's pinned version when absent");
      const pinned = await world.json("POST", "/api/v1/api-keys", {
        key: sandbox,
        body: { api_version: "2026-02-01" },
      });
      const pinnedRes = await world.json("GET", "/api/v1/sessions", { key: pinned.body.secret as string });
      assert.equal(pinnedRes.headers.get("verifa-version"), "2026-02-01");
      for (const bad of ["2025-01-01", "2026-13-01", "banana", "2026-01-01; x=1", "v1"]) {
        const res = await world.json("GET", "/api/v1/sessions", { key: sandbox, headers: { "Verifa-Version": bad } });
        assert.equal(res.status, 400, bad);
        assertErrorBody(res.body, 400, "unsupported_version");
        assertRequestId(res.headers);
      }
    });

    await t.step("rate-limit headers on responses; a secret key's limit is 1,000", async () => {
      alignToWindowStart(world);
      const first = await world.json("GET", "/api/v1/sessions", { key: sandbox });
      const second = await world.json("GET", "/api/v1/sessions", { key: sandbox });
      for (const res of [first, second]) {
        assert.equal(res.headers.get("x-ratelimit-limit"), "1000");
        const reset = Number(res.headers.get("x-ratelimit-reset"));
        const nowSeconds = world.clock.now().getTime() / 1000;
        assert.ok(Number.isInteger(reset), "X-RateLimit-Reset is unix seconds");
        assert.ok(reset > nowSeconds && reset <= nowSeconds + 61, `reset ${reset} vs now ${nowSeconds}`);
      }
      const r1 = Number(first.headers.get("x-ratelimit-remaining"));
      const r2 = Number(second.headers.get("x-ratelimit-remaining"));
      assert.ok(r1 < 1000 && r1 >= 0);
      assert.equal(r2, r1 - 1);
      // Error responses of an authenticated request carry them too.
      const notFound = await world.json("GET", "/api/v1/sessions/ses_missing", { key: sandbox });
      assert.equal(notFound.status, 404);
      assert.equal(notFound.headers.get("x-ratelimit-limit"), "1000");
      assert.equal(notFound.headers.get("x-ratelimit-remaining"), String(r2 - 1));
      const invalid = await world.json("POST", "/api/v1/sessions", { key: sandbox, body: { bogus: true } });
      assert.equal(invalid.status, 422);
      assert.equal(invalid.headers.get("x-ratelimit-remaining"), String(r2 - 2));
    });

    await t.step("the publishable key's 11th request in a minute is a 429; a minute later it works", async () => {
      const pub = world.org.sandbox_publishable_key;
      alignToWindowStart(world);
      for (let i = 1; i <= 10; i++) {
        const res = await world.json("POST", "/api/v1/sessions", { key: pub, body: {} });
        assert.equal(res.status, 201, `request ${i}: ${JSON.stringify(res.body)}`);
        assert.equal(res.headers.get("x-ratelimit-limit"), "10");
        assert.equal(res.headers.get("x-ratelimit-remaining"), String(10 - i));
      }
      const limited = await world.json("POST", "/api/v1/sessions", { key: pub, body: {} });
      assert.equal(limited.status, 429);
      assertErrorBody(limited.body, 429, "rate_limited");
      const retryAfter = Number(limited.headers.get("retry-after"));
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.match(limited.body.detail as string, new RegExp(`${retryAfter} seconds`));
      assert.equal(limited.headers.get("x-ratelimit-limit"), "10");
      assert.equal(limited.headers.get("x-ratelimit-remaining"), "0");
      assert.ok(limited.headers.get("x-ratelimit-reset"));
      assertRequestId(limited.headers);
      // The refused request created nothing.
      const count = await world.db.selectFrom("sessions").select((eb) => eb.fn.countAll<number>().as("n"))
        .where("org_id", "=", world.org.org_id).executeTakeFirstOrThrow();
      const again = await world.json("POST", "/api/v1/sessions", { key: pub, body: {} });
      assert.equal(again.status, 429);
      const countAfter = await world.db.selectFrom("sessions").select((eb) => eb.fn.countAll<number>().as("n"))
        .where("org_id", "=", world.org.org_id).executeTakeFirstOrThrow();
      assert.equal(Number(countAfter.n), Number(count.n));
      // Another key is not affected.
      assert.equal((await world.json("GET", "/api/v1/sessions", { key: sandbox })).status, 200);

      world.clock.advance(60_000);
      const later = await world.json("POST", "/api/v1/sessions", { key: pub, body: {} });
      assert.equal(later.status, 201, JSON.stringify(later.body));
      assert.equal(later.headers.get("x-ratelimit-remaining"), "9");
    });

    await t.step("NUL characters and absurd nesting are refused at the edge, not by the database", async () => {
      const created = await world.json("POST", "/api/v1/sessions", { key: sandbox, body: { external_ref: "nul" } });
      const sid = created.body.id as string;
      for (const path of ["/api/v1/sessions/ses_%00", `/api/v1/sessions?q=a%00b`, "/api/v1/api-keys/%00"]) {
        const res = await world.json("GET", path, { key: sandbox });
        assert.equal(res.status, 400, path);
        assertErrorBody(res.body, 400, "invalid_parameter");
      }
      const cases: [string, string, unknown, string][] = [
        ["POST", "/api/v1/sessions", { external_ref: "a\u0000b" }, "external_ref"],
        ["POST", "/api/v1/sessions", { metadata: { k: ["ok", "\u0000"] } }, "metadata.k.1"],
        ["PATCH", `/api/v1/sessions/${sid}`, { metadata: { "k\u0000": 1 } }, "metadata"],
        ["POST", "/api/v1/api-keys", { label: "\u0000" }, "label"],
      ];
      for (const [method, path, body, field] of cases) {
        const res = await world.json(method, path, { key: sandbox, body });
        assert.equal(res.status, 422, `${method} ${path} ${JSON.stringify(body)}`);
        assertErrorBody(res.body, 422, "validation_error");
        assert.ok(field in (res.body.fields as Json), JSON.stringify(res.body.fields));
      }
      let nested: unknown = "leaf";
      for (let i = 0; i < 40; i++) nested = { n: nested };
      const tooDeep = await world.json("POST", "/api/v1/sessions", { key: sandbox, body: { metadata: { k: nested } } });
      assertErrorBody(tooDeep.body, 422, "validation_error");
      // Ordinary nesting is fine.
      let shallow: unknown = "leaf";
      for (let i = 0; i < 10; i++) shallow = { n: shallow };
      const ok = await world.json("POST", "/api/v1/sessions", { key: sandbox, body: { metadata: { k: shallow } } });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.deepEqual((ok.body.metadata as Json).k, shallow);
    });

    await t.step("no 5xx for hostile input", async () => {
      const minted = await world.json("POST", "/api/v1/api-keys", { key: sandbox, body: { scopes: [...ALL_SCOPES] } });
      assert.equal(minted.status, 201);
      const key = minted.body.secret as string;
      const session = await world.json("POST", "/api/v1/sessions", { key, body: { external_ref: "fuzz" } });
      assert.equal(session.status, 201);
      const sid = session.body.id as string;
      const kid = minted.body.id as string;

      const deep = (depth: number, leaf: unknown = 1): unknown => {
        let value: unknown = leaf;
        for (let i = 0; i < depth; i++) value = { a: value };
        return value;
      };
      const deepText = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
      const deepArray = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

      const hostileSegments = [
        "' OR 1=1--",
        "1; DROP TABLE sessions;--",
        '"; SELECT pg_sleep(10);--',
        "%00",
        "ses_%00",
        "%00%00%00",
        "%",
        "%zz",
        "%ED%A0%80",
        "%C0%AF",
        "%FF%FE",
        "%E2%80%AE",
        "😀",
        "ses_😀",
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e",
        "a".repeat(8_000),
        "__proto__",
        "constructor",
        "null",
        "-1",
        "1e309",
        "%5Cx00",
        "%0d%0aSet-Cookie:%20x=1",
      ];
      const hostileValues = [
        "' OR '1'='1",
        "%' OR 1=1 --",
        "\\",
        "_",
        "%25",
        "%00",
        "%ED%A0%80",
        "%",
        "😀",
        "ｓｅｓ",
        "q".repeat(100_000),
        "%E2%80%AE",
        "0x00",
        "$1",
        "::text",
      ];
      const queryNames = ["q", "status", "external_ref", "created_after", "created_before", "limit", "offset"];
      const extraQueries = [
        "limit=-1",
        "limit=1e400",
        "limit=0",
        "limit=101",
        "limit=1.5",
        "offset=99999999999999999999",
        "offset=-5",
        "limit[]=1",
        "status=pending&status=bogus",
        "status=pending,completed",
        "created_after=2024-13-45",
        "created_after=0000-01-01",
        "created_after=9999-12-31T23:59:59Z",
        "created_after=2024-01-01T99:99:99Z",
        "created_before=275760-09-13",
        "created_after=2024-01-01T00:00:00%2B99:00",
        "page[after]=x&page[size]=-1",
        "q&q&q",
        "q=" + "%00".repeat(100),
      ];

      const hostileBodies: unknown[] = [
        [],
        [{}],
        "string",
        123,
        null,
        true,
        { external_ref: 123 },
        { external_ref: ["a"] },
        { external_ref: { $ne: null } },
        { external_ref: "\u0000" },
        { external_ref: "a\u0000b" },
        { external_ref: "\ud800" },
        { external_ref: "😀".repeat(300) },
        { external_ref: "x".repeat(100_000) },
        { metadata: [] },
        { metadata: "x" },
        { metadata: { k: "\u0000" } },
        { metadata: { "\u0000": 1 } },
        { metadata: { k: deep(200) } },
        { metadata: { k: 1e308, n: -0, big: 123456789012345678901234567890 } },
        { fields: [] },
        { fields: "x" },
        { fields: { address: [] } },
        { fields: { address: "x" } },
        { fields: { first_name: { type: "string", value: { nested: 1 } } } },
        { fields: { first_name: 42, date_of_birth: "2024-02-30", email: ["a@b.c"] } },
        { fields: { first_name: "\u0000" } },
        { fields: deep(200) },
        { data: [] },
        { data: { attributes: [] } },
        { data: { attributes: { external_ref: 1 } } },
        { country: 12 },
        { country: "\u0000\u0000" },
        { redirect_url: 5 },
        { redirect_url: "javascript:alert(1)" },
        { redirect_url: "http://" + "a".repeat(5000) + ".com" },
        { checks: "liveness" },
        { checks: [null] },
        { send_email: "yes" },
        { __proto__: { admin: true } },
        { constructor: { prototype: { admin: true } } },
        { label: 123 },
        { label: "\u0000" },
        { note: "n\u0000" },
        { scopes: "sessions:read" },
        { scopes: [1] },
        { scopes: [null] },
        { scopes: ["sessions:read\u0000"] },
        { allowed_ips: "1.2.3.4" },
        { allowed_ips: [null] },
        { allowed_ips: ["1.2.3.4/-1"] },
        { allowed_ips: ["::ffff:1.2.3.4/200"] },
        { allowed_ips: ["1.2.3.4/0x10"] },
        { allowed_ips: ["1.2.3.4\u0000"] },
        { allowed_ips: Array(200).fill("10.0.0.1") },
        { allowed_origins: ["javascript:alert(1)"] },
        { expires_at: 123 },
        { expires_at: "2099-01-01T00:00:00+99:99" },
        { expires_at: "9999-12-31T23:59:59Z" },
        { expires_at: "+275760-09-13T00:00:00Z" },
        { expires_at: "2099-02-30T00:00:00Z" },
        { environment: ["sandbox"] },
        { type: "admin" },
        { api_version: 20260101 },
        { default_key_inflection: null },
        { tag: ["x"] },
        { tag: "\u0000" },
        { tags: "x" },
        { tags: [{}] },
        { action: { approve: true } },
        { action: "\u0000" },
      ];
      const rawBodies = [
        deepText(5_000),
        deepText(200_000),
        deepArray(200_000),
        '{"metadata":{"k":' + deepText(5_000) + "}}",
        '{"fields":' + deepText(5_000) + "}",
        '{"metadata":{"k":' + deepText(150_000) + "}}",
        '{"fields":' + deepText(150_000) + "}",
        "[".repeat(150_000) + "]".repeat(150_000),
        '{"label":"a","label":"b"}',
        '{"external_ref":"\\ud800"}',
        '{"external_ref":"\\u0000"}',
        '{"metadata":{"\\u0000":"\\u0000"}}',
        "\ufeff{}",
        '{"__proto__":{"x":1}}',
        "1e999999",
        '"\\u0000"',
      ];

      type Probe = { method: string; path: string; body?: unknown; headers?: Record<string, string> };
      const probes: Probe[] = [];
      for (const segment of hostileSegments) {
        probes.push({ method: "GET", path: `/api/v1/sessions/${segment}` });
        probes.push({ method: "PATCH", path: `/api/v1/sessions/${segment}`, body: { external_ref: "x" } });
        probes.push({ method: "POST", path: `/api/v1/sessions/${segment}/expire` });
        probes.push({ method: "POST", path: `/api/v1/sessions/${segment}/resume` });
        probes.push({ method: "POST", path: `/api/v1/sessions/${segment}/tags`, body: { tag: "x" } });
        probes.push({ method: "DELETE", path: `/api/v1/sessions/${sid}/tags/${segment}` });
        probes.push({ method: "GET", path: `/api/v1/sessions/${segment}/result` });
        probes.push({ method: "POST", path: `/api/v1/sessions/${segment}/simulate`, body: { action: "approve" } });
        probes.push({ method: "GET", path: `/api/v1/results/${segment}` });
        probes.push({ method: "GET", path: `/api/v1/api-keys/${segment}` });
        probes.push({ method: "PATCH", path: `/api/v1/api-keys/${segment}`, body: { label: "x" } });
        probes.push({ method: "POST", path: `/api/v1/api-keys/${segment}/expire` });
      }
      for (const name of queryNames) {
        for (const value of hostileValues) {
          const encoded = /%/.test(value) && value.length < 300 ? value : encodeURIComponent(value);
          probes.push({ method: "GET", path: `/api/v1/sessions?${name}=${encoded}` });
          probes.push({ method: "GET", path: `/api/v1/results?${name}=${encoded}` });
          probes.push({ method: "GET", path: `/api/v1/api-keys?${name}=${encoded}` });
        }
      }
      for (const query of extraQueries) {
        for (const base of ["/api/v1/sessions", "/api/v1/results", "/api/v1/api-keys"]) {
          probes.push({ method: "GET", path: `${base}?${query}` });
        }
      }
      const bodyTargets = [
        ["POST", "/api/v1/sessions"],
        ["PATCH", `/api/v1/sessions/${sid}`],
        ["POST", `/api/v1/sessions/${sid}/tags`],
        ["PUT", `/api/v1/sessions/${sid}/tags`],
        ["POST", `/api/v1/sessions/${sid}/simulate`],
        ["POST", "/api/v1/api-keys"],
        ["PATCH", `/api/v1/api-keys/${kid}`],
      ];
      for (const [method, path] of bodyTargets) {
        for (const body of hostileBodies) probes.push({ method, path, body: JSON.stringify(body) });
        for (const body of rawBodies) probes.push({ method, path, body });
        probes.push({
          method,
          path,
          body: JSON.stringify({ external_ref: "i" }),
          headers: { "Idempotency-Key": "k".repeat(256) },
        });
        probes.push({ method, path, body: deepText(5_000), headers: { "Idempotency-Key": "deep" } });
        probes.push({ method, path, body: "{}", headers: { "Content-Type": "application/json; charset=utf-16" } });
      }
      const headerProbes: Record<string, string>[] = [
        { "Key-Inflection": "x".repeat(10_000) },
        { "Verifa-Version": "9".repeat(10_000) },
        { "Idempotency-Key": "" },
        { "Content-Type": "application/json".repeat(500) },
        { "X-Request-Id": "r".repeat(10_000) },
        { "Origin": "null" },
        { "X-Forwarded-For": "not-an-ip, ::1, 999.999.999.999" },
      ];
      for (const headers of headerProbes) {
        probes.push({ method: "GET", path: "/api/v1/sessions", headers });
        probes.push({ method: "POST", path: "/api/v1/sessions", body: "{}", headers });
      }

      // Spread the probes over fresh rate-limit windows so none of them is a 429 by volume.
      const failures: string[] = [];
      let refused = 0;
      for (const [index, probe] of probes.entries()) {
        if (index % 500 === 0) world.clock.advance(60_000);
        let res: Response;
        try {
          res = await world.request(probe.method, probe.path, {
            key,
            body: probe.body,
            headers: probe.headers,
          });
        } catch (error) {
          // A request the Fetch API itself refuses to build never reaches the server.
          if (error instanceof TypeError) {
            refused++;
            continue;
          }
          throw error;
        }
        const label = `${probe.method} ${probe.path.slice(0, 80)} ${String(probe.body ?? "").slice(0, 60)}`;
        const text = await res.text();
        if (res.status >= 500) {
          failures.push(`${res.status} ← ${label}: ${text.slice(0, 200)}`);
          continue;
        }
        if (!res.headers.get("x-request-id")) failures.push(`no X-Request-Id ← ${label}`);
        if (res.status >= 400) {
          try {
            assertErrorBody(JSON.parse(text), res.status);
          } catch (error) {
            failures.push(`bad error body ${res.status} ← ${label}: ${(error as Error).message.slice(0, 200)}`);
          }
        }
      }
      assert.deepEqual(failures, [], `${failures.length} of ${probes.length} probes failed:\n${failures.join("\n")}`);
      assert.ok(probes.length > 800 && refused < 10, `${refused} of ${probes.length} probes never reached the app`);

      // The fuzzing changed nothing it should not have.
      const after = await world.json("GET", `/api/v1/sessions/${sid}`, { key: sandbox });
      assert.equal(after.status, 200);
      const sessions = await world.db.selectFrom("sessions").select("id").execute();
      assert.ok(sessions.length > 0);
    });
  } finally {
    await world.close();
  }
});
