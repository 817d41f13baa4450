/**
 * Owns the messages between the worker and its engine sandbox, and how an engine's error crosses
 * the process boundary: an AppError keeps its code, detail and status (so `image_unreadable` is
 * still a finding about the document), anything else keeps its name and message (still transient).
 */
import { AppError, type ErrorCode } from "../../errors.ts";

export type SandboxOp =
  /** Loads an engine (if not yet) and describes it: its data members and the names of its methods. */
  | { op: "load"; engine: string }
  /** Calls one method; the sandbox loads the engine first if a restart lost it. */
  | { op: "call"; engine: string; method: string; args: unknown[] }
  /** The sandbox's own pid and resident memory. */
  | { op: "memory" };

export type SandboxRequest = SandboxOp & { id: number };

export type SandboxResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WireError };

export interface LoadedEngine {
  /** Members that are not functions (e.g. `versions`), as the engine holds them. */
  data: Record<string, unknown>;
  methods: string[];
}

export interface SandboxMemory {
  pid: number;
  rssBytes: number;
}

export interface WireError {
  name: string;
  message: string;
  app?: { code: string; detail: string; fields?: Record<string, string>; status: number };
}

/** Engine messages name files and libraries, never applicant data; they are cut short anyway. */
const MAX_MESSAGE = 300;

export function toWireError(error: unknown): WireError {
  if (error instanceof AppError) {
    return {
      name: error.name,
      message: error.detail,
      app: { code: error.code, detail: error.detail, fields: error.fields, status: error.status },
    };
  }
  if (error instanceof Error) return { name: error.name, message: error.message.slice(0, MAX_MESSAGE) };
  return { name: "Error", message: String(error).slice(0, MAX_MESSAGE) };
}

export function fromWireError(wire: WireError): Error {
  if (wire.app) {
    return new AppError(wire.app.code as ErrorCode, wire.app.detail, wire.app.fields, undefined, wire.app.status);
  }
  const error = new Error(wire.message);
  error.name = wire.name;
  return error;
}
