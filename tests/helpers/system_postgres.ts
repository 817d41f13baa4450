/**
 * Owns a Postgres server of the version the installed client tools can dump, for the backup and
 * restore tests: pg_dump refuses a server newer than itself, and the embedded package ships no
 * pg_dump, so these tests run Debian's PostgreSQL (the `postgresql` package .ci/run installs),
 * server and tools of one version, in a data dir of their own on a free port.
 */
import { startEmbeddedPostgres } from "../../core/embedded/embedded_postgres.ts";
import { randomString } from "../../core/ids.ts";
import { freePort, makeDataDir, stopStrayPostgres } from "./subprocess.ts";

export interface SystemPostgres {
  adminUrl: string;
  /** The folder holding this server's postgres, pg_dump and pg_restore. */
  binDir: string;
  major: number;
  stop(): Promise<void>;
}

const DEBIAN_ROOT = "/usr/lib/postgresql";

async function isFile(path: string): Promise<boolean> {
  return await Deno.stat(path).then((info) => info.isFile, () => false);
}

/** The newest Debian PostgreSQL whose server and dump tools are all installed. */
async function findInstalled(): Promise<{ binDir: string; major: number }> {
  const majors: number[] = [];
  try {
    for await (const entry of Deno.readDir(DEBIAN_ROOT)) if (/^\d+$/.test(entry.name)) majors.push(Number(entry.name));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  for (const major of majors.sort((a, b) => b - a)) {
    const binDir = `${DEBIAN_ROOT}/${major}/bin`;
    const tools = await Promise.all(
      ["postgres", "initdb", "pg_dump", "pg_restore"].map((t) => isFile(`${binDir}/${t}`)),
    );
    if (tools.every(Boolean)) return { binDir, major };
  }
  throw new Error(`no PostgreSQL server with pg_dump under ${DEBIAN_ROOT}: apt-get install postgresql (.ci/run does)`);
}

export async function startSystemPostgres(): Promise<SystemPostgres> {
  const { binDir, major } = await findInstalled();
  const dataDir = `${await makeDataDir("system-pg-")}/pg`;
  const server = await startEmbeddedPostgres({
    dataDir,
    port: freePort(),
    password: randomString(24),
    systemBinDir: binDir,
  });
  return {
    adminUrl: server.adminUrl,
    binDir,
    major,
    stop: async () => {
      await server.stop();
      await stopStrayPostgres(server.relocatedTo ?? dataDir);
      await Deno.remove(dataDir.replace(/\/pg$/, ""), { recursive: true }).catch(() => {});
    },
  };
}
