import { describe, expect, it } from "vitest";
import { ConfigError, MIN_SECRET_LENGTH, readConfig } from "./config";

const PRODUCTION = { NODE_ENV: "production", PORT: "0" } as const;
const GOOD = "0123456789abcdef0123456789abcdef";

describe("readConfig and SESSION_SECRET", () => {
  it.each([
    ["absent", undefined, /SESSION_SECRET is not set, and NODE_ENV=production needs one/],
    ["empty", "", /SESSION_SECRET is not set/],
    ["the development value", "accord-development-secret-do-not-use-in-production", /the development value/],
    ["too short", "x".repeat(MIN_SECRET_LENGTH - 1), /31 characters long; NODE_ENV=production needs at least 32/],
  ])("refuses production with a secret that is %s, saying how to make one", (_case, secret, message) => {
    const env = secret === undefined ? PRODUCTION : { ...PRODUCTION, SESSION_SECRET: secret };
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
    expect(() => readConfig(env)).toThrow(/openssl rand -hex 32/);
  });

  it("starts production with a long random secret, and development without one (with a warning)", () => {
    expect(readConfig({ ...PRODUCTION, SESSION_SECRET: GOOD }).sessionSecret).toBe(GOOD);
    const development = readConfig({ NODE_ENV: "development", PORT: "0" });
    expect(development.sessionSecret.length).toBeGreaterThan(0);
    expect(development.warnings.join(" ")).toMatch(/SESSION_SECRET is not set/);
  });
});
