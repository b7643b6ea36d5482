import { isMessage, type Message } from "../domain/messages";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/** What instances tell each other over Redis. */
export type ClusterMessage =
  /** Updates stored as `firstSeq`..`lastSeq` of a draft's log, merged into one. */
  | { kind: "text"; from: string; draftId: string; firstSeq: number; lastSeq: number; update: Uint8Array }
  /** An awareness change of the sender's connections to a draft. */
  | { kind: "awareness"; from: string; draftId: string; update: Uint8Array }
  /** Something published on one of the Live's shared parts (see server/live.ts), as JSON. */
  | { kind: "live"; from: string; part: string; value: unknown }
  /** Close writing on a draft, and answer `request` once everything accepted before is stored. */
  | { kind: "close-writing"; from: string; request: string; draftId: string; reason: Message }
  /** The answer to a `close-writing` request (`ok` false: this instance could not close it). */
  | { kind: "writing-closed"; from: string; request: string; ok: boolean }
  /** Writing on a draft may open again, as the policy allows. */
  | { kind: "reopen-writing"; from: string; draftId: string };

const KINDS = ["text", "awareness", "live", "close-writing", "writing-closed", "reopen-writing"] as const;

/** Encodes a message in a compact binary frame. */
export function encodeMessage(message: ClusterMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, KINDS.indexOf(message.kind));
  encoding.writeVarString(encoder, message.from);
  if (message.kind === "text") {
    encoding.writeVarString(encoder, message.draftId);
    encoding.writeVarUint(encoder, message.firstSeq);
    encoding.writeVarUint(encoder, message.lastSeq);
    encoding.writeVarUint8Array(encoder, message.update);
  } else if (message.kind === "awareness") {
    encoding.writeVarString(encoder, message.draftId);
    encoding.writeVarUint8Array(encoder, message.update);
  } else if (message.kind === "live") {
    encoding.writeVarString(encoder, message.part);
    encoding.writeVarString(encoder, JSON.stringify(message.value, keepDates));
  } else if (message.kind === "close-writing") {
    encoding.writeVarString(encoder, message.request);
    encoding.writeVarString(encoder, message.draftId);
    encoding.writeVarString(encoder, JSON.stringify(message.reason));
  } else if (message.kind === "writing-closed") {
    encoding.writeVarString(encoder, message.request);
    encoding.writeVarUint(encoder, message.ok ? 1 : 0);
  } else {
    encoding.writeVarString(encoder, message.draftId);
  }
  return encoding.toUint8Array(encoder);
}

/** Decodes a frame; throws when it is not one (Redis is shared: the channel could carry anything). */
export function decodeMessage(bytes: Uint8Array): ClusterMessage {
  const decoder = decoding.createDecoder(bytes);
  const kind = KINDS[decoding.readVarUint(decoder)];
  const from = decoding.readVarString(decoder);
  if (kind === "text") {
    const draftId = decoding.readVarString(decoder);
    const firstSeq = decoding.readVarUint(decoder);
    const lastSeq = decoding.readVarUint(decoder);
    const update = decoding.readVarUint8Array(decoder);
    if (firstSeq < 1 || lastSeq < firstSeq) throw new Error("a text message with no range");
    return { kind, from, draftId, firstSeq, lastSeq, update };
  }
  if (kind === "awareness") return { kind, from, draftId: decoding.readVarString(decoder), update: decoding.readVarUint8Array(decoder) };
  if (kind === "live") {
    const part = decoding.readVarString(decoder);
    return { kind, from, part, value: JSON.parse(decoding.readVarString(decoder), reviveDates) as unknown };
  }
  if (kind === "close-writing") {
    const request = decoding.readVarString(decoder);
    const draftId = decoding.readVarString(decoder);
    const reason: unknown = JSON.parse(decoding.readVarString(decoder));
    if (!isMessage(reason)) throw new Error("a close-writing message whose reason is not a message");
    return { kind, from, request, draftId, reason };
  }
  if (kind === "writing-closed") return { kind, from, request: decoding.readVarString(decoder), ok: decoding.readVarUint(decoder) === 1 };
  if (kind === "reopen-writing") return { kind, from, draftId: decoding.readVarString(decoder) };
  throw new Error("an unknown kind of message");
}

// Events carry dates (a thread's creation, a deadline): they travel tagged, and come back as dates.
function keepDates(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? { $date: raw.toISOString() } : value;
}

function reviveDates(_key: string, value: unknown): unknown {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const date = (value as { $date?: unknown }).$date;
    if (keys.length === 1 && typeof date === "string") return new Date(date);
  }
  return value;
}
