/**
 * Owns running an admin task as an operator does: `deno task <name>` as a real subprocess in the
 * project folder, against DATABASE_URL (a test database), with its exit code and output collected.
 */

const ROOT = new URL("../../", import.meta.url).pathname;

export interface TaskRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runAdminTask(databaseUrl: string, task: string, args: string[]): Promise<TaskRun> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", task, ...args],
    cwd: ROOT,
    env: { DATABASE_URL: databaseUrl, NO_COLOR: "1" },
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}
