import { readConfig } from "./config";
import { installProcessFailureHandlers } from "./process-failures";
import type { Accord } from "./start";

type Start = typeof import("./start");

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
  const accord = config.production ? await startProduction(config) : await startDevelopment(config);
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

// The production build's routes import the server's modules (vite.config.ts): one of each.
async function startProduction(config: ReturnType<typeof readConfig>): Promise<Accord> {
  const { loadBuild, startAccord } = await import("./start");
  return startAccord({ config, remix: await loadBuild() });
}

// In development Vite loads the routes, and with them the server's modules: the server is started
// from Vite's modules too, so that it and the routes share one of each (the open database, the
// request's language).
async function startDevelopment(config: ReturnType<typeof readConfig>): Promise<Accord> {
  const { createServer } = await import("vite");
  const vite = await createServer({ server: { middlewareMode: true }, appType: "custom" });
  const { startAccord } = (await vite.ssrLoadModule("/server/start.ts")) as Start;
  return startAccord({ config, remix: { vite } });
}

// Errors that explain themselves: the start-up's own, known by their class's name (in development
// they come from Vite's copy of the module that throws them).
const EXPLAINED = new Set(["DatabaseUnavailableError", "MigrationError", "ConfigError"]);

main().catch((error: unknown) => {
  if (error instanceof Error && EXPLAINED.has(error.constructor.name)) {
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
