/** `deno task keygen`: prints fresh VERIFA_ENCRYPTION_KEYS, VERIFA_INDEX_KEY and VERIFA_SIGNING_KEYS for a .env file. */
import { generateKeyMaterial } from "../core/embedded/dev_secrets.ts";

for (const [name, value] of Object.entries(generateKeyMaterial())) console.log(`${name}=${value}`);
