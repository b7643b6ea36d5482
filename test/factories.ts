import type { Language } from "../i18n/languages";
import { randomBytes } from "node:crypto";
import type { Role } from "../server/auth/roles";
import { createUser, type User } from "../server/domain/users";

/** The password every factory-built account has. */
export const TEST_PASSWORD = "correct horse battery staple";

/** Creates an account; heads and delegates default to France. */
export async function buildUser(
  options: { role?: Role; delegation?: string | null; email?: string; displayName?: string; password?: string; language?: Language | null } = {},
): Promise<User> {
  const role = options.role ?? "delegate";
  const delegation =
    options.delegation !== undefined ? options.delegation : role === "head" || role === "delegate" ? "fr" : null;
  const suffix = randomBytes(4).toString("hex");
  return createUser({
    email: options.email ?? `${role}-${delegation ?? "x"}-${suffix}@example.org`,
    displayName: options.displayName ?? `Test ${role} ${suffix}`,
    role,
    delegationCode: delegation,
    password: options.password ?? TEST_PASSWORD,
    language: options.language ?? null,
  });
}
