import { useCallback, useRef, useState } from "react";
import { useDraftEvents } from "~/editor/draft-events";
import { callApi, threadsUrl, type ThreadData } from "./api";

/**
 * The draft's threads the person may see, kept current: what the page loaded (again), then each
 * `thread` event from the stream, each answer to one's own writes, and the whole list again after
 * the stream reconnects. Returns them with `upsert` and `reload`, and whether the stream is live.
 */
export function useThreads(slug: string, initial: readonly ThreadData[]) {
  const [threads, setThreads] = useState<readonly ThreadData[]>(initial);
  const [loaded, setLoaded] = useState(initial);
  // The page's data was loaded again (a phase or status change): its threads, and what the person
  // may do with them, are the newest.
  if (loaded !== initial) {
    setLoaded(initial);
    setThreads(initial);
  }
  const latest = useRef(0);

  const upsert = useCallback((thread: ThreadData) => {
    setThreads((current) => {
      const index = current.findIndex((candidate) => candidate.id === thread.id);
      if (index === -1) return [...current, thread];
      const next = [...current];
      next[index] = thread;
      return next;
    });
  }, []);

  const reload = useCallback(async () => {
    const request = ++latest.current;
    const result = await callApi<{ threads: ThreadData[] }>(threadsUrl(slug), "GET");
    // An older answer never replaces a newer one.
    if (result.ok && request === latest.current) setThreads(result.data.threads);
  }, [slug]);

  const live = useDraftEvents(slug, {
    events: {
      thread: (data) => {
        const thread = (data as { thread?: ThreadData } | null)?.thread;
        if (thread && typeof thread.id === "string") upsert(thread);
      },
    },
    onReconnect: () => void reload(),
  });

  return { threads, upsert, reload, live };
}
