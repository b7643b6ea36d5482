import * as Y from "yjs";
import { readAuthoredUpdates } from "../text-store/persistence";

/** Who made an edit, as the draft's log knows it: the sender's delegation (none for the secretariat and the server) and when. */
export interface EditAuthor {
  userId: string | null;
  delegationCode: string | null;
  at: Date;
}

interface Span {
  clock: number;
  end: number;
  /** The update's place in the log: the lower, the earlier sent. */
  order: number;
  author: EditAuthor;
}

/** One client's spans, sorted by start, with the greatest end among each span and those before it. */
interface Spans {
  list: Span[];
  reach: number[];
}

/**
 * Who inserted and who deleted each piece of a draft's text, read from its update log: every Yjs
 * item is named by its client and clock, and the update that first carried an item (or first
 * deleted it) says who sent it. Text that came with the draft's first state is in no update.
 */
export class EditAuthors {
  private readonly inserts = new Map<number, Spans>();
  private readonly deletes = new Map<number, Spans>();
  private added = 0;

  /** Reads the whole log of `draftId`, a page at a time. */
  static async ofDraft(draftId: string): Promise<EditAuthors> {
    const authors = new EditAuthors();
    for (let after = 0; ; ) {
      const page = await readAuthoredUpdates(draftId, after);
      for (const row of page) authors.add(row.update, { userId: row.userId, delegationCode: row.delegationCode, at: row.storedAt });
      const last = page.at(-1);
      if (!last) break;
      after = last.seq;
    }
    authors.sort();
    return authors;
  }

  /** Adds one update of the log, in the log's order (`sort` once all are added). */
  add(update: Uint8Array, author: EditAuthor): void {
    const { structs, ds } = Y.decodeUpdate(update);
    const order = (this.added += 1);
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue;
      push(this.inserts, struct.id.client, { clock: struct.id.clock, end: struct.id.clock + struct.length, order, author });
    }
    for (const [client, items] of ds.clients) {
      for (const item of items) push(this.deletes, client, { clock: item.clock, end: item.clock + item.len, order, author });
    }
  }

  /** Orders the spans for lookup, once all are added. */
  sort(): void {
    for (const spans of [...this.inserts.values(), ...this.deletes.values()]) {
      spans.list.sort((a, b) => a.clock - b.clock || a.order - b.order);
      let reach = 0;
      spans.reach = spans.list.map((span) => (reach = Math.max(reach, span.end)));
    }
  }

  /** Who first sent the item at `id`; null when no update carried it. */
  insertedBy(id: Y.ID): EditAuthor | null {
    return find(this.inserts.get(id.client), id.clock);
  }

  /** Who first deleted the item at `id`; null when no update deleted it. */
  deletedBy(id: Y.ID): EditAuthor | null {
    return find(this.deletes.get(id.client), id.clock);
  }
}

function push(map: Map<number, Spans>, client: number, span: Span): void {
  const spans = map.get(client);
  if (spans) spans.list.push(span);
  else map.set(client, { list: [span], reach: [] });
}

// The earliest-sent span holding `clock`: a clock may be in several (an update sent again after a
// reconnection, two people deleting the same words at once), and the first to reach the log counts.
function find(spans: Spans | undefined, clock: number): EditAuthor | null {
  if (!spans) return null;
  const { list, reach } = spans;
  // The first span starting after `clock`: only those before it can hold it.
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((list[middle] as Span).clock <= clock) low = middle + 1;
    else high = middle;
  }
  let found: Span | null = null;
  for (let i = low - 1; i >= 0 && (reach[i] as number) > clock; i -= 1) {
    const span = list[i] as Span;
    if (span.end > clock && (!found || span.order < found.order)) found = span;
  }
  return found?.author ?? null;
}
