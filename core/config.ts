/**
 * Owns the process configuration: every environment variable Verifa reads is declared here,
 * parsed once at boot into a frozen Config, and every bad variable is reported in one error.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface KeyEntry {
  /** Short identifier written beside each ciphertext or signature so old keys keep decrypting. */
  id: string;
  key: Uint8Array;
}

export interface S3Config {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

export interface SmtpSettings {
  /** smtp:// (STARTTLS when offered) or smtps:// (implicit TLS), with credentials if the server wants them. */
  url: string;
  /** The sender of every message. */
  from: string;
}

export interface Config {
  port: number;
  publicUrl: string;
  databaseUrl: string;
  dbPoolSize: number;
  /** First key encrypts; all of them decrypt (rotation). */
  encryptionKeys: readonly KeyEntry[];
  /** HMAC key for blind indexes; changing it requires re-indexing, so it is not a list. */
  indexKey: Uint8Array;
  /** First key signs URLs and cookies; all of them verify. */
  signingKeys: readonly KeyEntry[];
  s3: S3Config | null;
  blobDir: string;
  webhookAllowPrivate: boolean;
  runWorker: boolean;
  logLevel: LogLevel;
  trustProxy: boolean;
  /** Proxies of ours in front of the API (X-Forwarded-For entries read from the right); 0 without trustProxy. */
  trustedProxies: number;
  /** Outgoing mail (applicant invites); null: email features are off. */
  smtp: SmtpSettings | null;
  /** Serve the example host page /examples/embed (development; off in compose). */
  examples: boolean;
  /** A dashboard session unused for this long ends (each request restarts the count). */
  dashboardIdleTimeoutMinutes: number;
  /** Requests per minute on the public capture surface (/verify/…), per capture token and per client IP. */
  captureRateLimits: { perToken: number; perIp: number };
  /** Image decodes one API process runs at once, and uploads that may wait for a turn before a 503. */
  imageDecode: { concurrency: number; queue: number };
  /** Port of the Prometheus listener (/metrics, /livez, /readyz), apart from the public one; null: none. */
  metricsPort: number | null;
  /** Embedded mode's state folder and Postgres port (read before the config by core/embedded/embedded_env.ts). */
  dataDir: string;
  embeddedPgPort: number;
}

/** The embedded mode's defaults, one place for the config and the embedded environment. */
export const DEFAULT_DATA_DIR = ".verifa";
export const DEFAULT_EMBEDDED_PG_PORT = 54320;

/** Every variable the product accepts, with its meaning; the README table is generated from the same words. */
export const CONFIG_VARIABLES: Record<string, string> = {
  PORT: "HTTP port of the API (default 8080).",
  VERIFA_PUBLIC_URL: "Origin applicants and operators reach, used in capture_url (default http://localhost:PORT).",
  DATABASE_URL: "Postgres connection string. Unset: `deno task start` runs an embedded Postgres under VERIFA_DATA_DIR.",
  VERIFA_DATA_DIR: "Folder for embedded-mode state: Postgres data, blobs, dev keys, credentials (default .verifa).",
  VERIFA_EMBEDDED_PG_PORT: "Port of the embedded Postgres (default 54320).",
  VERIFA_DB_POOL_SIZE: "Connections in each process's pool (default 20).",
  VERIFA_ENCRYPTION_KEYS:
    "Comma-separated `id:base64` AES-256 keys (32 bytes each). The first encrypts, all decrypt. Required with DATABASE_URL.",
  VERIFA_INDEX_KEY: "base64 32-byte HMAC key for blind indexes. Required with DATABASE_URL.",
  VERIFA_SIGNING_KEYS:
    "Comma-separated `id:base64` HMAC keys (≥32 bytes) for signed URLs and cookies; the first signs. Required with DATABASE_URL.",
  VERIFA_S3_ENDPOINT: "S3/MinIO endpoint URL, e.g. http://minio:9000. Unset: documents go to the filesystem store.",
  VERIFA_S3_ACCESS_KEY: "S3 access key (required with VERIFA_S3_ENDPOINT).",
  VERIFA_S3_SECRET_KEY: "S3 secret key (required with VERIFA_S3_ENDPOINT).",
  VERIFA_S3_BUCKET: "Bucket for documents (default verifa-documents).",
  VERIFA_S3_REGION: "S3 region (default us-east-1).",
  VERIFA_BLOB_DIR: "Folder of the filesystem blob store (default VERIFA_DATA_DIR/blobs).",
  VERIFA_WEBHOOK_ALLOW_PRIVATE:
    "true allows webhook URLs on private or loopback addresses. Development only (default false).",
  VERIFA_RUN_WORKER:
    "true runs the pg-boss worker inside the API process (default true for `deno task start`, false in compose).",
  VERIFA_LOG_LEVEL: "debug, info, warn or error (default info).",
  VERIFA_TRUST_PROXY: "true takes the client IP from X-Forwarded-For (only behind a proxy you run; default false).",
  VERIFA_TRUSTED_PROXIES:
    "With VERIFA_TRUST_PROXY: how many proxies you run in front of the API (1–10, default 1). The client IP is the X-Forwarded-For entry that many from the right; entries further left are the client's own claims.",
  VERIFA_CAPTURE_RATE_LIMIT_PER_TOKEN:
    "Requests per minute one capture token may make on /verify/… (the hosted page and the capture API; default 120). Over it: 429 rate_limited with Retry-After.",
  VERIFA_CAPTURE_RATE_LIMIT_PER_IP:
    "Requests per minute one client IP may make on /verify/…, whatever the token (default 600: applicants behind one office NAT share it).",
  VERIFA_IMAGE_DECODE_CONCURRENCY:
    "Uploaded images one API process decodes at once (default 4; each may take ≈200 MB).",
  VERIFA_IMAGE_DECODE_QUEUE:
    "Uploads that may wait for a decode slot (default 16); beyond that an upload gets 503 service_unavailable with Retry-After.",
  VERIFA_EXAMPLES:
    "true serves the verifa.js example host page at /examples/embed (default true for `deno task start`, false in compose). It frames only this installation's own capture URLs.",
  VERIFA_DASHBOARD_IDLE_TIMEOUT_MINUTES:
    "Minutes of inactivity after which a dashboard session ends and the operator signs in again (1–480, default 30).",
  VERIFA_METRICS_PORT:
    "Port of a second listener serving Prometheus metrics at /metrics, and /livez and /readyz (the worker's health check), in each API and worker process. Keep it off the public network. Unset: no such listener.",
  VERIFA_SMTP_URL:
    "SMTP server for applicant invites: smtp://user:pass@host:587 (STARTTLS) or smtps://…:465; `?from=addr` sets the sender (default no-reply@ the public host). Unset: invites are off.",
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

export interface ConfigDefaults {
  runWorker: boolean;
  /** VERIFA_EXAMPLES when unset: on for `deno task start` (the one-machine development mode). */
  examples?: boolean;
}

/** Parses the environment; throws ConfigError naming every bad variable at once. */
export function parseConfig(env: Env, defaults: ConfigDefaults = { runWorker: false }): Readonly<Config> {
  const problems: string[] = [];
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === "" ? undefined : v;
  };

  const port = parseInteger("PORT", value("PORT") ?? "8080", 1, 65535, problems);
  const publicUrl = parsePublicUrl(value("VERIFA_PUBLIC_URL") ?? `http://localhost:${port}`, problems);

  const databaseUrl = value("DATABASE_URL");
  if (!databaseUrl) problems.push("DATABASE_URL: required (the embedded mode of `deno task start` sets it for you).");
  else if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push("DATABASE_URL: must be a postgres:// or postgresql:// URL.");
  }

