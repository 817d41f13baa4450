/**
 * Owns how a long admin command (key rotation, template re-derivation) stops on Ctrl-C: the first
 * interrupt lets the batch in flight finish and the command report where it stopped (each is
 * resumable), a second one exits at once.
 */
import { takeOverShutdownSignals } from "./embedded_postgres.ts";

export function interruptOnCtrlC(): AbortSignal {
  takeOverShutdownSignals();
  const controller = new AbortController();
  Deno.addSignalListener("SIGINT", () => {
    if (controller.signal.aborted) Deno.exit(130);
    console.error("\ninterrupt: finishing the batch in flight (Ctrl-C again to stop at once)");
    controller.abort();
  });
  return controller.signal;
}
