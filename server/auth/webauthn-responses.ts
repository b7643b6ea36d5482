import type { AuthenticationResponseJSON, AuthenticatorTransportFuture, RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";

// What a browser sends back from navigator.credentials, checked before the WebAuthn library sees
// it: the library trusts the shape it is given, and a hostile client sends anything. The bounds
// sit well above what real authenticators produce (a clientDataJSON is a few hundred bytes, an
// attestation object with "none" attestation a few hundred more, an RSA-4096 signature 683
// characters), and unknown fields are dropped.

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const CHALLENGE = /^[A-Za-z0-9_-]{16,128}$/;

const KNOWN_TRANSPORTS: readonly AuthenticatorTransportFuture[] = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"];

function base64url(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .regex(BASE64URL)
    // No whole number of bytes encodes to 4n+1 characters.
    .refine((value) => value.length % 4 !== 1);
}

// The same bounds as the passkeys table's CHECK, so that a stored id is never refused by the database.
const credentialId = z.string().min(16).max(1400).regex(BASE64URL);

// Transports are hints the browser reports: unknown ones (a newer browser's) are dropped, not refused.
const transports = z
  .array(z.string().max(32))
  .max(16)
  .optional()
  .transform((list) => [...new Set((list ?? []).filter(isKnownTransport))].slice(0, 8));

const RegistrationResponse = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url(8_192),
    attestationObject: base64url(16_384),
    transports,
  }),
});

const AuthenticationResponse = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url(8_192),
    authenticatorData: base64url(8_192),
    signature: base64url(2_048),
    // A user handle is at most 64 bytes; some browsers send null for none.
    userHandle: base64url(128).nullish(),
  }),
});

/** A registration response of the expected shape, with its transports filtered; null for anything else. */
export function parseRegistrationResponse(value: unknown): RegistrationResponseJSON | null {
  const parsed = RegistrationResponse.safeParse(value);
  if (!parsed.success) return null;
  const { id, rawId, type, response } = parsed.data;
  // Extension outputs are not used here, and are not passed on unchecked.
  return { id, rawId, type, response, clientExtensionResults: {} };
}

/** An authentication response of the expected shape; null for anything else. */
export function parseAuthenticationResponse(value: unknown): AuthenticationResponseJSON | null {
  const parsed = AuthenticationResponse.safeParse(value);
  if (!parsed.success) return null;
  const { id, rawId, type, response } = parsed.data;
  return {
    id,
    rawId,
    type,
    response: { ...response, userHandle: response.userHandle ?? undefined },
    clientExtensionResults: {},
  };
}

/**
 * The challenge a response answers, read from its clientDataJSON, so that the stored challenge can
 * be found (and consumed) before the response is verified against it; null when there is none.
 */
export function challengeOf(clientDataJSON: string): string | null {
  try {
    const clientData: unknown = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
    if (typeof clientData !== "object" || clientData === null || !("challenge" in clientData)) return null;
    const { challenge } = clientData;
    return typeof challenge === "string" && CHALLENGE.test(challenge) ? challenge : null;
  } catch {
    return null;
  }
}

/** Whether `value` is a transport the WebAuthn library knows. */
export function isKnownTransport(value: string): value is AuthenticatorTransportFuture {
  return (KNOWN_TRANSPORTS as readonly string[]).includes(value);
}
