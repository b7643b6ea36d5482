import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { describeRequest } from "./request-summary";
import { decodePathSegment, isWellFormedHost, parseRequestTarget } from "./request-target";

describe("parseRequestTarget", () => {
  it.each([
    ["/collab/abc", { pathname: "/collab/abc", search: "" }],
    ["/collab/%", { pathname: "/collab/%", search: "" }],
    ["//", { pathname: "//", search: "" }],
    ["/p/x?y=%#frag", { pathname: "/p/x", search: "?y=%" }],
    ["/p?", { pathname: "/p", search: "" }],
    ["http://h:1/collab/x?q", { pathname: "/collab/x", search: "?q" }],
    ["http://[::1/collab/x", null],
    ["http:///collab/x", null],
    ["ftp://h/x", null],
    ["*", null],
    ["h:80", null],
    ["", null],
    [undefined, null],
    ["/a b", null],
    ["/a\u0000", null],
    ["/a\u007f", null],
  ])("%j → %j", (raw, parsed) => {
    expect(parseRequestTarget(raw)).toEqual(parsed);
  });
});

describe("decodePathSegment and isWellFormedHost", () => {
  it("answer instead of throwing", () => {
    expect(decodePathSegment("%C0%AF")).toBeNull();
    expect(decodePathSegment("%")).toBeNull();
    expect(decodePathSegment("a%20b")).toBe("a b");
    for (const host of ["localhost:3000", "127.0.0.1", "[::1]:80", "accord.example.org", undefined]) expect(isWellFormedHost(host)).toBe(true);
    for (const host of ["a b", "[::1", "h/x", "h:port", "[zz]", "", "h@x"]) expect(isWellFormedHost(host)).toBe(false);
  });
});

describe("describeRequest", () => {
  it("escapes and truncates what it logs and never writes a cookie or credential", () => {
    const request = {
      method: "GET",
      url: `/x\r\n[fatal] forged${"a".repeat(500)}`,
      httpVersion: "1.1",
      headers: { host: "h", cookie: "accord_session=secret-token", authorization: "Bearer secret", origin: "o\u0000" },
    } as unknown as IncomingMessage;
    const line = describeRequest(request);
    expect(line).not.toMatch(/secret/);
    expect(["\r", "\n", "\u0000"].some((character) => line.includes(character))).toBe(false);
    expect(line).toMatch(/also="cookie,authorization"/);
    expect(line).toMatch(/…\(\d+ chars\)/);
  });
});
