/**
 * The migrated database that each test file's database is copied from: one per test run, so
 * that two runs against the same server do not drop each other's template.
 */
export function templateDatabaseName(runId: number): string {
  return `accord_test_template_${runId}`;
}

/** The same server as `url`, on its maintenance database, for CREATE/DROP DATABASE. */
export function adminUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = "/postgres";
  return parsed.toString();
}
