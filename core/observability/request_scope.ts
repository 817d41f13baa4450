/**
 * Owns the request id of the work in progress: the API sets it for the length of a request, the
 * worker for a job that request enqueued, so the logger and the job queue can carry one id from
 * the request into its jobs' log lines without every service passing it along.
 */
import { AsyncLocalStorage } from "node:async_hooks";

const scope = new AsyncLocalStorage<string>();

/** The key a job's data carries the enqueuing request's id under (an id, never PII). */
export const JOB_REQUEST_ID = "request_id";

/** Runs `fn` with `requestId` as the current request id (or as it is, when there is none). */
export function withRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return requestId ? scope.run(requestId, fn) : fn();
}

/**
 * Runs `fn` outside any request: for clients started lazily by the first request that needs them,
 * whose timers would otherwise carry that one request's id for the life of the process.
 */
export function outsideRequest<T>(fn: () => T): T {
  return scope.exit(fn);
}

export function currentRequestId(): string | undefined {
  return scope.getStore();
}

/** A job's data with the current request id added, when there is one. */
export function withJobRequestId<T extends object>(data: T): T {
  const requestId = currentRequestId();
  return requestId ? { ...data, [JOB_REQUEST_ID]: requestId } : data;
}

/** The request id a job's data carries, if any. */
export function jobRequestId(data: object): string | undefined {
  const value = (data as Record<string, unknown>)[JOB_REQUEST_ID];
  return typeof value === "string" ? value : undefined;
}
