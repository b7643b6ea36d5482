import net from "node:net";

/**
 * A load balancer as a deployment puts in front of its instances, at the TCP level (so WebSockets
 * pass): each new connection goes to the next backend in turn, and to the one after when a backend
 * refuses it (stopped, or stopping). No stickiness: a reconnecting client may land anywhere.
 */
export interface TcpBalancer {
  url: string;
  /** Sets the backends (ports on 127.0.0.1) new connections are spread over. */
  setBackends(ports: number[]): void;
  /** Sends every new connection to one backend until called with null (to know where a browser's socket is). */
  pin(port: number | null): void;
  /** How many connections each backend port carries now. */
  connections(): Map<number, number>;
  close(): Promise<void>;
}

export async function startTcpBalancer(port: number): Promise<TcpBalancer> {
  let backends: number[] = [];
  let pinned: number | null = null;
  let next = 0;
  const open = new Map<number, Set<net.Socket>>();
  const clients = new Set<net.Socket>();

  const connect = (client: net.Socket, attempt: number) => {
    if (backends.length === 0 || attempt >= backends.length) return client.destroy();
    const backendPort = pinned ?? (backends[next++ % backends.length] as number);
    const upstream = net.connect(backendPort, "127.0.0.1");
    upstream.once("connect", () => {
      const carried = open.get(backendPort) ?? new Set();
      open.set(backendPort, carried.add(upstream));
      upstream.once("close", () => carried.delete(upstream));
      client.pipe(upstream).pipe(client);
      client.resume();
    });
    upstream.once("error", () => {
      if (upstream.connecting) return connect(client, attempt + 1);
      client.destroy();
    });
    upstream.once("close", () => client.destroy());
    client.once("close", () => upstream.destroy());
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    clients.add(client);
    client.once("close", () => clients.delete(client));
    client.on("error", () => client.destroy());
    connect(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    setBackends: (ports) => (backends = [...ports]),
    pin: (port) => (pinned = port),
    connections: () => new Map([...open].map(([backendPort, sockets]) => [backendPort, sockets.size])),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.destroy();
        server.close(() => resolve());
      }),
  };
}
