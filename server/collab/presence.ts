import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/** Who a connection is, as the server knows it: this, not what the client claims, is shown. */
export interface PresenceUser {
  name: string;
  delegation: string | null;
  delegationName: string | null;
  color: string;
}

/** One awareness entry of a client's awareness update. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** The largest awareness state accepted from a client, in bytes of JSON. */
export const MAX_AWARENESS_STATE_BYTES = 16 * 1024;

/** Decodes an awareness update; throws when it is malformed. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    if (json.length > MAX_AWARENESS_STATE_BYTES) throw new Error("awareness state too large");
    const state: unknown = JSON.parse(json);
    if (state !== null && (typeof state !== "object" || Array.isArray(state))) throw new Error("awareness state is not an object");
    entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
  }
  if (decoding.hasContent(decoder)) throw new Error("trailing bytes after the awareness update");
  return entries;
}

/** Encodes awareness entries as an awareness update. */
export function encodeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}

/** Replaces whatever `user` a client claims with the server's knowledge of the connection. */
export function stampPresence(entry: AwarenessEntry, user: PresenceUser): AwarenessEntry {
  if (entry.state === null) return entry;
  return { ...entry, state: { ...entry.state, user } };
}
