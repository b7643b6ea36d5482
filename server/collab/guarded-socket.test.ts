import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it, vi } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { CLOSE_INTERNAL_ERROR, GuardedWebSocket } from "./guarded-socket";

const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", WebSocket: GuardedWebSocket });
afterAll(() => new Promise<void>((resolve) => wss.close(() => resolve())));

describe("a collaboration socket whose listener throws", () => {
  it("is closed with 1011 and the error reported; the server goes on accepting", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    wss.on("connection", (socket) =>
      socket.on("message", () => {
        throw new Error("a listener bug");
      }),
    );
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const first = new WebSocket(url);
    await new Promise((resolve) => first.once("open", resolve));
    const closed = new Promise<number>((resolve) => first.once("close", (code) => resolve(code)));
    first.send(Buffer.from([0]));
    expect(await closed).toBe(CLOSE_INTERNAL_ERROR);
    expect(errors.mock.calls.flat().join(" ")).toMatch(/collaboration socket message listener.*a listener bug/);
    errors.mockRestore();
    const second = new WebSocket(url);
    await new Promise((resolve) => second.once("open", resolve));
    second.close();
  });
});
