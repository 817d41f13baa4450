/**
 * Entry of the engine sandbox subprocess (started by core/verification/engines.ts with network
 * denied): serves the in-process face, OCR and barcode engines over its stdin and stdout.
 */
import { serveEngines } from "../engines/sandbox/serve.ts";
import { IN_PROCESS_ENGINES } from "./engines.ts";

if (import.meta.main) await serveEngines({ ...IN_PROCESS_ENGINES });
