import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id settings: 19 MiB, 2 passes, 1 lane.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/** The shortest password an account may have. */
export const MIN_PASSWORD_LENGTH = 12;
/** The longest password accepted, to bound hashing work. */
export const MAX_PASSWORD_LENGTH = 256;

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Checks a password against its argon2id hash; a malformed hash never matches. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Hashed once, so that a sign-in with an unknown email costs as long as one with a wrong password.
let decoy: Promise<string> | undefined;
/** Spends the time of one verification, for unknown accounts. */
export async function verifyDecoy(password: string): Promise<void> {
  decoy ??= hashPassword("accord-decoy-password-for-timing");
  await verifyPassword(await decoy, password);
}
