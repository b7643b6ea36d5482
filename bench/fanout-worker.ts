// One worker thread of the fan-out load generator: a share of the simulated editors, each a stock
// y-websocket client typing into the draft's title (text inside the ProseMirror schema, as Accord
// accepts it) and timing every update that reaches it.
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import * as Y from "yjs";
import { connectClient, synced, type CollabClient } from "../test/collab-client";
import type { FanoutWorkerData, FromWorker, ToWorker } from "./fanout-protocol";
import { now } from "./lib/stats";

const data = workerData as FanoutWorkerData;
const port = parentPort;
if (!port) throw new Error("fanout-worker.ts runs as a worker thread.");

// Every client's Yjs client id, and each update's send time by (client index, clock): shared
// by all workers, so a receiver finds the sender's time without any message between threads.
const clientIds = new Float64Array(data.clientIds);
const sendTimes = new Float64Array(data.sendTimes);
const LETTERS = "the delegations agree to apply human-rights criteria to export licensing ";

interface Editor {
  index: number;
  client: CollabClient;
  /** Keystrokes sent; one character each, so it is also the client's next Yjs clock. */
  sent: number;
  /** Where the editor's cursor is: after its last character, wherever others typed since. */
  cursor: Y.RelativePosition | null;
}

class Latencies {
  values = new Float64Array(4096);
  length = 0;
  add(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

// Each stock provider listens for the process's exit.
process.setMaxListeners(data.clients.length + 10);
const editors: Editor[] = data.clients.map(({ index, cookie, draftId, baseUrl }) => {
  const client = connectClient({ baseUrl: baseUrl ?? data.baseUrl, draftId, cookie, maxBackoffTime: 1000 });
  clientIds[index] = client.doc.clientID;
  return { index, client, sent: 0, cursor: null };
});
const latencies = new Latencies();
const timers = new Set<NodeJS.Timeout>();
let received = 0;
let typingUtilisation = Number.NaN;

function listen(senders: Map<number, number>): void {
  for (const { client } of editors) {
    // The transaction already knows each client's clocks before and after it: no need to decode the update.
    client.doc.on("update", (_update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
      if (origin !== client.provider) return;
      const arrival = now();
      for (const [clientId, end] of transaction.afterState) {
        const sender = senders.get(clientId);
        if (sender === undefined) continue;
        for (let clock = transaction.beforeState.get(clientId) ?? 0; clock < end && clock < data.maxSeq; clock += 1) {
          const sentAt = sendTimes[sender * data.maxSeq + clock] ?? 0;
          if (sentAt === 0) continue;
          latencies.add(arrival - sentAt);
          received += 1;
        }
      }
    });
  }
}

// An editor types on at its cursor, and now and then moves it somewhere else in the text.
const MOVE_CURSOR_SHARE = 0.02;

function type(editor: Editor): void {
  if (editor.sent >= data.maxSeq) return;
  const { doc } = editor.client;
  const text = titleText(doc);
  const atCursor = editor.cursor && Math.random() >= MOVE_CURSOR_SHARE ? Y.createAbsolutePositionFromRelativePosition(editor.cursor, doc) : null;
  const position = atCursor?.index ?? Math.floor(Math.random() * (text.length + 1));
  sendTimes[editor.index * data.maxSeq + editor.sent] = now();
  text.insert(position, LETTERS[editor.sent % LETTERS.length] ?? "x");
  editor.sent += 1;
  // Anchored to the character just typed, so others' typing around it does not move it.
  editor.cursor = Y.createRelativePositionFromTypeIndex(text, position + 1, -1);
}

// The draft's title text. A reference room starts empty: every editor seeds it with the same state
// (the same items, so applying it twice changes nothing).
function titleText(doc: Y.Doc): Y.XmlText {
  const fragment = doc.getXmlFragment("prosemirror");
  if (fragment.length === 0) Y.applyUpdate(doc, data.emptyDraft);
  const title = fragment.get(0);
  const text = title instanceof Y.XmlElement ? title.get(0) : null;
  if (!(text instanceof Y.XmlText)) throw new Error("The draft has no title text to type into.");
  return text;
}

function later(at: number, work: () => void): void {
  const timer = setTimeout(() => {
    timers.delete(timer);
    work();
  }, Math.max(0, at - now()));
  timers.add(timer);
}

function start(at: number): void {
  const senders = new Map<number, number>();
  clientIds.forEach((id, index) => senders.set(id, index));
  listen(senders);
  const interval = 1000 / data.keystrokesPerSecond;
  const end = at + data.durationMs;
  for (const editor of editors) {
    // Each editor starts at its own moment and types irregularly (±30%) around the mean rate.
    const phase = Math.random() * interval;
    const next = (k: number): void => {
      const nominal = at + phase + k * interval;
      if (nominal >= end) return;
      later(nominal + (Math.random() - 0.5) * 0.6 * interval, () => {
        type(editor);
        next(k + 1);
      });
    };
    next(0);
  }
  later(at, () => {
    const before = performance.eventLoopUtilization();
    later(end, () => (typingUtilisation = performance.eventLoopUtilization(before).utilization));
  });
}

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

port.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "start":
      start(message.at);
      break;
    case "progress":
      send({ type: "progress", sent: editors.reduce((sum, editor) => sum + editor.sent, 0), received });
      break;
    case "finish": {
      for (const timer of timers) clearTimeout(timer);
      const values = latencies.values.slice(0, latencies.length);
      send(
        {
          type: "result",
          latencies: values,
          sent: editors.reduce((sum, editor) => sum + editor.sent, 0),
          received,
          utilisation: typingUtilisation,
        },
        [values.buffer],
      );
      for (const { client } of editors) client.destroy();
      port?.close();
      break;
    }
  }
});

Promise.all(editors.map(({ client }) => synced(client, 60_000))).then(
  () => send({ type: "ready" }),
  (error: unknown) => send({ type: "failed", message: error instanceof Error ? error.message : String(error) }),
);