  const dbPoolSize = parseInteger("VERIFA_DB_POOL_SIZE", value("VERIFA_DB_POOL_SIZE") ?? "20", 1, 500, problems);
  const encryptionKeys = parseKeyList("VERIFA_ENCRYPTION_KEYS", value("VERIFA_ENCRYPTION_KEYS"), 32, 32, problems);
  const signingKeys = parseKeyList("VERIFA_SIGNING_KEYS", value("VERIFA_SIGNING_KEYS"), 32, 128, problems);
  const indexKey = parseSingleKey("VERIFA_INDEX_KEY", value("VERIFA_INDEX_KEY"), problems);

  let s3: S3Config | null = null;
  const s3Endpoint = value("VERIFA_S3_ENDPOINT");
  if (s3Endpoint) {
    if (!isHttpUrl(s3Endpoint)) problems.push("VERIFA_S3_ENDPOINT: must be an http(s) URL.");
    const accessKey = value("VERIFA_S3_ACCESS_KEY");
    const secretKey = value("VERIFA_S3_SECRET_KEY");
    if (!accessKey) problems.push("VERIFA_S3_ACCESS_KEY: required when VERIFA_S3_ENDPOINT is set.");
    if (!secretKey) problems.push("VERIFA_S3_SECRET_KEY: required when VERIFA_S3_ENDPOINT is set.");
    const bucket = value("VERIFA_S3_BUCKET") ?? "verifa-documents";
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      problems.push("VERIFA_S3_BUCKET: not a valid bucket name.");
    }
    s3 = {
      endpoint: s3Endpoint,
      accessKey: accessKey ?? "",
      secretKey: secretKey ?? "",
      bucket,
      region: value("VERIFA_S3_REGION") ?? "us-east-1",
    };
  }

  const dataDir = value("VERIFA_DATA_DIR") ?? DEFAULT_DATA_DIR;
  const blobDir = value("VERIFA_BLOB_DIR") ?? `${dataDir}/blobs`;
  const webhookAllowPrivate = parseBoolean(
    "VERIFA_WEBHOOK_ALLOW_PRIVATE",
    value("VERIFA_WEBHOOK_ALLOW_PRIVATE"),
    false,
    problems,
  );
  const runWorker = parseBoolean("VERIFA_RUN_WORKER", value("VERIFA_RUN_WORKER"), defaults.runWorker, problems);
  const trustProxy = parseBoolean("VERIFA_TRUST_PROXY", value("VERIFA_TRUST_PROXY"), false, problems);
  const trustedProxiesRaw = value("VERIFA_TRUSTED_PROXIES");
  if (trustedProxiesRaw !== undefined && !trustProxy) {
    problems.push(
      "VERIFA_TRUSTED_PROXIES: set only with VERIFA_TRUST_PROXY=true (without it X-Forwarded-For is ignored).",
    );
  }
  const trustedProxies = trustProxy
    ? parseInteger("VERIFA_TRUSTED_PROXIES", trustedProxiesRaw ?? "1", 1, 10, problems)
    : 0;
  const logLevel = (value("VERIFA_LOG_LEVEL") ?? "info") as LogLevel;
  if (!["debug", "info", "warn", "error"].includes(logLevel)) {
    problems.push("VERIFA_LOG_LEVEL: must be debug, info, warn or error.");
  }
  let smtp: SmtpSettings | null = null;
  const smtpUrl = value("VERIFA_SMTP_URL");
  if (smtpUrl) {
    const parsed = parseSmtpUrl(smtpUrl, publicUrl);
    if (typeof parsed === "string") problems.push(`VERIFA_SMTP_URL: ${parsed}`);
    else smtp = parsed;
  }
  const integer = (name: string, fallback: number, min: number, max: number) =>
    parseInteger(name, value(name) ?? String(fallback), min, max, problems);
  const captureRateLimits = {
    perToken: integer("VERIFA_CAPTURE_RATE_LIMIT_PER_TOKEN", 120, 1, 100_000),
    perIp: integer("VERIFA_CAPTURE_RATE_LIMIT_PER_IP", 600, 1, 1_000_000),
  };
  const imageDecode = {
    concurrency: integer("VERIFA_IMAGE_DECODE_CONCURRENCY", 4, 1, 64),
    queue: integer("VERIFA_IMAGE_DECODE_QUEUE", 16, 0, 10_000),
  };
  const examples = parseBoolean("VERIFA_EXAMPLES", value("VERIFA_EXAMPLES"), defaults.examples ?? false, problems);
  const dashboardIdleTimeoutMinutes = parseInteger(
    "VERIFA_DASHBOARD_IDLE_TIMEOUT_MINUTES",
    value("VERIFA_DASHBOARD_IDLE_TIMEOUT_MINUTES") ?? "30",
    1,
    480,
    problems,
  );
  const metricsPortRaw = value("VERIFA_METRICS_PORT");
  const metricsPort = metricsPortRaw === undefined
    ? null
    : parseInteger("VERIFA_METRICS_PORT", metricsPortRaw, 1, 65535, problems);
  // Metrics name queues, checks and key ids: they must never share the public listener.
  if (metricsPort !== null && metricsPort === port) problems.push("VERIFA_METRICS_PORT: must differ from PORT.");
  const embeddedPgPort = parseInteger(
    "VERIFA_EMBEDDED_PG_PORT",
    value("VERIFA_EMBEDDED_PG_PORT") ?? String(DEFAULT_EMBEDDED_PG_PORT),
    1,
    65535,
    problems,
  );

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    port,
    publicUrl,
    databaseUrl: databaseUrl!,
    dbPoolSize,
    encryptionKeys: Object.freeze(encryptionKeys.map((entry) => Object.freeze(entry))),
    indexKey: indexKey!,
    signingKeys: Object.freeze(signingKeys.map((entry) => Object.freeze(entry))),
    s3: s3 && Object.freeze(s3),
    blobDir,
    webhookAllowPrivate,
    runWorker,
    logLevel,
    trustProxy,
    trustedProxies,
    smtp: smtp && Object.freeze(smtp),
    examples,
    dashboardIdleTimeoutMinutes,
    captureRateLimits: Object.freeze(captureRateLimits),
    imageDecode: Object.freeze(imageDecode),
    metricsPort,
    dataDir,
    embeddedPgPort,
  });
}

