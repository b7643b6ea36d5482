import { readConfig } from "./config";
import { DatabaseUnavailableError, openDatabase } from "./db/connection";
import { migrate, MigrationError } from "./db/migrate";
import { setDatabase } from "./db/registry";
import { seedDemo } from "./demo/seed";
import { MIN_PASSWORD_LENGTH } from "./auth/password";

// `npm run seed:demo`: the demo accounts and sample draft, on the configured database.
async function main(): Promise<void> {
  const password = process.env.DEMO_PASSWORD;
  if (!password || password.length < MIN_PASSWORD_LENGTH) {
    console.error(
      `seed:demo needs DEMO_PASSWORD, the password of every demo account (at least ${MIN_PASSWORD_LENGTH} characters), e.g.\n` +
        "  DEMO_PASSWORD='choose-a-long-one' npm run seed:demo",
    );
    process.exit(1);
  }
  const config = readConfig();
  const database = await openDatabase(config);
  try {
    await migrate(database.sql);
    setDatabase(database);
    const result = await seedDemo(password);
    console.log(
      `Demo data ready (${database.kind} database): ${result.accounts} accounts — secretariat@example.org, ` +
        `<cc>.lead@example.org and <cc>.delegate@example.org for us au ca dk fr nl no uk — ` +
        `and the draft "code-of-conduct"${result.draftCreated ? " (created)" : " (already there)"}.`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof DatabaseUnavailableError || error instanceof MigrationError;
  console.error(known ? `seed:demo failed: ${error.message}` : error);
  process.exit(1);
});
