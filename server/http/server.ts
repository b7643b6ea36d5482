import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { Database } from "../db/connection";
import { createApp, type RemixSource } from "./app";
import { createPublicPageCache, type PublicPageCache } from "./public-page-cache";

/** Handles a WebSocket upgrade for the paths it claims; returns false to leave it. */
export type UpgradeHandler = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => boolean;

/** A listening Accord HTTP server. */
export interface AccordServer {
  http: http.Server;
  url: string;
  origins: () => readonly string[];
  /** The cache of public answers to anonymous readers (none in development, where pages change with the code). */
  publicPageCache: PublicPageCache | null;
  /** Stops accepting, finishes requests in flight, then resolves. The database stays open. */
  close(): Promise<void>;
}

/**
 * Starts the HTTP server on `host:port` (port 0 picks a free one). With no configured origin,
 * the allowed origins are localhost and 127.0.0.1 on the port actually bound.
 */
export async function startHttpServer(options: {
  database: Database;
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
  const publicPageCache = "build" in options.remix ? createPublicPageCache() : null;
  const app = createApp({
    database: options.database,
    remix: options.remix,
    origins,
    secureCookies,
    sessionSecret: options.sessionSecret,
    publicPageCache: publicPageCache ?? undefined,
  });
  // Public pages for anonymous readers are answered from the cache before Express and Remix run.
  const server = http.createServer((request, response) => {
    if (publicPageCache?.serve(request, response)) return;
    app(request, response);
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  server.on("upgrade", (request, socket, head) => {
    for (const handle of options.upgradeHandlers ?? []) if (handle(request, socket, head)) return;
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
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

  return {
    http: server,
    url: `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${boundPort}`,
    origins,
    publicPageCache,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests still running after 10 s are cut off so that shutdown always ends.
        const force = setTimeout(() => sockets.forEach((socket) => socket.destroy()), 10_000);
        force.unref();
      }),
  };
}
