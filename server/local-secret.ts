import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { MIN_SECRET_LENGTH } from "./config";

/** The file in the data folder that keeps a laptop's SESSION_SECRET between runs of `npm start`. */
export const LOCAL_SECRET_FILE = "session-secret";

/**
 * The SESSION_SECRET of a local `npm start` that was given none: made the first time and kept in
 * the data folder (readable by its owner alone), so that authenticator apps set up on one run
 * still work on the next (their keys are sealed with it). A deployment sets its own.
 */
export function localSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, LOCAL_SECRET_FILE);
  let secret = "";
  try {
    secret = fs.readFileSync(file, "utf8").trim();
  } catch {
    // None yet: made below.
  }
  if (secret.length >= MIN_SECRET_LENGTH) return secret;
  fs.mkdirSync(dataDir, { recursive: true });
  secret = randomBytes(32).toString("hex");
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

// `node --import tsx server/local-secret.ts` prints it, for package.json's `start`.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.stdout.write(localSessionSecret(path.resolve(process.env.DATA_DIR || "./data")));
}