function parseInteger(name: string, raw: string, min: number, max: number, problems: string[]): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    problems.push(`${name}: must be an integer from ${min} to ${max}, got "${raw}".`);
    return min;
  }
  return n;
}

function parseBoolean(name: string, raw: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined) return fallback;
  if (["true", "1", "yes"].includes(raw.toLowerCase())) return true;
  if (["false", "0", "no"].includes(raw.toLowerCase())) return false;
  problems.push(`${name}: must be true or false, got "${raw}".`);
  return fallback;
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function parsePublicUrl(raw: string, problems: string[]): string {
  if (!isHttpUrl(raw)) {
    problems.push(`VERIFA_PUBLIC_URL: must be an http(s) URL, got "${raw}".`);
    return raw;
  }
  return raw.replace(/\/+$/, "");
}

/**
 * Splits VERIFA_SMTP_URL into the connection URL and the sender: `?from=` names the sender,
 * otherwise it is no-reply at the public host. Returns a problem text for a bad value (without
 * echoing it: the URL may carry a password).
 */
function parseSmtpUrl(raw: string, publicUrl: string): SmtpSettings | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an smtp:// or smtps:// URL.";
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") return "must be an smtp:// or smtps:// URL.";
  if (!url.hostname) return "must name the SMTP host.";
  const from = url.searchParams.get("from");
  if (from !== null && !/^[^\s@<>]+@[^\s@<>]+$/.test(from)) return "from= must be an email address.";
  url.search = "";
  let host = "localhost";
  try {
    host = new URL(publicUrl).hostname;
  } catch { /* reported as VERIFA_PUBLIC_URL's own problem */ }
  return { url: url.toString(), from: from ?? `Verifa <no-reply@${host}>` };
}

