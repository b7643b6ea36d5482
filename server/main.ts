import { readConfig, ConfigError } from "./config";
import { DatabaseUnavailableError } from "./db/connection";
import { MigrationError } from "./db/migrate";
import type { RemixSource } from "./http/app";
import { installProcessFailureHandlers } from "./process-failures";
import { loadBuild, startAccord, type Accord } from "./start";

// The process entry: `npm start` (production build) and `npm run dev` (Vite in middleware mode).
async function main(): Promise<void> {
  const running: { accord?: Accord } = {};
  // Installed first, so that no error ends the process unlogged; see process-failures.ts for why
  // an exception stops the process and a rejection does not.
  installProcessFailureHandlers({
    stop: () => {
      if (!running.accord) return undefined;
      // No new connections while the drafts are flushed.
      void running.accord.server.stopAccepting();
      return running.accord.stop();
    },
  });
  const config = readConfig();
  for (const warning of config.warnings) console.warn(`warning: ${warning}`);
  const remix = config.production ? await loadBuild() : await developmentRemix();
  const accord = await startAccord({ config, remix });
  running.accord = accord;
  const shared = accord.cluster ? `; instances share Redis channel "${config.redisChannel}"` : "";
  console.log(`Accord is serving ${accord.server.url} (database: ${accord.database.kind}${shared})`);

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      console.log(`${signal} received: finishing requests and closing the database…`);
      accord.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error("Shutdown failed:", error);
          process.exit(1);
        },
      );
    });
  }
}

async function developmentRemix(): Promise<RemixSource> {
  const { createServer } = await import("vite");
  const vite = await createServer({ server: { middlewareMode: true }, appType: "custom" });
  return { vite };
}

main().catch((error: unknown) => {
  if (error instanceof DatabaseUnavailableError || error instanceof MigrationError || error instanceof ConfigError) {
    console.error(`Accord cannot start: ${error.message}`);
  } else if (error instanceof Error && "code" in error && error.code === "EADDRINUSE") {
    console.error(`Accord cannot start: the address is already in use. Set PORT (and HOST) to a free one.`);
  } else if (error instanceof Error && /Cannot find module .*build\/server/.test(error.message)) {
    console.error("Accord cannot start: there is no build. Run `npm run build` first (npm start does it for you).");
  } else {
    console.error("Accord cannot start:", error);
  }
  process.exit(1);
});
