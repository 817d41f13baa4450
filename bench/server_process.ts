/**
 * Owns running a bench server in a child Deno process, so the server under load never shares a
 * JS thread with the load generator: spawn, wait for the port it prints when listening, stop.
 */

export interface ServerProcess {
  name: string;
  pid: number;
  port: number;
  url: string;
  stop(): Promise<void>;
}

const REPO_ROOT = new URL("../", import.meta.url);
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

/** The parent's environment minus anything that configures Verifa, plus `env`. */
function childEnv(env: Record<string, string>): Record<string, string> {
  const inherited = Object.entries(Deno.env.toObject()).filter(([name]) =>
    !name.startsWith("VERIFA_") && name !== "DATABASE_URL" && name !== "PORT"
  );
  return { ...Object.fromEntries(inherited), NO_COLOR: "1", ...env };
}

export async function startServerProcess(
  name: string,
  script: URL,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script.pathname],
    cwd: REPO_ROOT.pathname,
    env: childEnv(env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();

  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  let port: number | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} server did not report a port within 60 s`)), READY_TIMEOUT_MS);
  });
  try {
    while (port === null) {
      const { value, done } = await Promise.race([lines.read(), timeout]);
      if (done) throw new Error(`${name} server exited before listening (status ${(await child.status).code})`);
      buffered += value;
      const match = /^(\d+)\s*$/m.exec(buffered);
      if (match) port = Number(match[1]);
    }
  } catch (error) {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    throw error;
  } finally {
    clearTimeout(timer);
  }
  // Keep draining stdout so a chatty server can never block on a full pipe.
  const drained = (async () => {
    try {
      for (;;) if ((await lines.read()).done) return;
    } catch { /* the process is gone */ }
  })();

  let stopped: Promise<void> | null = null;
  const stop = () =>
    stopped ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      const killer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
      }, STOP_TIMEOUT_MS);
      await child.status;
      clearTimeout(killer);
      await drained;
    })();

  return { name, pid: child.pid, port, url: `http://127.0.0.1:${port}`, stop };
}
