/** The migrated database that each test file's database is copied from. */
export const TEMPLATE_DATABASE = "accord_test_template";

/** The same server as `url`, on its maintenance database, for CREATE/DROP DATABASE. */
export function adminUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = "/postgres";
  return parsed.toString();
}
