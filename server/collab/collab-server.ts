import type http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { sessionFromCookieHeader } from "../auth/cookie";
import { mustEnrol } from "../auth/step-up";
import { can } from "../auth/policy";
import { recordAudit } from "../domain/audit";
import { findDelegation } from "../domain/delegations";
import { editingClosedReason } from "../auth/phases";
import { requestLanguage } from "../http/language";
import { CLOSE } from "./protocol";
import { LocalAccountSlots, type AccountSlots } from "../account-slots";
import { LocalRefusalLedger, type RefusalLedger } from "../refusal-ledger";
import type { Language } from "../../i18n/languages";
import { draftResource, findDraftById } from "../domain/drafts";
import { reportFailure } from "../failures";
import { answerRaw } from "../http/failure-answers";
import { describeRequest } from "../http/request-summary";
import { decodePathSegment } from "../http/request-target";
import { comesFromOrigin } from "../http/same-origin";
import { websocketHandshakeRefusal } from "../http/websocket-handshake";
import type { UpgradeHandler } from "../http/server";
import { DEFAULT_BUDGETS, type CollabBudgets } from "./budgets";
import { CollabConnection, type ConnectionIdentity } from "./connection";
import { GuardedWebSocket } from "./guarded-socket";
import { watchPermissions } from "./permission-watch";
import { presenceOf } from "./presence";
import { DocumentRegistry } from "./registry";
import { notifyDraftStorage } from "../domain/notifications";
import type { Live } from "../live";
import { ServerEdits } from "./server-edits";
import type { DraftFeed, SharedDrafts } from "./draft-document";
import { logHeads } from "../text-store/persistence";

/** The largest message accepted; a larger one closes the connection with code 1009. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
const PATH = /^\/collab\/([^/?#]+)$/;

/** The collaboration tier: the WebSocket endpoint at /collab/<draftId> and its loaded drafts. */
export interface CollabServer {
  handleUpgrade: UpgradeHandler;
  registry: DocumentRegistry;
  /** The domain's port to the live texts: server edits, repairs, closing writing. */
  texts: ServerEdits;
  connections: Set<CollabConnection>;
  /** Where what other instances tell of drafts goes (see server/cluster). */
  shared: SharedDrafts;
  /** Flushes and compacts every loaded draft and closes every socket (clients will reconnect). */
  close(): Promise<void>;
}

/**
 * Creates the collaboration server. Upgrades are authenticated with the session cookie and the
 * Origin before they complete; the draft is loaded before the first message is read.
 */
