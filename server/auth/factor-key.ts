import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

// The key that seals second-factor secrets at rest (authenticator apps' keys), derived from
// SESSION_SECRET: a copy of the database alone does not give the codes away.
let key: Buffer | null = null;

/** Derives the sealing key from the deployment's SESSION_SECRET; called once at start-up. */
export function setFactorSecret(sessionSecret: string): void {
  key = createHmac("sha256", sessionSecret).update("accord: second-factor secrets").digest();
}

/** Seals `plain` with AES-256-GCM: a 12-byte nonce, the 16-byte tag, then the ciphertext. */
export function sealSecret(plain: Uint8Array): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(), iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Opens what `sealSecret` sealed; null when it was sealed with another key or altered. */
export function openSecret(sealed: Uint8Array): Uint8Array | null {
  if (sealed.length < 29) return null;
  const bytes = Buffer.from(sealed);
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealingKey(), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return new Uint8Array(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]));
  } catch {
    return null;
  }
}

function sealingKey(): Buffer {
  if (!key) throw new Error("The second-factor key is not set: call setFactorSecret at start-up.");
  return key;
}
