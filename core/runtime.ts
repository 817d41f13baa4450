/** Owns turning a parsed Config into the live dependency bundle (pool, key ring) and closing it. */
import type { Config } from "./config.ts";
import type { CoreDeps } from "./deps.ts";
import { createDb } from "./db/create_db.ts";
import { KeyRing } from "./crypto/key_ring.ts";
import type { Logger } from "./logger.ts";

export function createCoreDeps(config: Config, log: Logger): CoreDeps & { close(): Promise<void> } {
  const db = createDb(config.databaseUrl, config.dbPoolSize);
  return {
    db,
    keyRing: new KeyRing(config.encryptionKeys),
    indexKey: config.indexKey,
    publicUrl: config.publicUrl,
    clock: () => new Date(),
    log,
    close: () => db.destroy(),
  };
}
