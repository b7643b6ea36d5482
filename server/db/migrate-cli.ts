import { readConfig } from "../config";
import { DatabaseUnavailableError, openDatabase } from "./connection";
import { migrate, MigrationError } from "./migrate";

// `npm run db:migrate`: applies pending migrations to the configured database and says which.
async function main(): Promise<void> {
  const config = readConfig();
  const database = await openDatabase(config);
  try {
    const ran = await migrate(database.sql);
    console.log(ran.length ? `Applied ${ran.join(", ")} (${database.kind} database).` : `Nothing to apply: the ${database.kind} database is up to date.`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof DatabaseUnavailableError || error instanceof MigrationError;
  console.error(known ? `Migration failed: ${error.message}` : error);
  process.exit(1);
});
