import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { CRASH_EXIT_CODE, installProcessFailureHandlers } from "./process-failures";

// The bounds of the policy that the child-process test (test/process-failures.test.ts) cannot
// reach without a stop that hangs: the handlers run on an emitter of their own here.

function harness(stop: () => Promise<void> | undefined, stopTimeoutMs = 100) {
  const emitter = new EventEmitter();
  const lines: string[] = [];
  const exits: number[] = [];
  const exited = new Promise<number>((resolve) =>
    installProcessFailureHandlers({ stop, stopTimeoutMs, emitter, log: (line) => lines.push(line), exit: (code) => (exits.push(code), resolve(code)) }),
  );
  return { emitter, lines, exits, exited };
}

describe("the process-level failure policy", () => {
  it("exits with code 70 once the stop has taken too long", async () => {
    const { emitter, lines, exited } = harness(() => new Promise<void>(() => undefined));
    emitter.emit("uncaughtException", new Error("boom"), "uncaughtException");
    expect(await exited).toBe(CRASH_EXIT_CODE);
    expect(lines.join("\n")).toMatch(/the stop took too long/);
  });

  it("exits at once on a second exception while stopping", async () => {
    const { emitter, exits, lines } = harness(() => new Promise<void>(() => undefined), 60_000);
    emitter.emit("uncaughtException", new Error("first"), "uncaughtException");
    expect(exits).toEqual([]);
    emitter.emit("uncaughtException", new Error("second"), "uncaughtException");
    expect(exits).toEqual([CRASH_EXIT_CODE]);
    expect(lines.join("\n")).toMatch(/a second uncaught exception while stopping/);
  });

  it("exits after a stop that fails, and before start-up finished (nothing to stop)", async () => {
    const failing = harness(() => Promise.reject(new Error("flush failed")));
    failing.emitter.emit("uncaughtException", new Error("boom"), "uncaughtException");
    expect(await failing.exited).toBe(CRASH_EXIT_CODE);
    expect(failing.lines.join("\n")).toMatch(/the stop failed: Error: flush failed/);
    const starting = harness(() => undefined);
    starting.emitter.emit("uncaughtException", new Error("boom"), "uncaughtException");
    expect(await starting.exited).toBe(CRASH_EXIT_CODE);
  });

  it("counts unhandled rejections and never exits for them", () => {
    const emitter = new EventEmitter();
    const exits: number[] = [];
    const handlers = installProcessFailureHandlers({ stop: () => undefined, emitter, log: () => undefined, exit: (code) => exits.push(code) });
    for (let i = 0; i < 3; i += 1) emitter.emit("unhandledRejection", new Error(`lost ${i}`));
    expect(handlers.unhandledRejections()).toBe(3);
    expect(exits).toEqual([]);
  });
});
