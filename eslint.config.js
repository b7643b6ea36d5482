import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "node_modules/", "data/", "public/build/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // The layers: no module reaches itself through others (type-only imports aside, which vanish at
  // run time), and the server never reaches into the web app: what both use (the document schema,
  // the interface text) lives in its own top-level folder.
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "import-x": importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  // Nothing live is a process global: what the process holds is created once by startAccord and
  // passed on (server/live.ts), and the web app's server bundle shares the server's modules rather
  // than copying them (vite.config.ts), so no module needs a key on globalThis to find another's.
  {
    files: ["app/**/*.{ts,tsx}", "server/**/*.ts", "schema/**/*.ts", "i18n/**/*.ts"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "Symbol", property: "for", message: "No process-wide registry: pass what is live from startAccord (server/live.ts)." },
      ],
      "no-restricted-globals": ["error", { name: "globalThis", message: "No process-wide state on globalThis: pass what is live from startAccord (server/live.ts)." }],
    },
  },
  {
    files: ["server/**/*.ts", "schema/**/*.ts", "i18n/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^(~/|(\\.\\./)+app/)", message: "The server and the shared folders do not import the web app (app/): move what both need to a shared top-level folder." }] },
      ],
    },
  },
);
