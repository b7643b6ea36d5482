/** What the fan-out main thread gives each worker. */
export interface FanoutWorkerData {
  baseUrl: string;
  /** This worker's editors: their index among all editors, their session cookie token, their draft (room) and the server they connect to, when not `baseUrl`. */
  clients: { index: number; cookie: string; draftId: string; baseUrl?: string }[];
  /** Send times (ms, performance.timeOrigin-based) by index × maxSeq + clock; 0 = not sent. */
  sendTimes: SharedArrayBuffer;
  /** Each editor's Yjs client id, by index. */
  clientIds: SharedArrayBuffer;
  maxSeq: number;
  keystrokesPerSecond: number;
  durationMs: number;
  /** A new draft's Yjs state: a reference room starts empty and is seeded with it. */
  emptyDraft: Uint8Array;
}

/** Messages to a worker. */
export type ToWorker = { type: "start"; at: number } | { type: "progress" } | { type: "finish" };

/** Messages from a worker. */
export type FromWorker =
  | { type: "ready" }
  | { type: "failed"; message: string }
  | { type: "progress"; sent: number; received: number }
  | { type: "result"; latencies: Float64Array; sent: number; received: number; utilisation: number };
