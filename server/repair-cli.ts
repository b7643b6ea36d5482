import { checkAllDrafts } from "./collab/repair";
import { DocumentRegistry } from "./collab/registry";
import { ServerEdits } from "./collab/server-edits";
import { readConfig } from "./config";
import { DatabaseUnavailableError, openDatabase } from "./db/connection";
import { migrate, MigrationError } from "./db/migrate";
import { setDatabase } from "./db/registry";

// `npm run repair:drafts [-- --dry-run]`: checks every draft's stored text against the schema and
// rewrites those outside it into their normalised form (one edit by the server each, audited as
// `draft.repaired`); `--dry-run` only lists them. Run it with Accord stopped: a running server makes
// the same check at start-up, and a second process must not append to the drafts it has loaded.
async function main(): Promise<void> {
  const dryRun = process.argv.includes("--dry-run");
  const config = readConfig();
  const database = await openDatabase(config);
  // Repairs go through a document registry of our own, as a server's do, so each is one stored edit.
  const registry = new DocumentRegistry();
  try {
    await migrate(database.sql);
    setDatabase(database);
    const report = await checkAllDrafts(new ServerEdits(registry), { dryRun });
    console.log(`Checked ${report.checked} draft(s) (${database.kind} database).`);
    for (const draftId of report.invalid) {
      const done = report.repaired.includes(draftId);
      console.log(`${draftId}: outside the schema${dryRun ? "" : done ? ", repaired" : ", unchanged (valid by the time it was repaired)"}`);
    }
    for (const failure of report.failed) console.error(`${failure.draftId}: could not be checked or repaired: ${failure.error}`);
    if (report.invalid.length === 0) console.log("Every draft's text is within the schema.");
    if (report.failed.length) process.exitCode = 1;
  } finally {
    await registry.closeAll();
    await database.close();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof DatabaseUnavailableError || error instanceof MigrationError;
  console.error(known ? `Repair failed: ${error.message}` : error);
  process.exit(1);
});
