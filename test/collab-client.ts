import * as decoding from "lib0/decoding";
import WebSocket from "ws";
import * as authProtocol from "y-protocols/auth";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

/** A stock y-websocket client in Node, authenticated with a session cookie like a browser. */
export interface CollabClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The reason of the last permission-denied message, if any. */
  denied: string | null;
  /** The text of the preamble's first paragraph, which protocol tests edit (see `bodyText`). */
  text(): string;
  destroy(): void;
}

/** Opens a stock WebsocketProvider on `<baseUrl>/collab`, room = draft id. */
export function connectClient(options: {
  baseUrl: string;
  draftId: string;
  cookie?: string;
  origin?: string;
  maxBackoffTime?: number;
  /** More request headers for the handshake (such as Accept-Language). */
  headers?: Record<string, string>;
}): CollabClient {
  const headers: Record<string, string> = { ...options.headers, origin: options.origin ?? options.baseUrl };
  if (options.cookie) headers.cookie = [headers.cookie, `accord_session=${options.cookie}`].filter(Boolean).join("; ");
  class AuthenticatedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${options.baseUrl.replace(/^http/, "ws")}/collab`, options.draftId, doc, {
    WebSocketPolyfill: AuthenticatedWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: options.maxBackoffTime ?? 200,
  });
  const client: CollabClient = {
    doc,
    provider,
    denied: null,
    text: () => bodyString(doc),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
  // The stock client only warns on permission-denied; record it instead, and forget it when the
  // server gives the right to write back (Accord's sub-type 1).
  provider.messageHandlers[2] = (_encoder, decoder) => {
    if (decoding.peekVarUint(decoder) === 1) client.denied = null;
    else authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => (client.denied = reason));
  };
  return client;
}

/**
 * The Y.XmlText that protocol tests edit: the text of the preamble's first paragraph of a synced
 * draft, created on first use. Edits stay inside the ProseMirror schema, as an editor's would.
 */
export function bodyText(doc: Y.Doc): Y.XmlText {
  const paragraph = preambleParagraph(doc);
  const existing = paragraph.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText);
  if (existing) return existing;
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  return text;
}

/** Appends `text` at the end of the client's first text run of `bodyText`. */
export function appendText(client: CollabClient, text: string): void {
  const body = bodyText(client.doc);
  body.insert(body.length, text);
}

/** The plain text of the preamble's first paragraph (every text run in it, in order). */
export function bodyString(doc: Y.Doc): string {
  const fragment = doc.getXmlFragment("prosemirror");
  if (fragment.length === 0) return "";
  return preambleParagraph(doc)
    .toArray()
    .filter((child): child is Y.XmlText => child instanceof Y.XmlText)
    .map((text) => (text.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === "string" ? op.insert : "")).join(""))
    .join("");
}

function preambleParagraph(doc: Y.Doc): Y.XmlElement {
  const preamble = doc
    .getXmlFragment("prosemirror")
    .toArray()
    .find((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === "preamble");
  const paragraph = preamble?.toArray().find((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === "paragraph");
  if (!paragraph) throw new Error("The draft has no preamble paragraph here (is the client synced?)");
  return paragraph;
}

/** The text of the preamble's first paragraph in a stored state or update (see `bodyText`). */
export function storedText(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return bodyString(doc);
}

/** Resolves once the provider has synced with the server. */
export function synced(client: CollabClient, ms = 10_000): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("not synced in time")), ms);
    client.provider.once("sync", (isSynced: boolean) => {
      if (!isSynced) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Polls until `check` holds. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
