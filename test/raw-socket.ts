import net from "node:net";

/** What a raw exchange with the server saw. */
export interface RawAnswer {
  /** The status code of the first answer line, or null when none came. */
  status: number | null;
  /** The close code of the first WebSocket close frame the server sent after a 101, if any. */
  closeCode: number | null;
  /** True when the server neither answered nor closed within the time allowed. */
  hung: boolean;
}

/** How a raw exchange ends on our side. */
export type RawEnding = "wait" | "close" | "reset";

/**
 * Writes `request` on a fresh TCP socket, as is, then (after a 101) `frames`; resolves with the
 * answer's status and, for a WebSocket, the server's close code. `close` half-closes right after
 * writing, `reset` resets the connection at once (answers are not awaited for either).
 */
export function rawExchange(port: number, request: string | Buffer, options: { frames?: Buffer; ending?: RawEnding; timeoutMs?: number } = {}): Promise<RawAnswer> {
  const answer: RawAnswer = { status: null, closeCode: null, hung: false };
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = Buffer.alloc(0);
    let headEnd = -1;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => {
      answer.hung = true;
      finish();
    }, options.timeoutMs ?? 5_000);
    socket.on("error", () => finish());
    socket.on("close", () => finish());
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (headEnd === -1) {
        headEnd = received.indexOf("\r\n\r\n");
        if (headEnd === -1) return;
        answer.status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(received.toString("latin1"))?.[1] ?? NaN) || null;
        if (answer.status === 101 && !options.frames) return finish();
        if (answer.status === 101 && options.frames) socket.write(options.frames);
      }
      if (answer.status !== 101) return;
      const code = closeCodeIn(received.subarray(headEnd + 4));
      if (code !== null) {
        answer.closeCode = code;
        finish();
      }
    });
    socket.on("connect", () => {
      socket.write(request);
      if (options.ending === "close") socket.end();
      if (options.ending === "reset") {
        socket.resetAndDestroy();
        finish();
      }
    });
  });
}

// Reads the server's (unmasked) frames and returns the code of the first close frame, if whole.
function closeCodeIn(data: Buffer): number | null {
  let offset = 0;
  while (offset + 2 <= data.length) {
    const opcode = (data[offset] ?? 0) & 0x0f;
    let length = (data[offset + 1] ?? 0) & 0x7f;
    let start = offset + 2;
    if (length === 126) {
      if (start + 2 > data.length) return null;
      length = data.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (start + 8 > data.length) return null;
      length = Number(data.readBigUInt64BE(start));
      start += 8;
    }
    if (start + length > data.length) return null;
    if (opcode === 0x8) return length >= 2 ? data.readUInt16BE(start) : 1005;
    offset = start + length;
  }
  return null;
}

/** A client WebSocket frame: masked unless told otherwise (RFC 6455 §5.2). */
export function clientFrame(opcode: number, payload: Buffer, options: { masked?: boolean; fin?: boolean } = {}): Buffer {
  const masked = options.masked ?? true;
  const first = ((options.fin ?? true) ? 0x80 : 0) | opcode;
  const maskBit = masked ? 0x80 : 0;
  const length =
    payload.length < 126
      ? Buffer.from([first, maskBit | payload.length])
      : Buffer.concat([Buffer.from([first, maskBit | 126]), Buffer.from([payload.length >> 8, payload.length & 0xff])]);
  if (!masked) return Buffer.concat([length, payload]);
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const body = Buffer.from(payload.map((byte, index) => byte ^ (mask[index % 4] ?? 0)));
  return Buffer.concat([length, mask, body]);
}
