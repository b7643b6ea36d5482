import { afterEach, beforeEach, expect, vi } from "vitest";

// A test that makes the code under test log an error has found a fault, even when it passed.
let spy: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  spy = vi.spyOn(console, "error");
});

afterEach(() => {
  const calls = spy.mock.calls;
  spy.mockRestore();
  expect(calls, "console.error was called during the test").toEqual([]);
});
