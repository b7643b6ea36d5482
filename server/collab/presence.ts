import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { applyAwarenessUpdate, type Awareness } from "y-protocols/awareness";

/** Who a connection is, as the server knows it: this, not what the client claims, is shown. */
export interface PresenceUser {
  name: string;
  delegation: string | null;
  delegationName: string | null;
  color: string;
}

const SECRETARIAT_COLOUR = "#4a5368";

/** The label and colour of a person's cursor: their name, and their delegation's (or the secretariat's). */
export function presenceOf(
  user: { displayName: string; role: string },
  delegation: { code: string; shortName: string; colour: string } | null,
): PresenceUser {
  return {
    name: user.displayName,
    delegation: delegation?.code ?? null,
    delegationName: delegation?.shortName ?? (user.role === "secretariat" ? "Secretariat" : null),
    color: delegation?.colour ?? SECRETARIAT_COLOUR,
  };
}

/** Whether two presences would show the same label and colour. */
export function samePresence(a: PresenceUser, b: PresenceUser): boolean {
  return a.name === b.name && a.delegation === b.delegation && a.delegationName === b.delegationName && a.color === b.color;
}

/** One awareness entry of a client's awareness update. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** The largest awareness state accepted from a client, in bytes of JSON. */
export const MAX_AWARENESS_STATE_BYTES = 16 * 1024;

/** How many states an awareness update says it carries (read before decoding them); throws when malformed. */
export function awarenessEntryCount(update: Uint8Array): number {
  return decoding.readVarUint(decoding.createDecoder(update));
}

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

/**
 * Stamps `user` on the awareness states of `clientIds` that `awareness` holds now, as a newer
 * state of each (so every client, the one it belongs to included, takes it): a cursor label
 * follows a change of name, delegation or role while the socket is open.
 */
export function restampPresence(awareness: Awareness, clientIds: Iterable<number>, user: PresenceUser, origin: unknown): void {
  const entries: AwarenessEntry[] = [];
  for (const clientId of clientIds) {
    const state = awareness.getStates().get(clientId);
    const meta = awareness.meta.get(clientId);
    if (state && meta) entries.push({ clientId, clock: meta.clock + 1, state: { ...state, user } });
  }
  if (entries.length) applyAwarenessUpdate(awareness, encodeAwarenessUpdate(entries), origin);
}