export function createCollabServer(options: {
  origins: () => readonly string[];
  /** What the collaboration tier tells the rest of the process (storage notices). */
  live: Live;
  idleMs?: number;
  /** Budgets other than the defaults (tests inject small ones). */
  budgets?: Partial<CollabBudgets>;
  /** What loaded drafts tell the other instances of a deployment (see server/cluster); none when alone. */
  feed?: DraftFeed;
  /** The accounts' open sockets, counted across the deployment's instances; this process's own when not given. */
  accountSockets?: AccountSlots;
  /** The accounts' refused updates, counted across the deployment's instances; this process's own when not given. */
  refusals?: RefusalLedger;
}): CollabServer {
  const budgets: CollabBudgets = { ...DEFAULT_BUDGETS, ...options.budgets };
  const registry = new DocumentRegistry(options.idleMs, {
    bytes: budgets.draftStoredBytes,
    warnRatio: budgets.draftWarnRatio,
    tell: (input) => notifyDraftStorage(options.live, input),
  }, options.feed);
  const texts = new ServerEdits(registry);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, WebSocket: GuardedWebSocket });
  const connections = new Set<CollabConnection>();
  const watcher = watchPermissions(connections);
  const sockets = options.accountSockets ?? new LocalAccountSlots();
  const refusals = options.refusals ?? new LocalRefusalLedger();
  // Dead peers (a closed laptop, a dropped network) are found by their silence to pings.
  const heartbeat = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, budgets.heartbeatMs);
  heartbeat.unref();

  async function accept(request: http.IncomingMessage, socket: Duplex, head: Buffer, draftId: string): Promise<void> {
    if (!comesFromOrigin({ origin: request.headers.origin }, options.origins())) return refuse(socket, 403, "Forbidden origin");
    const session = await sessionFromCookieHeader(request.headers.cookie);
    if (!session) return refuse(socket, 401, "Sign in first");
    if (mustEnrol(session.user)) return refuse(socket, 403, "Set up a second factor first");
    // A writer whose updates keep being refused is kept out until the oldest refusal leaves the
    // window: each refusal found after applying reloads the draft and reconnects everyone in it.
    if ((await refusals.recent(session.user.id, budgets.refusalWindowMs)) >= budgets.refusedUpdatesPerAccount) return refuse(socket, 429, "Too many refused changes; try again later");
    const draft = await findDraftById(draftId);
    // A draft one may not read answers exactly like one that does not exist.
    if (!draft || !can(session.user, "draft.read", { type: "draft", id: draft.id })) return refuse(socket, 403, "Forbidden");
    // Counted from here until the socket closes, however the upgrade ends.
    const place = await sockets.take(session.user.id, budgets.socketsPerAccount);
    if (!place) return refuse(socket, 429, "Too many open connections");
    socket.once("close", () => place.release());
    if (socket.destroyed) return place.release();
    const delegation = session.user.delegationCode ? await findDelegation(session.user.delegationCode) : null;
    const identity: ConnectionIdentity = {
      userId: session.user.id,
      sessionId: session.id,
      delegationCode: session.user.delegationCode,
      canWrite: can(session.user, "draft.edit", draftResource(draft)),
      readOnlyReason: editingClosedReason(draft.stage) ?? undefined,
      language: connectionLanguage(request, session.user.language),
      presence: presenceOf(session.user, delegation),
    };
    const document = await registry.open(draft.id);
    if (socket.destroyed) return registry.released(document);
    wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = new CollabConnection(ws, document, identity, budgets);
      connections.add(connection);
      connection.onClose.push(() => {
        connections.delete(connection);
        registry.released(document);
        void refusals.record(identity.userId, connection.refusedUpdates, budgets.refusalWindowMs);
        if (connection.updates > 0) {
          void recordAudit({
            actor: { id: identity.userId, delegationCode: identity.delegationCode },
            action: "draft.edited",
            target: { type: "draft", id: draft.id },
            details: { messages: connection.updates },
          }).catch(() => undefined);
        }
      });
    });
  }

  const shared: SharedDrafts = {
    receiveStored: (draftId, range, update) => registry.loadedNow(draftId)?.receiveStored(range, update),
    receiveAwareness: (draftId, update) => registry.loadedNow(draftId)?.receiveAwareness(update),
    async catchUpAll() {
      const loaded = registry.loadedNow();
      const heads = await logHeads(loaded.map((document) => document.draftId));
      const behind = loaded.filter((document) => (heads.get(document.draftId) ?? 0) > document.appliedSeq);
      await Promise.all(
        behind.map((document) =>
          document.catchUp().catch((error: unknown) => console.warn(`Draft ${document.draftId} could not read its log:`, error instanceof Error ? error.message : error)),
        ),
      );
    },
  };

  return {
    registry,
    texts,
    connections,
    shared,
    handleUpgrade(request, socket, head, target) {
      const match = PATH.exec(target.pathname);
      if (!match?.[1]) return false;
      // A malformed handshake, or a draft id that does not decode, is refused before any query.
      const refusal = websocketHandshakeRefusal(request);
      if (refusal) {
        answerRaw(socket, refusal.status, refusal.text, refusal.headers);
        return true;
      }
      const draftId = decodePathSegment(match[1]);
      if (draftId === null) {
        answerRaw(socket, 400, "Bad Request");
        return true;
      }
      accept(request, socket, head, draftId).catch((error: unknown) => {
        reportFailure("collaboration upgrade", error, describeRequest(request));
        refuse(socket, 503, "Unavailable");
      });
      return true;
    },
    async close() {
      watcher.stop();
      clearInterval(heartbeat);
      await registry.closeAll();
      for (const connection of connections) connection.close(CLOSE.restart, "collab.close.restarting");
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function refuse(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
}

// The language the person reads Accord in, decided as for their pages (server/http/language.ts):
// what the server tells their editor (why it may only read, why it closed) is in it.
function connectionLanguage(request: http.IncomingMessage, accountLanguage: Language | null): Language {
  return requestLanguage({ path: "/", accountLanguage, cookieHeader: request.headers.cookie, acceptLanguage: request.headers["accept-language"] }).language;
}
