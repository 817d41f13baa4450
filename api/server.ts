/** Owns listening on a port: hands each request to the app with the peer address for IP checks. */
import type { App } from "./app.ts";

export function serveApp(app: App, port: number, hostname = "0.0.0.0", onListen?: (port: number) => void) {
  return Deno.serve(
    { port, hostname, onListen: ({ port }) => onListen?.(port) },
    (request, info) => app.fetch(request, { remoteAddr: info.remoteAddr }),
  );
}
