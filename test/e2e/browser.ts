import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { CHROMIUM_PATH, launchChromium } from "../chromium";

/** Whether browser tests can run here. In CI they must: CI installs Chromium first. */
export const HAVE_CHROMIUM = fs.existsSync(CHROMIUM_PATH);
if (!HAVE_CHROMIUM && process.env.CI) {
  throw new Error(`Browser tests need Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH).`);
}
if (!HAVE_CHROMIUM) {
  console.warn(`Browser tests skipped: no Chromium at ${CHROMIUM_PATH}. Install it (apt-get install chromium) or set CHROMIUM_PATH.`);
}

const SCREENSHOTS = path.resolve("test/e2e/screenshots");
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export { launchChromium as launchBrowser };

/**
 * A page whose console errors (failed scripts, CSP refusals, hydration errors) and uncaught
 * exceptions are collected, so that `checkPage` can fail the test on any of them.
 */
export async function openPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  problemsOf.set(page, problems);
  return page;
}

const problemsOf = new WeakMap<Page, string[]>();

/**
 * Checks the page as it stands: no console errors so far, and no accessibility violation
 * that axe-core finds. Then writes a screenshot named `name`.
 */
export async function checkPage(page: Page, name: string, options: { allowConsole?: RegExp[] } = {}): Promise<void> {
  await page.waitForLoadState("networkidle");
  // page.evaluate runs outside the page's CSP, so axe can be injected without weakening it.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<AxeResults> } }).axe;
    const results = await axe.run(document);
    return results.violations.map((violation) => ({
      id: violation.id,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(" ")),
    }));
  });
  expect(violations, `accessibility violations on ${name} (${page.url()})`).toEqual([]);
  const problems = (problemsOf.get(page) ?? []).filter(
    (problem) => !(options.allowConsole ?? []).some((pattern) => pattern.test(problem)),
  );
  expect(problems, `browser errors on ${name} (${page.url()})`).toEqual([]);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

interface AxeResults {
  violations: { id: string; help: string; nodes: { target: string[] }[] }[];
}
