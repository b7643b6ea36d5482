import { vitePlugin as remix } from "@remix-run/dev";
import path from "node:path";
import { defineConfig } from "vite";
import remixConfig from "./remix.config.js";

const ROOT = path.dirname(new URL(import.meta.url).pathname);
// The modules the web app shares with the server: its routes call the server's domain, which holds
// the process's live state (the open database, the request's language). The server bundle imports
// them, through the package's `#accord/*` imports, rather than holding copies of its own, so that
// the server entry and every route share one of each module. (In development, Vite loads both the
// server and the routes: see server/main.ts.)
const SHARED = /^\/(server|i18n|schema)\/[^?]*\.ts$/;
const isShared = (id: string) => id.startsWith(`${ROOT}/`) && SHARED.test(id.slice(ROOT.length));

export default defineConfig(({ isSsrBuild }) => ({
  plugins: [remix(remixConfig)],
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  build: {
    assetsInlineLimit: 0,
    ...(isSsrBuild
      ? {
          rollupOptions: {
            external: (id: string, _importer: string | undefined, isResolved: boolean) => isResolved && isShared(id),
            makeAbsoluteExternalsRelative: false,
            output: { paths: (id: string) => (isShared(id) ? `#accord${id.slice(ROOT.length)}` : id) },
          },
        }
      : {}),
  },
}));
