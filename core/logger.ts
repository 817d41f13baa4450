/**
 * Owns structured logging: one JSON line per event. Callers pass ids and codes only; the logger
 * has no way to receive request bodies, so PII has no path into the logs.
 */
import type { LogLevel } from "./config.ts";
import { currentRequestId } from "./observability/request_scope.ts";

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(level: LogLevel, write: (line: string) => void = console.log): Logger {
  const emit = (at: LogLevel) => (msg: string, fields: LogFields = {}) => {
    if (RANK[at] < RANK[level]) return;
    // The request (or the job a request enqueued) being served, unless the caller names one.
    write(JSON.stringify({ ts: new Date().toISOString(), level: at, msg, request_id: currentRequestId(), ...fields }));
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
