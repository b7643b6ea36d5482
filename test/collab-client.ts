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
  /**
   * The text of the Y.Text "body", which protocol tests edit; the editor's own text lives in the
   * XmlFragment "prosemirror", untouched by them.
   */
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
}): CollabClient {
  const headers: Record<string, string> = { origin: options.origin ?? options.baseUrl };
  if (options.cookie) headers.cookie = `accord_session=${options.cookie}`;
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
    text: () => doc.getText("body").toString(),
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

/** The text of the Y.Text "body" in a stored state or update (see `CollabClient.text`). */
export function storedText(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText("body").toString();
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
