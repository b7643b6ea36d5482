import http from "node:http";
import type { TestClient } from "./server";

/** An open event stream (`text/event-stream`): its status and everything received so far, raw. */
export interface OpenStream {
  raw: string;
  status: number;
  contentType: string;
  /** The answer's Retry-After header, if any. */
  retryAfter: string | null;
  /** Resolves when the stream ends (the server ended it, or the test closed it). */
  ended: Promise<void>;
  /** Closes the connection at once, as a browser closing its tab does. */
  close(): void;
}

/**
 * Opens `path` as an event stream with `client`'s cookies; `ready` resolves once the response's
 * headers have arrived. Over node:http rather than fetch: an aborted fetch sometimes leaves its
 * socket open until the next bytes arrive (on a quiet stream, the keep-alive 25 s later), and a
 * test of what the server does when a stream closes needs the connection closed when it says so.
 */
export function openEventStream(client: TestClient, path: string): { stream: OpenStream; ready: Promise<void> } {
  let end = () => undefined as void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  const headers: Record<string, string> = { origin: client.baseUrl };
  const cookie = client.cookieHeader();
  if (cookie) headers.cookie = cookie;
  const request = http.get(new URL(path, client.baseUrl), { headers });
  const stream: OpenStream = { raw: "", status: 0, contentType: "", retryAfter: null, ended, close: () => request.destroy() };
  const ready = new Promise<void>((resolve, reject) => {
    request.on("error", (error) => {
      end();
      reject(error);
    });
    request.on("close", () => end());
    request.on("response", (response) => {
      stream.status = response.statusCode ?? 0;
      stream.contentType = response.headers["content-type"] ?? "";
      const retryAfter = response.headers["retry-after"];
      stream.retryAfter = typeof retryAfter === "string" ? retryAfter : null;
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (stream.raw += chunk));
      response.on("error", () => undefined);
      response.on("close", () => end());
      resolve();
    });
  });
  // A test that closes the stream before its headers arrive is not told of the error.
  ready.catch(() => undefined);
  return { stream, ready };
}
