// What the schema check costs per update, on the server's hot path: each keystroke of a typed
// history applied to a grown draft, plainly (Y.applyUpdate) and with every check
// (applyCheckedUpdate), in turns so both see the same machine. Pure CPU, no server.
//
//   node --import tsx bench/update-check.ts [grown-keystrokes=10000] [measured=5000] [runs=3]
import * as Y from "yjs";
import { newDraftJson } from "../schema/content";
import { yjsStateFromJson } from "../server/text-store/initial-state";
import { applyCheckedUpdate } from "../server/collab/checked-apply";
import { typeHistory } from "./lib/typing-history";
import { quantile, round } from "./lib/stats";

const grown = Number(process.argv[2] ?? 10_000);
const measured = Number(process.argv[3] ?? 5_000);
const runs = Number(process.argv[4] ?? 3);

const initial = yjsStateFromJson(newDraftJson("Update check"));
const history = typeHistory(initial, grown + measured);
const prefix = (() => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, initial);
  for (const { update } of history.updates.slice(0, grown)) Y.applyUpdate(doc, update);
  return Y.encodeStateAsUpdate(doc);
})();
const keystrokes = history.updates.slice(grown).map(({ update }) => update);

// Microseconds per update for `apply` over the measured keystrokes, on a fresh copy of the grown draft.
function timeEach(apply: (doc: Y.Doc, update: Uint8Array) => void): Float64Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, prefix);
  const times = new Float64Array(keystrokes.length);
  keystrokes.forEach((update, i) => {
    const start = performance.now();
    apply(doc, update);
    times[i] = (performance.now() - start) * 1000;
  });
  doc.destroy();
  return times.sort();
}

const plain = (doc: Y.Doc, update: Uint8Array) => Y.applyUpdate(doc, update);
const checked = (doc: Y.Doc, update: Uint8Array) => {
  const refusal = applyCheckedUpdate(doc, update, null);
  if (refusal) throw new Error(`a typed keystroke was refused: ${refusal.code} ${refusal.detail}`);
};

const results: { plain: number[]; checked: number[] }[] = [];
for (let run = 0; run < runs + 1; run += 1) {
  const a = timeEach(plain);
  const b = timeEach(checked);
  // The first turn only warms the code up.
  if (run === 0) continue;
  const figures = (times: Float64Array) => [0.5, 0.99].map((q) => quantile(times, q));
  results.push({ plain: figures(a), checked: figures(b) });
}
const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? Number.NaN;
const pick = (kind: "plain" | "checked", index: number) => round(median(results.map((result) => result[kind][index] ?? Number.NaN)), 1);
console.log(
  `${keystrokes.length} keystrokes on a draft grown by ${grown} (median of ${runs} runs): ` +
    `Y.applyUpdate p50 ${pick("plain", 0)} µs, p99 ${pick("plain", 1)} µs; ` +
    `with the schema check p50 ${pick("checked", 0)} µs, p99 ${pick("checked", 1)} µs`,
);
