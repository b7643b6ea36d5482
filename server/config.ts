import { createHmac } from "node:crypto";
import path from "node:path";

/** Runtime settings read from the environment, with development defaults. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  /** The Redis that the instances of one deployment share (REDIS_URL); null for a single process. */
  redisUrl: string | null;
  /** The Redis channel of this deployment's instances (REDIS_CHANNEL), apart from any other deployment's on the same Redis. */
  redisChannel: string;
  origin: string;
  /** Whether ORIGIN was set; otherwise localhost and 127.0.0.1 on the bound port are ours. */
  originConfigured: boolean;
  sessionSecret: string;
  production: boolean;
  warnings: string[];
}

const DEV_SECRET = "accord-development-secret-do-not-use-in-production";
/** The shortest SESSION_SECRET accepted in production (32 hex characters are 128 bits). */
export const MIN_SECRET_LENGTH = 32;

/**
 * Reads the configuration; throws ConfigError when production lacks a usable SESSION_SECRET (absent,
 * the development value, or shorter than MIN_SECRET_LENGTH). A missing ORIGIN is only a warning.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const warnings: string[] = [];
  const production = env.NODE_ENV === "production";
  const port = Number.parseInt(env.PORT ?? "3000", 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a number from 0 to 65535, not "${env.PORT}".`);
  }
  const host = env.HOST || "localhost";
  const origin = (env.ORIGIN || `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`).replace(/\/$/, "");
  if (!env.ORIGIN) warnings.push(`ORIGIN is not set; assuming ${origin}. Set it to the public address in production.`);
  const redisUrl = env.REDIS_URL || null;
  // Instances share the truth in a Postgres server; the embedded database belongs to one process.
  if (redisUrl && !env.DATABASE_URL) {
    throw new ConfigError("REDIS_URL is set without DATABASE_URL: several instances share one Postgres server, and the embedded database serves one process. Set DATABASE_URL, or unset REDIS_URL.");
  }
  const sessionSecret = env.SESSION_SECRET || DEV_SECRET;
  // In production a known or guessable key would let anyone recompute the pseudonyms of client
  // addresses in the audit trail and the sign-in throttle: refuse rather than warn.
  if (production) checkProductionSecret(env.SESSION_SECRET);
  else if (!env.SESSION_SECRET) warnings.push("SESSION_SECRET is not set; using a development secret. Set it in production.");
  return {
    port,
    host,
    databaseUrl: env.DATABASE_URL || null,
    dataDir: path.resolve(env.DATA_DIR || "./data"),
    redisUrl,
    redisChannel: env.REDIS_CHANNEL || "accord",
    origin,
    originConfigured: Boolean(env.ORIGIN),
    sessionSecret,
    production,
    warnings,
  };
}

/** A configuration the process cannot start with. */
export class ConfigError extends Error {}

function checkProductionSecret(secret: string | undefined): void {
  const advice = `Set it to a random value of at least ${MIN_SECRET_LENGTH} characters, e.g. SESSION_SECRET=$(openssl rand -hex 32).`;
  if (!secret) throw new ConfigError(`SESSION_SECRET is not set, and NODE_ENV=production needs one. ${advice}`);
  if (secret === DEV_SECRET) throw new ConfigError(`SESSION_SECRET is the development value, which NODE_ENV=production refuses. ${advice}`);
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`SESSION_SECRET is ${secret.length} characters long; NODE_ENV=production needs at least ${MIN_SECRET_LENGTH}. ${advice}`);
  }
}

/**
 * A keyed pseudonym for a client address: throttling and the audit trail can tell addresses
 * apart without storing them.
 */
export function pseudonymiseAddress(secret: string, address: string): string {
  return createHmac("sha256", secret).update(address).digest("hex").slice(0, 16);
}
