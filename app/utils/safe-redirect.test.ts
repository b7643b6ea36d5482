import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect";

describe("safeRedirectPath", () => {
  it.each([
    ["/drafts", "/drafts"],
    ["/drafts/code-of-conduct?tab=amendments#clause-3", "/drafts/code-of-conduct?tab=amendments#clause-3"],
    ["/drafts/caf%C3%A9", "/drafts/caf%C3%A9"],
    ["/", "/"],
  ])("keeps the same-origin path %j", (value, expected) => {
    expect(safeRedirectPath(value)).toBe(expected);
  });

  it.each([
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/%09/evil.example",
    "/%2F%2Fevil.example",
    "/%2fevil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "/%5Cevil.example",
    "\\/evil.example",
    "https://evil.example",
    "HTTPS://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "data:text/html,<script>alert(1)</script>",
    " /drafts",
    "/drafts\u0000",
    "/\u200b/evil.example",
    "/\u3000/evil.example",
    "/drafts%",
    "/%E0%A4%A",
    "",
    "/" + "a".repeat(3000),
    null,
    undefined,
    42,
  ])("replaces %j with /", (value) => {
    expect(safeRedirectPath(value)).toBe("/");
  });

  it("falls back to the given path", () => {
    expect(safeRedirectPath("//evil.example", "/drafts")).toBe("/drafts");
  });
});
