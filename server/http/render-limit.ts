import type { RequestHandler } from "express";
import { refuseRequest } from "./failure-answers";
import { isPublicAddress } from "./public-page-cache";

/** Bounds of the public renders one process runs. */
export interface RenderLimitOptions {
  /** Renders at once; the others wait their turn. */
  concurrency?: number;
  /** Requests that may wait; past this, a request is refused at once. */
  queue?: number;
  /** How long a request waits for its turn before it is refused (ms). */
  maxWaitMs?: number;
  /** What `Retry-After` tells a refused reader (seconds). */
  retryAfterSeconds?: number;
}

/** What the limit did so far (for tests and diagnostics). */
export interface RenderLimitStats {
  /** Renders running now. */
  active: number;
  queued: number;
  /** The most renders that ever ran at once. */
  peakActive: number;
  /** Requests refused with 503, the queue being full or their wait too long. */
  refused: number;
}

/** A limit on the public site's renders: the requests the public page cache could not answer. */
export interface RenderLimit {
  /** Express middleware that holds a public request until a render slot is free, or refuses it. */
  middleware: RequestHandler;
  stats(): RenderLimitStats;
}

interface Waiting {
  start: () => void;
  timer: NodeJS.Timeout;
}

/**
 * Creates a limit. An anonymous client that misses the cache on purpose (a new Host, a signed-in
 * flood, a version that changes every second) costs a render each time, ten milliseconds of CPU or
 * more for a PDF: without a bound, a few such clients keep the process busy and every reader
 * waits. With it, at most `concurrency` render, a short queue waits, and the rest get `503` with
 * `Retry-After` at once, while health checks, the cache, sign-in and the editor go on.
 */
export function createRenderLimit(options: RenderLimitOptions = {}): RenderLimit {
  const concurrency = options.concurrency ?? 4;
  const maxQueue = options.queue ?? 32;
  const maxWaitMs = options.maxWaitMs ?? 5_000;
  const retryAfter = String(options.retryAfterSeconds ?? 5);
  const waiting: Waiting[] = [];
  const counts = { active: 0, peakActive: 0, refused: 0 };

  const refuse = (res: Parameters<RequestHandler>[1]) => {
    counts.refused += 1;
    if (res.headersSent || res.destroyed) return;
    res.setHeader("Retry-After", retryAfter);
    refuseRequest(res, 503);
  };

  // The slot is given back once, whether the answer was sent or the reader went away.
  const run = (res: Parameters<RequestHandler>[1], next: () => void) => {
    counts.active += 1;
    counts.peakActive = Math.max(counts.peakActive, counts.active);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      counts.active -= 1;
      const following = waiting.shift();
      if (following) {
        clearTimeout(following.timer);
        following.start();
      }
    };
    res.once("finish", release);
    res.once("close", release);
    next();
  };

  const middleware: RequestHandler = (req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !isPublicAddress(req.path)) return next();
    if (counts.active < concurrency) return run(res, next);
    if (waiting.length >= maxQueue) return refuse(res);
    const entry: Waiting = {
      start: () => {
        res.off("close", leave);
        run(res, next);
      },
      timer: setTimeout(() => {
        leave();
        refuse(res);
      }, maxWaitMs),
    };
    // A reader who gives up while waiting leaves the queue.
    const leave = () => {
      const index = waiting.indexOf(entry);
      if (index !== -1) waiting.splice(index, 1);
      clearTimeout(entry.timer);
    };
    res.once("close", leave);
    waiting.push(entry);
  };

  return { middleware, stats: () => ({ ...counts, queued: waiting.length }) };
}
