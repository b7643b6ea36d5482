import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { Database } from "../db/connection";
import { reportFailure } from "../failures";
import { createApp, type RemixSource } from "./app";
import type { Live } from "../live";
import { createPublicPageCache, type PublicPageCache } from "./public-page-cache";
import { createRenderLimit, type RenderLimit } from "./render-limit";
import { answerRaw, failRequest, refuseRequest } from "./failure-answers";
import { describeRequest } from "./request-summary";
import { isWellFormedHost, parseRequestTarget, type RequestTarget } from "./request-target";

/**
 * Handles a WebSocket upgrade for the paths it claims; returns false to leave it. `target` is the
 * request's target, already parsed (a malformed one never reaches a handler).
 */
export type UpgradeHandler = (request: http.IncomingMessage, socket: Duplex, head: Buffer, target: RequestTarget) => boolean;

/** A listening Accord HTTP server. */
export interface AccordServer {
  http: http.Server;
  url: string;
  origins: () => readonly string[];
  /** The cache of public answers to anonymous readers (none in development, where pages change with the code). */
  publicPageCache: PublicPageCache | null;
  /** The bound on public renders (the public requests the cache did not answer). */
  renderLimit: RenderLimit;
  /** Stops accepting connections (those open go on); resolves once the last of them has closed. */
  stopAccepting(): Promise<void>;
  /** Stops accepting, finishes requests in flight, then resolves. The database stays open. */
  close(): Promise<void>;
}

/**
 * Starts the HTTP server on `host:port` (port 0 picks a free one). With no configured origin,
 * the allowed origins are localhost and 127.0.0.1 on the port actually bound.
 */
export async function startHttpServer(options: {
  database: Database;
  /** The live services requests reach (handed to Remix as `context.live`). */
  live: Live;
  remix: RemixSource;
  host: string;
  port: number;
  origin: string | null;
  sessionSecret: string;
  upgradeHandlers?: UpgradeHandler[];
}): Promise<AccordServer> {
  let boundPort = options.port;
  const origins = () =>
    options.origin ? [options.origin] : [`http://localhost:${boundPort}`, `http://127.0.0.1:${boundPort}`];
  const secureCookies = options.origin?.startsWith("https://") ?? false;
  const publicPageCache = "build" in options.remix ? createPublicPageCache({ origins, content: options.live.publicContent }) : null;
  const renderLimit = createRenderLimit();
  const app = createApp({
    database: options.database,
    live: options.live,
    remix: options.remix,
    origins,
    secureCookies,
    sessionSecret: options.sessionSecret,
    publicPageCache: publicPageCache ?? undefined,
    renderLimit,
  });
  // Public pages for anonymous readers are answered from the cache before Express and Remix run.
  // A throw here would otherwise end the process: it ends this request only.
  let draining = false;
  const server = http.createServer((request, response) => {
    try {
      // Stopping: each answer closes its connection, so that a browser's next request opens a new
      // one, which the load balancer sends to another instance.
      if (draining) response.setHeader("Connection", "close");
      // A target or Host that does not parse is refused before any code that would throw on it.
      if ((request.url?.length ?? 0) > MAX_TARGET_LENGTH) return refuseRequest(response, 414);
      const target = parseRequestTarget(request.url);
      if (!target || !isWellFormedHost(request.headers.host)) return refuseRequest(response, 400);
      closeUnlessBodyRead(request, response);
      // The app reads an origin-form target (Remix prefixes it with the Host): an absolute-form
      // one, which HTTP/1.1 servers must accept, is handed on as its path and query.
      if (!request.url?.startsWith("/")) request.url = target.pathname + target.search;
      if (publicPageCache?.serve(request, response)) return;
      app(request, response);
    } catch (error) {
      failRequest(request, response, error);
    }
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  server.on("upgrade", (request, socket, head) => {
    // From here on the socket is ours alone: the HTTP server no longer reports its errors.
    socket.on("error", () => socket.destroy());
    try {
      if ((request.url?.length ?? 0) > MAX_TARGET_LENGTH) return answerRaw(socket, 414, "URI Too Long");
      const target = parseRequestTarget(request.url);
      // HTTP/1.1 requires Host (RFC 9112 §3.2); Node checks it for requests, not for upgrades.
      const host = request.headers.host;
      const hostProblem = host === undefined ? request.httpVersion === "1.1" : !isWellFormedHost(host);
      if (!target || hostProblem) return answerRaw(socket, 400, "Bad Request");
      for (const handle of options.upgradeHandlers ?? []) if (handle(request, socket, head, target)) return;
      answerRaw(socket, 404, "Not Found");
    } catch (error) {
      reportFailure("upgrade", error, describeRequest(request));
      answerRaw(socket, 500, "Internal Server Error");
    }
  });

  // A request Node cannot parse (bad request line or header, headers too large, too slow) is
  // answered as Node would without this listener, and its socket closed; the listener makes sure
  // a socket error never reaches the process.
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
    const [status, text] = CLIENT_ERROR_STATUS[error.code ?? ""] ?? [400, "Bad Request"];
    answerRaw(socket, status, text);
  });

  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;
  const shownHost = options.host === "0.0.0.0" || options.host === "::" ? "localhost" : options.host;
  let closed: Promise<void> | null = null;
  const stopAccepting = () =>
    (closed ??= new Promise<void>((resolve) => {
      draining = true;
      server.close(() => resolve());
    }));

  return {
    http: server,
    url: `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${boundPort}`,
    origins,
    publicPageCache,
    renderLimit,
    stopAccepting,
    close: () => {
      const done = stopAccepting();
      server.closeIdleConnections();
      // Requests still running after 10 s are cut off so that shutdown always ends.
      const force = setTimeout(() => sockets.forEach((socket) => socket.destroy()), 10_000);
      force.unref();
      return done;
    },
  };
}

/** The longest request target (path and query) accepted; longer ones are answered 414. */
export const MAX_TARGET_LENGTH = 8 * 1024;

// Node drains a body nobody read, to reuse the connection: a client streaming a chunked body
// without end would be read whole. An answer sent before the body ended (a body refused part-way,
// or one the route never read) closes the connection instead.
function closeUnlessBodyRead(request: http.IncomingMessage, response: http.ServerResponse): void {
  response.once("finish", () => {
    if (!request.complete) request.socket.destroySoon();
  });
}

const CLIENT_ERROR_STATUS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, "Request Header Fields Too Large"],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "Request Timeout"],
};

