import type { MessageKey } from "../../i18n/translate";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as authProtocol from "y-protocols/auth";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";

// The y-websocket wire protocol: each message starts with its type.
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** WebSocket close codes Accord uses. 44xx tell the stock client not to reconnect. */
export const CLOSE = {
  /** A message could not be decoded or applied. */
  invalidData: 1007,
  /**
   * Over a budget (see budgets.ts): too many messages, or bytes of updates or of cursors, too fast;
   * too many cursors in one message. (A peer that does not read, or does not answer pings, is cut
   * off without a closing handshake it could not read: the client sees 1006.)
   */
  rateLimited: 1008,
  /** A message over the size limit (the ws library sends this itself). */
  tooLarge: 1009,
  /** The server is stopping or the document had to be reloaded: reconnect. */
  restart: 1012,
  /** An update was refused: it does not fit the document's schema (the client must not resend it). */
  refusedUpdate: 4422,
  /** The session ended or the account was disabled. */
  signedOut: 4401,
  /** The right to read the draft was lost. */
  forbidden: 4403,
} as const;

/** What a writer whose update was refused is told (the close reason; the editor shows it). */
/**
 * Why the server closed a connection, as a key of the interface catalogue (`collab.close.*`): each
 * client reads it in its own language. Every one fits a close frame's 123 bytes in every language
 * (checked by i18n/translate.test.ts).
 */
export type CloseReason = Extract<MessageKey, `collab.close.${string}`>;

/** A sync message: step 1 (our state vector), asking the other side for what we lack. */
export function syncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** A sync message: step 2, what the other side lacks given its state vector. */
export function syncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep2(encoder, doc, stateVector);
  return encoding.toUint8Array(encoder);
}

/** A sync message carrying one update. */
export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** An awareness message carrying an encoded awareness update. */
export function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** The awareness states of `clients`, as one message. */
export function awarenessStatesMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  return awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
}

/** The auth message's sub-type that gives back the right to write (the stock client ignores it). */
export const AUTH_PERMISSION_GRANTED = 1;
/** The auth message's sub-type carrying a notice for the writer, such as a draft near its storage budget (the stock client ignores it). */
export const AUTH_NOTICE = 2;

/** An auth message telling the client it may write again. */
export function permissionGrantedMessage(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  encoding.writeVarUint(encoder, AUTH_PERMISSION_GRANTED);
  return encoding.toUint8Array(encoder);
}

/** An auth message with a notice for the writer (an empty text withdraws the last one). */
export function noticeMessage(text: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  encoding.writeVarUint(encoder, AUTH_NOTICE);
  encoding.writeVarString(encoder, text);
  return encoding.toUint8Array(encoder);
}

/** The y-protocols "permission denied" message: the client must not write. */
export function permissionDeniedMessage(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  authProtocol.writePermissionDenied(encoder, reason);
  return encoding.toUint8Array(encoder);
}

/** A decoded client message; anything else is rejected before it touches a document. */
export type ClientMessage =
  | { type: "sync-step-1"; stateVector: Uint8Array }
  | { type: "sync-step-2" | "update"; update: Uint8Array }
  | { type: "awareness"; update: Uint8Array }
  | { type: "query-awareness" };

/** Decodes one client message fully; throws on anything malformed, truncated or unknown. */
export function decodeClientMessage(data: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(data);
  const type = decoding.readVarUint(decoder);
  let message: ClientMessage;
  switch (type) {
    case MESSAGE_SYNC: {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === syncProtocol.messageYjsSyncStep1) message = { type: "sync-step-1", stateVector: payload };
      else if (syncType === syncProtocol.messageYjsSyncStep2) message = { type: "sync-step-2", update: payload };
      else if (syncType === syncProtocol.messageYjsUpdate) message = { type: "update", update: payload };
      else throw new Error(`unknown sync message type ${syncType}`);
      break;
    }
    case MESSAGE_AWARENESS:
      message = { type: "awareness", update: decoding.readVarUint8Array(decoder) };
      break;
    case MESSAGE_QUERY_AWARENESS:
      message = { type: "query-awareness" };
      break;
    default:
      throw new Error(`unknown message type ${type}`);
  }
  if (decoding.hasContent(decoder)) throw new Error("trailing bytes after the message");
  return message;
}

/** A sync step 1 carrying a given state vector (what the server holds durably). */
export function encodeStateVectorMessage(stateVector: Map<number, number>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1);
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(stateVector));
  return encoding.toUint8Array(encoder);
}
