import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BUILD_DIR } from "./start";

// The web app's server bundle (npm run build) imports the server's modules through `#accord/*`
// (vite.config.ts) instead of holding copies: one open database and one request language per
// process, with no key on globalThis.
function serverBundle(): { file: string; text: string }[] {
  const root = path.join(BUILD_DIR, "server");
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".js"))
    .map((file) => ({ file, text: readFileSync(path.join(root, file), "utf8") }));
}

describe("the web app's server bundle", () => {
  it("imports the server's, the schema's and the interface text's modules rather than copying them", () => {
    const bundle = serverBundle();
    const imports = new Set(bundle.flatMap(({ text }) => [...text.matchAll(/from "(#accord\/[^"]+)"/g)].map((match) => match[1])));
    for (const shared of ["#accord/server/domain/drafts.ts", "#accord/i18n/translate.ts", "#accord/schema/prosemirror.ts"]) expect(imports).toContain(shared);
    for (const { file, text } of bundle) {
      // Text that only the server's modules hold: the registry's refusal, the language store.
      expect(text, file).not.toContain("No database is open");
      expect(text, file).not.toContain("new AsyncLocalStorage");
      expect(text, file).not.toMatch(/from "\.\.?\/[^"]*\.ts"/);
    }
  });
});
