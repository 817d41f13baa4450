/**
 * Owns the configuration tests: parseConfig's defaults, its single error naming every bad
 * variable, the keys required with DATABASE_URL, the S3 settings, and the frozen result.
 */
import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../../core/config.ts";

const b64 = (length: number, fill = 7) => btoa(String.fromCharCode(...new Uint8Array(length).fill(fill)));

/** The smallest valid environment: a database and the three key settings. */
function baseEnv(): Record<string, string> {
  return {
    DATABASE_URL: "postgres://verifa:pw@db:5432/verifa",
    VERIFA_ENCRYPTION_KEYS: `k1:${b64(32)}`,
    VERIFA_INDEX_KEY: b64(32, 9),
    VERIFA_SIGNING_KEYS: `s1:${b64(48, 3)}`,
  };
}

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    return error;
  }
  assert.fail("parseConfig accepted a bad environment");
}

Deno.test("parseConfig", async (t) => {
  await t.step("defaults", () => {
    const config = parseConfig(baseEnv());
    assert.equal(config.port, 8080);
    assert.equal(config.publicUrl, "http://localhost:8080");
    assert.equal(config.databaseUrl, "postgres://verifa:pw@db:5432/verifa");
    assert.equal(config.dbPoolSize, 20);
    assert.equal(config.s3, null);
    assert.equal(config.blobDir, ".verifa/blobs");
    assert.equal(config.webhookAllowPrivate, false);
    assert.equal(config.runWorker, false);
    assert.equal(config.logLevel, "info");
    assert.equal(config.trustProxy, false);
    assert.deepEqual(config.encryptionKeys.map((k) => [k.id, k.key.length]), [["k1", 32]]);
    assert.deepEqual(config.signingKeys.map((k) => [k.id, k.key.length]), [["s1", 48]]);
    assert.equal(config.indexKey.length, 32);
    assert.ok(config.indexKey.every((byte) => byte === 9));
    // The caller decides whether the worker runs in-process by default.
    assert.equal(parseConfig(baseEnv(), { runWorker: true }).runWorker, true);
    assert.equal(parseConfig({ ...baseEnv(), VERIFA_RUN_WORKER: "false" }, { runWorker: true }).runWorker, false);
  });

  await t.step("explicit values are honoured", () => {
    const config = parseConfig({
      ...baseEnv(),
      PORT: "9090",
      VERIFA_PUBLIC_URL: "https://verify.example.com/",
      VERIFA_DB_POOL_SIZE: "5",
      VERIFA_DATA_DIR: "/var/lib/verifa",
      VERIFA_WEBHOOK_ALLOW_PRIVATE: "true",
      VERIFA_LOG_LEVEL: "debug",
      VERIFA_TRUST_PROXY: "1",
      VERIFA_ENCRYPTION_KEYS: `new:${b64(32, 1)}, old:${b64(32, 2)}`,
    });
    assert.equal(config.port, 9090);
    assert.equal(config.publicUrl, "https://verify.example.com", "trailing slash trimmed");
    assert.equal(config.dbPoolSize, 5);
    assert.equal(config.blobDir, "/var/lib/verifa/blobs");
    assert.equal(config.webhookAllowPrivate, true);
    assert.equal(config.logLevel, "debug");
    assert.equal(config.trustProxy, true);
    assert.deepEqual(config.encryptionKeys.map((k) => k.id), ["new", "old"], "order is kept: the first encrypts");
    assert.equal(parseConfig({ ...baseEnv(), PORT: "9090" }).publicUrl, "http://localhost:9090");
    assert.equal(parseConfig({ ...baseEnv(), VERIFA_BLOB_DIR: "/blobs" }).blobDir, "/blobs");
    // Blank values count as unset.
    assert.equal(parseConfig({ ...baseEnv(), PORT: "  ", VERIFA_LOG_LEVEL: "" }).port, 8080);
  });

  await t.step("every bad variable is reported at once in one ConfigError", () => {
    const error = configError({
      ...baseEnv(),
      PORT: "eighty",
      VERIFA_DB_POOL_SIZE: "0",
      VERIFA_LOG_LEVEL: "loud",
      VERIFA_TRUST_PROXY: "maybe",
    });
    assert.equal(error.problems.length, 4, error.message);
    for (const name of ["PORT", "VERIFA_DB_POOL_SIZE", "VERIFA_LOG_LEVEL", "VERIFA_TRUST_PROXY"]) {
      assert.ok(error.message.includes(name), `${name} missing from:\n${error.message}`);
      assert.equal(error.problems.filter((p) => p.startsWith(`${name}:`)).length, 1, name);
    }
    assert.equal(error.name, "ConfigError");
    assert.ok(error instanceof Error);
  });

  await t.step("a different mix of bad variables is also reported together", () => {
    const error = configError({
      DATABASE_URL: "mysql://db/verifa",
      VERIFA_ENCRYPTION_KEYS: `k1:${b64(16)}`,
      VERIFA_INDEX_KEY: "not base64!!",
      VERIFA_SIGNING_KEYS: `s1:${b64(48)},s1:${b64(48)}`,
      VERIFA_PUBLIC_URL: "ftp://example.com",
      PORT: "70000",
      VERIFA_EMBEDDED_PG_PORT: "-1",
      VERIFA_WEBHOOK_ALLOW_PRIVATE: "sure",
    });
    for (
      const name of [
        "DATABASE_URL",
        "VERIFA_ENCRYPTION_KEYS",
        "VERIFA_INDEX_KEY",
        "VERIFA_SIGNING_KEYS",
        "VERIFA_PUBLIC_URL",
        "PORT",
        "VERIFA_EMBEDDED_PG_PORT",
        "VERIFA_WEBHOOK_ALLOW_PRIVATE",
      ]
    ) {
      assert.ok(error.problems.some((p) => p.startsWith(`${name}:`)), `${name} missing from:\n${error.message}`);
    }
  });

  await t.step("missing keys with DATABASE_URL are an error, and so is a missing DATABASE_URL", () => {
    const error = configError({ DATABASE_URL: "postgresql://db/verifa" });
    for (const name of ["VERIFA_ENCRYPTION_KEYS", "VERIFA_INDEX_KEY", "VERIFA_SIGNING_KEYS"]) {
      assert.ok(error.problems.some((p) => p.startsWith(`${name}:`)), `${name} missing from:\n${error.message}`);
    }
    assert.ok(!error.problems.some((p) => p.startsWith("DATABASE_URL:")));
    const noDb = configError({ ...baseEnv(), DATABASE_URL: undefined });
    assert.deepEqual(noDb.problems.map((p) => p.split(":")[0]), ["DATABASE_URL"]);
  });

  await t.step("encryption keys must be 32 bytes with unique ids", () => {
    for (
      const bad of [
        `k1:${b64(31)}`,
        `k1:${b64(33)}`,
        b64(32),
        `k1:${b64(32)},`,
        `k1:${b64(32)},k1:${b64(32, 1)}`,
        `bad id:${b64(32)}`,
      ]
    ) {
      const error = configError({ ...baseEnv(), VERIFA_ENCRYPTION_KEYS: bad });
      assert.ok(error.problems.some((p) => p.startsWith("VERIFA_ENCRYPTION_KEYS:")), bad);
    }
    const short = configError({ ...baseEnv(), VERIFA_SIGNING_KEYS: `s1:${b64(16)}` });
    assert.ok(short.problems.some((p) => p.startsWith("VERIFA_SIGNING_KEYS:")));
    const index = configError({ ...baseEnv(), VERIFA_INDEX_KEY: b64(31) });
    assert.ok(index.problems.some((p) => p.startsWith("VERIFA_INDEX_KEY:")));
    // Error messages never echo key material.
    const secret = b64(31, 42);
    const leak = configError({ ...baseEnv(), VERIFA_ENCRYPTION_KEYS: `k1:${secret}`, VERIFA_INDEX_KEY: secret });
    assert.ok(!leak.message.includes(secret));
  });

  await t.step("S3 settings require the access and secret keys", () => {
    const error = configError({ ...baseEnv(), VERIFA_S3_ENDPOINT: "http://minio:9000" });
    assert.ok(error.problems.some((p) => p.startsWith("VERIFA_S3_ACCESS_KEY:")), error.message);
    assert.ok(error.problems.some((p) => p.startsWith("VERIFA_S3_SECRET_KEY:")), error.message);
    const onlyAccess = configError({
      ...baseEnv(),
      VERIFA_S3_ENDPOINT: "http://minio:9000",
      VERIFA_S3_ACCESS_KEY: "minio",
    });
    assert.deepEqual(onlyAccess.problems.map((p) => p.split(":")[0]), ["VERIFA_S3_SECRET_KEY"]);
    const badEndpoint = configError({
      ...baseEnv(),
      VERIFA_S3_ENDPOINT: "minio:9000",
      VERIFA_S3_ACCESS_KEY: "minio",
      VERIFA_S3_SECRET_KEY: "minio-secret",
      VERIFA_S3_BUCKET: "Bad_Bucket",
    });
    assert.ok(badEndpoint.problems.some((p) => p.startsWith("VERIFA_S3_ENDPOINT:")));
    assert.ok(badEndpoint.problems.some((p) => p.startsWith("VERIFA_S3_BUCKET:")));
    assert.ok(!badEndpoint.message.includes("minio-secret"), "the secret key is never echoed");

    const config = parseConfig({
      ...baseEnv(),
      VERIFA_S3_ENDPOINT: "http://minio:9000",
      VERIFA_S3_ACCESS_KEY: "minio",
      VERIFA_S3_SECRET_KEY: "minio-secret",
    });
    assert.deepEqual(config.s3, {
      endpoint: "http://minio:9000",
      accessKey: "minio",
      secretKey: "minio-secret",
      bucket: "verifa-documents",
      region: "us-east-1",
    });
    // Keys without an endpoint leave the filesystem store in charge.
    assert.equal(parseConfig({ ...baseEnv(), VERIFA_S3_ACCESS_KEY: "minio" }).s3, null);
  });

  await t.step("VERIFA_SMTP_URL: optional; the sender from ?from= or no-reply at the public host", () => {
    assert.equal(parseConfig(baseEnv()).smtp, null);
    const config = parseConfig({
      ...baseEnv(),
      VERIFA_PUBLIC_URL: "https://verify.example.org",
      VERIFA_SMTP_URL: "smtp://mailer:s3cret@mail.internal:587",
    });
    assert.deepEqual(config.smtp, {
      url: "smtp://mailer:s3cret@mail.internal:587",
      from: "Verifa <no-reply@verify.example.org>",
    });
    assert.ok(Object.isFrozen(config.smtp));
    const withFrom = parseConfig({ ...baseEnv(), VERIFA_SMTP_URL: "smtps://mail.internal?from=kyc@example.org" });
    assert.deepEqual(withFrom.smtp, { url: "smtps://mail.internal", from: "kyc@example.org" });
    const bad = configError({ ...baseEnv(), VERIFA_SMTP_URL: "http://user:hunter2@mail.internal" });
    assert.deepEqual(bad.problems, ["VERIFA_SMTP_URL: must be an smtp:// or smtps:// URL."]);
    assert.ok(!bad.message.includes("hunter2"), "the password is never echoed");
    assert.deepEqual(
      configError({ ...baseEnv(), VERIFA_SMTP_URL: "smtp://mail.internal?from=not-an-address" }).problems,
      ["VERIFA_SMTP_URL: from= must be an email address."],
    );
  });

  await t.step(
    "VERIFA_EXAMPLES: off unless asked for or `deno task start`'s default; the dashboard idle timeout",
    () => {
      assert.equal(parseConfig(baseEnv()).examples, false, "compose (api/main.ts) serves no example page");
      assert.equal(parseConfig(baseEnv(), { runWorker: true, examples: true }).examples, true);
      assert.equal(
        parseConfig({ ...baseEnv(), VERIFA_EXAMPLES: "false" }, { runWorker: true, examples: true }).examples,
        false,
      );
      assert.equal(parseConfig({ ...baseEnv(), VERIFA_EXAMPLES: "true" }).examples, true);
      assert.equal(parseConfig(baseEnv()).dashboardIdleTimeoutMinutes, 30);
      assert.equal(
        parseConfig({ ...baseEnv(), VERIFA_DASHBOARD_IDLE_TIMEOUT_MINUTES: "15" }).dashboardIdleTimeoutMinutes,
        15,
      );
      assert.deepEqual(
        configError({ ...baseEnv(), VERIFA_EXAMPLES: "sometimes", VERIFA_DASHBOARD_IDLE_TIMEOUT_MINUTES: "0" })
          .problems,
        [
          'VERIFA_EXAMPLES: must be true or false, got "sometimes".',
          'VERIFA_DASHBOARD_IDLE_TIMEOUT_MINUTES: must be an integer from 1 to 480, got "0".',
        ],
      );
    },
  );

  await t.step("the result is frozen", () => {
    const config = parseConfig({
      ...baseEnv(),
      VERIFA_S3_ENDPOINT: "http://minio:9000",
      VERIFA_S3_ACCESS_KEY: "minio",
      VERIFA_S3_SECRET_KEY: "minio-secret",
    });
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.s3));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
    assert.throws(() => {
      (config.s3 as { bucket: string }).bucket = "other";
    }, TypeError);
    assert.equal(config.port, 8080);
    assert.equal(config.s3?.bucket, "verifa-documents");
    assert.ok(Object.isFrozen(parseConfig(baseEnv())));
  });
});
