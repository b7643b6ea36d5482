import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LOCAL_SECRET_FILE, localSessionSecret } from "./local-secret";

describe("a laptop's SESSION_SECRET", () => {
  it("is made once, kept in the data folder for its owner alone, and the same on the next run", () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "accord-secret-")), "data");
    const first = localSessionSecret(dir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(localSessionSecret(dir)).toBe(first);
    expect(fs.statSync(path.join(dir, LOCAL_SECRET_FILE)).mode & 0o777).toBe(0o600);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it("replaces a kept secret too short for production", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accord-secret-"));
    fs.writeFileSync(path.join(dir, LOCAL_SECRET_FILE), "short\n");
    expect(localSessionSecret(dir)).toMatch(/^[0-9a-f]{64}$/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
