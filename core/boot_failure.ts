/**
 * Owns the one sentence an operator reads when a process cannot start: what failed and which
 * variable to change. A boot failure is never a stack trace; the composition roots print this and
 * exit 78 (EX_CONFIG), so supervisors do not restart into the same failure.
 */
import { ConfigError } from "./config.ts";

/** A boot failure whose message is already the sentence to print. */
export class BootFailure extends Error {
  constructor(sentence: string) {
    super(sentence);
    this.name = "BootFailure";
  }
}

/** Fails fast, before a long boot commits to a port that something else already holds. */
export function assertPortFree(hostname: string, port: number, sentence: string): void {
  try {
    Deno.listen({ hostname, port }).close();
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) throw new BootFailure(sentence);
    throw error;
  }
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ECONNRESET"]);

function firstLine(text: string): string {
  return text.split("\n")[0].trim().replace(/[.:]$/, "");
}

export function describeBootFailure(error: unknown): string {
  if (error instanceof BootFailure || error instanceof ConfigError) return error.message;
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Deno.errors.ConnectionRefused || (typeof code === "string" && UNREACHABLE.has(code))) {
    return `Verifa cannot reach the database (${
      firstLine(message)
    }): check DATABASE_URL and that its Postgres is running.`;
  }
  // Postgres SQLSTATEs a wrong DATABASE_URL produces: bad credentials, missing database.
  if (code === "28P01" || code === "28000") {
    return `The database refused the credentials in DATABASE_URL (${firstLine(message)}): fix its user or password.`;
  }
  if (code === "3D000") {
    return `The database named in DATABASE_URL does not exist (${firstLine(message)}): create it or fix DATABASE_URL.`;
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    const path = /'([^']+)'/.exec(message)?.[1] ?? "the data dir";
    return `Verifa cannot write ${path} (${firstLine(message)}): set VERIFA_DATA_DIR to a folder this user can write.`;
  }
  return `Verifa could not start: ${firstLine(message) || "unknown error"}.`;
}
