import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";


/** Accord's real entry point in a child process, as `npm run serve` starts it. */
export interface ChildServer {
  child: ChildProcess;
  url: string;
  output(): string;
  exit: Promise<number>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port` now. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/**
 * Starts `node --import tsx server/main.ts` (the production build) and resolves once it serves.
 * One process, no wrapper: a SIGKILL really kills the server.
 */
export async function startChildServer(
  env: Record<string, string | undefined>,
  port: number,
  options: { /** Modules loaded before the entry point (test hooks that live only in test/). */ imports?: string[] } = {},
): Promise<ChildServer> {
  const imports = (options.imports ?? []).flatMap((module) => ["--import", module]);
  const child = spawn(process.execPath, ["--import", "tsx", ...imports, "server/main.ts"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      SESSION_SECRET: "child-server-session-secret-0123456789",
      PORT: String(port),
      HOST: "127.0.0.1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? -1 : 0))));
  const deadline = Date.now() + 60_000;
  while (!/Accord is serving/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`The server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exit };
}
