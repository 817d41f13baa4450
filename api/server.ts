/** Owns listening on a port: hands each request to the app with the peer address for IP checks. */
import type { App } from "./app.ts";
import { BootFailure } from "../core/boot_failure.ts";

/** The boot failure for a taken PORT, as `deno task start` and the API process report it. */
export function apiPortInUse(port: number): string {
  return `Port ${port} is already in use, so the Verifa API cannot listen there: set PORT to a free port.`;
}

export function serveApp(app: App, port: number, hostname = "0.0.0.0", onListen?: (port: number) => void) {
  try {
    return Deno.serve(
      { port, hostname, onListen: ({ port }) => onListen?.(port) },
      (request, info) => app.fetch(request, { remoteAddr: info.remoteAddr }),
    );
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) throw new BootFailure(apiPortInUse(port));
    throw error;
  }
}
