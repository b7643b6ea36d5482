import type { TestClient } from "./server";

/** An open event stream (`text/event-stream`): its status and everything received so far, raw. */
export interface OpenStream {
  raw: string;
  status: number;
  contentType: string;
  /** Resolves when the stream ends (the server ended it, or the test closed it). */
  ended: Promise<void>;
  close(): void;
}

/** Opens `path` as an event stream; `ready` resolves once the response's headers have arrived. */
export function openEventStream(client: TestClient, path: string): { stream: OpenStream; ready: Promise<void> } {
  const controller = new AbortController();
  let end = () => undefined as void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  const stream: OpenStream = { raw: "", status: 0, contentType: "", ended, close: () => controller.abort() };
  const ready = client.fetch(path, { signal: controller.signal }).then((response) => {
    stream.status = response.status;
    stream.contentType = response.headers.get("content-type") ?? "";
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await (reader?.read() ?? Promise.resolve({ done: true, value: undefined }));
          if (done) return;
          stream.raw += decoder.decode(value, { stream: true });
        }
      } catch {
        // Aborted by the test.
      } finally {
        end();
      }
    })();
  });
  return { stream, ready };
}
