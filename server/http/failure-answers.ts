import http from "node:http";
import type { Duplex } from "node:stream";
import { reportFailure } from "../failures";
import { describeRequest } from "./request-summary";

/**
 * Writes a short plain-text answer on a socket that no response object owns (an upgrade, a request
 * Node could not parse), then closes it.
 */
export function answerRaw(socket: Duplex, status: number, text: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n${extra}\r\n${text}`);
  // A peer that never reads must not hold the socket open.
  setTimeout(() => socket.destroy(), 5_000).unref();
}

/** Ends a request that failed unexpectedly: a 500 when nothing was sent yet, else the socket is cut. */
export function failRequest(request: http.IncomingMessage, response: http.ServerResponse, error: unknown): void {
  reportFailure("request", error, describeRequest(request));
  if (response.headersSent || response.writableEnded) return void response.destroy();
  try {
    response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", Connection: "close" });
    response.end("Internal Server Error");
  } catch {
    response.destroy();
  }
}

/** Answers a client's malformed request with a short plain-text 4xx and closes the connection. */
export function refuseRequest(response: http.ServerResponse, status: number): void {
  response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", Connection: "close" });
  response.end(http.STATUS_CODES[status] ?? "Bad Request");
}
