// A test-only hook, loaded with `--import` before server/main.ts by test/process-failures.test.ts
// and never by the server itself: on SIGUSR2 it makes the fault named by ACCORD_TEST_FAULT happen
// on the event loop, outside every guard, as a bug would. Plain JavaScript: worker threads (the
// embedded database's) inherit the flag and load it without a TypeScript loader; it acts only on
// the main thread.
import process from "node:process";
import { setImmediate } from "node:timers";
import { isMainThread } from "node:worker_threads";

if (isMainThread) {
  process.on("SIGUSR2", () => {
    if (process.env.ACCORD_TEST_FAULT === "rejection") {
      void Promise.reject(new Error("a rejection nobody handles (test hook)"));
    } else {
      setImmediate(() => {
        throw new Error("an exception nobody catches (test hook)");
      });
    }
  });
}
