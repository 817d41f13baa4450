/**
 * Owns the development secrets of the embedded mode: encryption, index and signing keys and the
 * Postgres password, generated once into the data dir (mode 0600). Never used with DATABASE_URL,
 * where the operator must supply real keys.
 */
import { encodeBase64 } from "../encoding.ts";
import { randomString } from "../ids.ts";

export interface DevSecrets {
  VERIFA_ENCRYPTION_KEYS: string;
  VERIFA_INDEX_KEY: string;
  VERIFA_SIGNING_KEYS: string;
  postgres_password: string;
}

export function generateKeyMaterial(): Omit<DevSecrets, "postgres_password"> {
  const key = () => encodeBase64(crypto.getRandomValues(new Uint8Array(32)));
  const id = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  return {
    VERIFA_ENCRYPTION_KEYS: `k${id}:${key()}`,
    VERIFA_INDEX_KEY: key(),
    VERIFA_SIGNING_KEYS: `s${id}:${key()}`,
  };
}

export async function loadOrCreateDevSecrets(dataDir: string): Promise<DevSecrets> {
  const file = `${dataDir}/dev-secrets.json`;
  try {
    return JSON.parse(await Deno.readTextFile(file)) as DevSecrets;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const secrets: DevSecrets = { ...generateKeyMaterial(), postgres_password: randomString(32) };
  await Deno.mkdir(dataDir, { recursive: true });
  await Deno.writeTextFile(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600, createNew: true });
  return secrets;
}
