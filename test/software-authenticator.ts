import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";

// A software authenticator for tests: it holds real ES256 keys and produces the same bytes a
// security key and a browser would (an attestation object with "none" attestation, assertions
// signed over authenticatorData || SHA-256(clientDataJSON)), so that the server's verification
// runs the WebAuthn library for real. Nothing here mocks Accord's code.

/** What a test may change about one response, to play a hostile or confused client. */
export interface ResponseOverrides {
  /** The relying party id whose hash goes into the authenticator data, instead of the options'. */
  rpId?: string;
  /** The credential id to claim at registration, instead of a fresh one. */
  credentialId?: string;
}

interface Credential {
  id: string;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
}

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_ATTESTED_DATA = 0x40;

/** An authenticator that keeps its credentials in memory. */
export class SoftwareAuthenticator {
  /** Whether it verifies its user (a PIN, a fingerprint): sets the UV flag on what it signs. */
  userVerification: boolean;
  /** The signature counter; each assertion adds one first, unless the authenticator keeps none. */
  signCount = 0;
  private readonly keepsCounter: boolean;
  private readonly credentials: Credential[] = [];

  constructor(options: { userVerification?: boolean; keepsCounter?: boolean } = {}) {
    this.userVerification = options.userVerification ?? false;
    this.keepsCounter = options.keepsCounter ?? true;
  }

  /** The id of the credential it created last. */
  get credentialId(): string {
    const last = this.credentials.at(-1);
    if (!last) throw new Error("This authenticator holds no credential yet.");
    return last.id;
  }

  /** Creates a credential as navigator.credentials.create() would, on a page of `origin`. */
  register(options: PublicKeyCredentialCreationOptionsJSON, origin: string, overrides: ResponseOverrides = {}): RegistrationResponseJSON {
    if (this.credentials.some((credential) => options.excludeCredentials?.some((excluded) => excluded.id === credential.id))) {
      throw new Error("InvalidStateError: the authenticator already holds one of the excluded credentials.");
    }
    const rpId = overrides.rpId ?? options.rp.id ?? new URL(origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    if (!jwk.x || !jwk.y) throw new Error("The P-256 key has no coordinates.");
    const id = overrides.credentialId ?? randomBytes(32).toString("base64url");
    this.credentials.push({ id, rpId, userHandle: options.user.id, privateKey });

    const idBytes = Buffer.from(id, "base64url");
    // COSE_Key: kty EC2, alg ES256, crv P-256, x, y.
    const coseKey = new Map<number, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x, "base64url")],
      [-3, Buffer.from(jwk.y, "base64url")],
    ]);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(idBytes.length);
    const authData = Buffer.concat([
      this.authenticatorData(rpId, FLAG_ATTESTED_DATA, this.signCount),
      Buffer.alloc(16), // AAGUID: none given
      length,
      idBytes,
      encodeCbor(coseKey),
    ]);
    const attestationObject = encodeCbor(new Map<Cbor, Cbor>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]));
    return {
      id,
      rawId: id,
      type: "public-key",
      response: {
        clientDataJSON: clientData("webauthn.create", options.challenge, origin).toString("base64url"),
        attestationObject: attestationObject.toString("base64url"),
        transports: ["usb"],
      },
      authenticatorAttachment: "cross-platform",
      clientExtensionResults: {},
    };
  }

  /**
   * Signs a challenge as navigator.credentials.get() would, on a page of `origin`, with a credential
   * the options allow (or, with none listed, the latest for the relying party: a discoverable one).
   */
  authenticate(options: PublicKeyCredentialRequestOptionsJSON, origin: string, overrides: ResponseOverrides = {}): AuthenticationResponseJSON {
    const rpId = options.rpId ?? new URL(origin).hostname;
    const allowed = options.allowCredentials ?? [];
    const credential = [...this.credentials]
      .reverse()
      .find((candidate) => (allowed.length > 0 ? allowed.some((entry) => entry.id === candidate.id) : candidate.rpId === rpId));
    if (!credential) throw new Error("NotAllowedError: the authenticator holds no credential the options allow.");
    if (this.keepsCounter) this.signCount += 1;
    const authData = this.authenticatorData(overrides.rpId ?? rpId, 0, this.keepsCounter ? this.signCount : 0);
    const clientDataJSON = clientData("webauthn.get", options.challenge, origin);
    const signed = Buffer.concat([authData, sha256(clientDataJSON)]);
    // Node signs ECDSA in DER, which is what WebAuthn asks of ES256 assertions.
    const signature = sign("sha256", signed, credential.privateKey);
    return {
      id: credential.id,
      rawId: credential.id,
      type: "public-key",
      response: {
        clientDataJSON: clientDataJSON.toString("base64url"),
        authenticatorData: authData.toString("base64url"),
        signature: signature.toString("base64url"),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: "cross-platform",
      clientExtensionResults: {},
    };
  }

  // rpIdHash (32) | flags (1) | signCount (4, big-endian).
  private authenticatorData(rpId: string, extraFlags: number, counter: number): Buffer {
    const flags = FLAG_USER_PRESENT | (this.userVerification ? FLAG_USER_VERIFIED : 0) | extraFlags;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(Buffer.from(rpId)), Buffer.from([flags]), count]);
  }
}

function clientData(type: "webauthn.create" | "webauthn.get", challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

function sha256(data: Uint8Array): Buffer {
  return createHash("sha256").update(data).digest();
}

/** What the minimal CBOR encoder writes: integers, byte strings, text strings and maps. */
export type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

/** Encodes `value` as CBOR (RFC 8949), definite lengths only: enough for attestation objects and COSE keys. */
export function encodeCbor(value: Cbor): Buffer {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`CBOR here encodes integers only, not ${value}.`);
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  const parts = [head(5, value.size)];
  for (const [key, entry] of value) parts.push(encodeCbor(key), encodeCbor(entry));
  return Buffer.concat(parts);
}

// A data item's first byte (major type, then the argument inline or in the next 1, 2 or 4 bytes).
function head(major: number, argument: number): Buffer {
  const type = major << 5;
  if (argument < 24) return Buffer.from([type | argument]);
  if (argument < 0x100) return Buffer.from([type | 24, argument]);
  if (argument < 0x10000) {
    const bytes = Buffer.alloc(3);
    bytes[0] = type | 25;
    bytes.writeUInt16BE(argument, 1);
    return bytes;
  }
  if (argument < 0x100000000) {
    const bytes = Buffer.alloc(5);
    bytes[0] = type | 26;
    bytes.writeUInt32BE(argument, 1);
    return bytes;
  }
  throw new Error("CBOR here encodes arguments below 2^32.");
}
