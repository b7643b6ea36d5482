import { useEffect, useRef, useState } from "react";

/** What a page does with the draft's server-sent events: a handler per event name, and after a reconnect. */
export interface DraftEventHandlers {
  /** Called with each event's parsed data, by event name (`thread`, `notification`, `clause-status` …). */
  events?: Record<string, (data: unknown) => void>;
  /** Called when the stream comes back after a break: reload whatever may have been missed. */
  onReconnect?: () => void;
}

interface Stream {
  source: EventSource;
  subscribers: Set<{ current: DraftEventHandlers }>;
  listening: Set<string>;
  connected: boolean;
  everOpen: boolean;
  connectionListeners: Set<(connected: boolean) => void>;
}

// One EventSource per draft for the whole page, however many components listen to it.
const streams = new Map<string, Stream>();

function openStream(slug: string): Stream {
  const existing = streams.get(slug);
  if (existing) return existing;
  const source = new EventSource(`/drafts/${encodeURIComponent(slug)}/events`);
  const stream: Stream = { source, subscribers: new Set(), listening: new Set(), connected: false, everOpen: false, connectionListeners: new Set() };
  const setConnected = (connected: boolean) => {
    stream.connected = connected;
    for (const listener of stream.connectionListeners) listener(connected);
  };
  source.addEventListener("open", () => {
    const reconnected = stream.everOpen;
    stream.everOpen = true;
    setConnected(true);
    if (!reconnected) return;
    for (const subscriber of stream.subscribers) subscriber.current.onReconnect?.();
  });
  // The browser retries by itself (the server asks for a second); a refused stream stays closed.
  source.addEventListener("error", () => setConnected(false));
  streams.set(slug, stream);
  return stream;
}

function listen(stream: Stream, name: string): void {
  if (stream.listening.has(name)) return;
  stream.listening.add(name);
  stream.source.addEventListener(name, (event) => {
    let data: unknown;
    try {
      data = JSON.parse((event as MessageEvent<string>).data);
    } catch {
      return;
    }
    for (const subscriber of stream.subscribers) subscriber.current.events?.[name]?.(data);
  });
}

/**
 * Subscribes to the draft's event stream (`/drafts/<slug>/events`) while the component is mounted.
 * The handlers may change on every render; the events they name are fixed at mount. Returns
 * whether the stream is connected now.
 */
export function useDraftEvents(slug: string, handlers: DraftEventHandlers): boolean {
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  });
  const [connected, setConnected] = useState(() => streams.get(slug)?.connected ?? false);
  const names = Object.keys(handlers.events ?? {}).sort().join(",");
  useEffect(() => {
    const stream = openStream(slug);
    const subscriber = current;
    stream.subscribers.add(subscriber);
    for (const name of names.split(",").filter(Boolean)) listen(stream, name);
    stream.connectionListeners.add(setConnected);
    return () => {
      stream.subscribers.delete(subscriber);
      stream.connectionListeners.delete(setConnected);
      if (stream.subscribers.size > 0) return;
      stream.source.close();
      streams.delete(slug);
    };
  }, [slug, names]);
  return connected;
}
