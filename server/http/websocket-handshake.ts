import type { IncomingMessage } from "node:http";

/** Why an upgrade request is not a WebSocket opening handshake Accord speaks, as an HTTP answer. */
export interface HandshakeRefusal {
  status: number;
  text: string;
  headers?: Record<string, string>;
}

// A key is 16 random bytes in base64 (RFC 6455 §4.1); a repeated header arrives joined with ", ".
const KEY = /^[A-Za-z0-9+/]{22}==$/;

/**
 * Checks the opening handshake before anything costs a database query: a GET over HTTP/1.1 asking
 * for `websocket`, one well-formed key, version 13 (what every browser and y-websocket send; an
 * older or newer version gets 426 naming 13, RFC 6455 §4.4). Null when it is well-formed.
 */
export function websocketHandshakeRefusal(request: IncomingMessage): HandshakeRefusal | null {
  if (request.method !== "GET") return { status: 405, text: "Method Not Allowed", headers: { Allow: "GET" } };
  if (request.httpVersion !== "1.1") return { status: 400, text: "Bad Request" };
  if (request.headers.upgrade?.toLowerCase() !== "websocket") return { status: 400, text: "Bad Request" };
  const key = request.headers["sec-websocket-key"];
  if (typeof key !== "string" || !KEY.test(key)) return { status: 400, text: "Bad Request" };
  const version = request.headers["sec-websocket-version"];
  if (typeof version !== "string" || !/^\d{1,3}$/.test(version)) return { status: 400, text: "Bad Request" };
  if (version !== "13") return { status: 426, text: "Upgrade Required", headers: { "Sec-WebSocket-Version": "13" } };
  return null;
}