function decodeBase64(raw: string): Uint8Array | null {
  try {
    const bin = atob(raw.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

function parseKeyList(
  name: string,
  raw: string | undefined,
  minBytes: number,
  maxBytes: number,
  problems: string[],
): KeyEntry[] {
  if (!raw) {
    problems.push(`${name}: required (generate one with \`deno task keygen\`).`);
    return [];
  }
  const entries: KeyEntry[] = [];
  const seen = new Set<string>();
  for (const [index, part] of raw.split(",").entries()) {
    const match = /^([A-Za-z0-9_-]{1,32}):(.+)$/.exec(part.trim());
    const key = match ? decodeBase64(match[2]) : null;
    if (!match || !key || key.length < minBytes || key.length > maxBytes) {
      const size = minBytes === maxBytes ? `${minBytes}` : `${minBytes}-${maxBytes}`;
      problems.push(`${name}: entry ${index + 1} must be id:base64 of ${size} bytes.`);
      continue;
    }
    if (seen.has(match[1])) problems.push(`${name}: key id "${match[1]}" appears twice.`);
    seen.add(match[1]);
    entries.push({ id: match[1], key });
  }
  return entries;
}

function parseSingleKey(name: string, raw: string | undefined, problems: string[]): Uint8Array | null {
  if (!raw) {
    problems.push(`${name}: required (generate one with \`deno task keygen\`).`);
    return null;
  }
  const key = decodeBase64(raw);
  if (!key || key.length !== 32) {
    problems.push(`${name}: must be base64 of 32 bytes.`);
    return null;
  }
  return key;
}
