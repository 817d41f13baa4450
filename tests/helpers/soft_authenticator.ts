/**
 * Owns a software passkey authenticator for HTTP tests: an ES256 key pair that answers the
 * server's WebAuthn options with a real registration ("none" attestation) and real assertions,
 * for any origin we tell it (so a test can make one for the wrong origin). A minimal CBOR encoder
 * covers what the attestation object and the COSE key need.
 */
import { createHash, createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import { Buffer } from "node:buffer";

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor> | { [key: string]: Cbor };

function head(major: number, n: number): number[] {
  if (n < 24) return [(major << 5) | n];
  if (n < 256) return [(major << 5) | 24, n];
  if (n < 65536) return [(major << 5) | 25, n >> 8, n & 255];
  return [(major << 5) | 26, (n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function cbor(value: Cbor): number[] {
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = new TextEncoder().encode(value);
    return [...head(3, bytes.length), ...bytes];
  }
  if (value instanceof Uint8Array) return [...head(2, value.length), ...value];
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return [...head(5, entries.length), ...entries.flatMap(([k, v]) => [...cbor(k), ...cbor(v)])];
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash("sha256").update(data).digest());
const u32 = (n: number) => [(n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];

// deno-lint-ignore no-explicit-any
type Options = any;

export class SoftAuthenticator {
  readonly credentialId = crypto.getRandomValues(new Uint8Array(16));
  #privateKey: KeyObject;
  #publicJwk: { x: string; y: string };
  #counter = 0;
  #userHandle = "";

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.#privateKey = privateKey;
    this.#publicJwk = publicKey.export({ format: "jwk" }) as { x: string; y: string };
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** The RegistrationResponseJSON navigator.credentials.create() would give, via @simplewebauthn/browser. */
  register(options: Options, origin: string) {
    this.#userHandle = options.user.id;
    const clientData = JSON.stringify({
      type: "webauthn.create",
      challenge: options.challenge,
      origin,
      crossOrigin: false,
    });
    const coseKey = new Map<Cbor, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, new Uint8Array(Buffer.from(this.#publicJwk.x, "base64url"))],
      [-3, new Uint8Array(Buffer.from(this.#publicJwk.y, "base64url"))],
    ]);
    const authData = new Uint8Array([
      ...sha256(options.rp.id),
      0x45, // user present, user verified, attested credential data
      ...u32(this.#counter),
      ...new Uint8Array(16), // AAGUID
      this.credentialId.length >> 8,
      this.credentialId.length & 255,
      ...this.credentialId,
      ...cbor(coseKey),
    ]);
    const attestation = new Uint8Array(cbor({ fmt: "none", attStmt: {}, authData }));
    return this.#credential({
      clientDataJSON: b64url(clientData),
      attestationObject: b64url(attestation),
      transports: ["internal"],
    });
  }

  /** The AuthenticationResponseJSON for `options`, signed as if the browser were at `origin`. */
  assert(options: Options, origin: string, rpId = options.rpId) {
    this.#counter += 1;
    const clientData = JSON.stringify({
      type: "webauthn.get",
      challenge: options.challenge,
      origin,
      crossOrigin: false,
    });
    const authData = new Uint8Array([...sha256(rpId), 0x05, ...u32(this.#counter)]);
    const signature = createSign("sha256").update(authData).update(sha256(clientData)).sign(this.#privateKey);
    return this.#credential({
      clientDataJSON: b64url(clientData),
      authenticatorData: b64url(authData),
      signature: b64url(new Uint8Array(signature)),
      userHandle: this.#userHandle,
    });
  }

  /** The PublicKeyCredential JSON around an authenticator response. */
  #credential<R>(response: R) {
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response,
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }
}
