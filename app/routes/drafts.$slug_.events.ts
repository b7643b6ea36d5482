import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiError, requireApiDraft, requireApiUser } from "~/utils/api.server";
import { amendmentJson } from "~/utils/amendments.server";
import { threadJson } from "~/utils/annotations.server";
import { t } from "../../i18n/translate";
import { can } from "../../server/auth/policy";
import { isSessionCurrent } from "../../server/auth/session";
import { amendmentResource } from "../../server/domain/amendments";
import { threadVisibility } from "../../server/domain/annotations";
import { listNotifications } from "../../server/domain/notifications";
import { announce as announceMeeting, liveMeeting, recordAttendance } from "../../server/domain/meetings";
import type { DraftEvent } from "../../server/events/draft-events";
import { MAX_STREAMS_PER_ACCOUNT, STREAM_RETRY_AFTER_S } from "../../server/events/stream-registry";

/**
 * Server-sent events for one draft and one viewer: threads created, replied to, edited, resolved,
 * reopened or detached — only those the viewer may see —, amendments tabled, co-sponsored, withdrawn
 * or decided, the draft's phase changes, each clause status set on the draft, each step of a chaired
 * session on it, and the viewer's unread notification count. A viewer whose stream is open while a
 * session is open on the draft is recorded as attending it. At most MAX_STREAMS_PER_ACCOUNT per account (then 429); a stream ends
 * as soon as its session ends or its account changes, and when its session expires (see stream-registry).
 */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const user = requireApiUser(context);
  const draft = await requireApiDraft(user, params.slug);
  const session = context.session;
  if (!session) throw apiError(401, t("api.signIn"));
  const encoder = new TextEncoder();
  let stop = () => undefined as void;
  let ping = () => undefined as void;
  // Registered before the stream exists, so that the refusal is a plain answer and no stream starts.
  const unregister = await context.live.streams.admit({
    sessionId: session.id,
    sessionExpiresAt: session.expiresAt,
    viewer: user,
    ping: () => ping(),
    end: () => stop(),
  });
  if (!unregister) {
    const refused = apiError(429, t("api.tooManyStreams", { max: MAX_STREAMS_PER_ACCOUNT }));
    refused.headers.set("Retry-After", String(STREAM_RETRY_AFTER_S));
    throw refused;
  }
  // Where the draft stands in its rounds: what each viewer may do to threads depends on it.
  let stage = draft.stage;

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const deliver = (event: DraftEvent) => {
        if (event.type === "thread") {
          // A private thread's events go to its delegation alone.
          if (event.draftId !== draft.id || !can(user, "annotation.view", threadVisibility(event.thread))) return;
          send(`event: thread\ndata: ${JSON.stringify({ change: event.change, thread: threadJson(event.thread, user, stage) })}\n\n`);
        } else if (event.type === "amendment") {
          if (event.draftId !== draft.id || !can(user, "amendment.view", amendmentResource(event.amendment, stage))) return;
          send(`event: amendment\ndata: ${JSON.stringify({ change: event.change, amendment: amendmentJson(event.amendment, user, stage) })}\n\n`);
        } else if (event.type === "stage") {
          if (event.draftId !== draft.id) return;
          stage = event.stage;
          send(`event: stage\ndata: ${JSON.stringify({ phase: stage.phase, roundId: event.roundId })}\n\n`);
        } else if (event.type === "motion") {
          if (event.draftId !== draft.id) return;
          // That a ballot was cast or changed is the ballots' business: an observer learns nothing of
          // them before the result (a ballot is only ever cast on an open motion).
          const openMotion = { type: "motion" as const, draftId: draft.id, stage, status: "open" as const, beforeDeadline: true };
          if (event.change === "ballot" && !can(user, "motion.view-ballots", openMotion)) return;
          send(`event: motion\ndata: ${JSON.stringify({ number: event.number, change: event.change })}\n\n`);
        } else if (event.type === "meeting") {
          if (event.draftId !== draft.id || !can(user, "meeting.follow", { type: "draft", id: draft.id })) return;
          if (event.change === "opened") attend();
          send(`event: meeting\ndata: ${JSON.stringify({ number: event.number, change: event.change })}\n\n`);
        } else if (event.type === "clause-status") {
          if (event.draftId !== draft.id || !can(user, "clause.view-status", { type: "draft", id: draft.id })) return;
          send(`event: clause-status\ndata: ${JSON.stringify({ clauseId: event.clauseId, status: event.status })}\n\n`);
        } else if (event.recipientId === user.id) {
          void listNotifications(user, 1).then(
            ({ unread }) => send(`event: notification\ndata: ${JSON.stringify({ unread })}\n\n`),
            () => undefined,
          );
        }
      };
      // Attendance is who was connected: recorded when the stream opens during a session, and when one opens or resumes.
      const attend = () => {
        if (!can(user, "meeting.follow", { type: "draft", id: draft.id })) return;
        void liveMeeting(draft.id)
          .then(async (meeting) => {
            if (meeting && open && (await recordAttendance(meeting.id, user))) announceMeeting(context.live, meeting, "attendance");
          })
          .catch((error: unknown) => console.warn("Attendance was not recorded:", error instanceof Error ? error.message : error));
      };
      const unsubscribe = context.live.drafts.subscribe({ deliver, close: () => stop() });
      ping = () => send(": ping\n\n");
      stop = () => {
        if (!open) return;
        open = false;
        unsubscribe();
        unregister();
        try {
          controller.close();
        } catch {
          // Already closed by the client going away.
        }
      };
      // Not request.signal: see AccordLoadContext.connectionClosed.
      context.connectionClosed.addEventListener("abort", () => stop());
      if (context.connectionClosed.aborted) return stop();
      send("retry: 1000\n: connected\n\n");
      attend();
      // A change announced after the session was read for this request but before the stream was
      // registered reached no one: read it once more now that the stream listens.
      void isSessionCurrent(session.id, user).then(
        (current) => {
          if (!current) stop();
        },
        () => stop(),
      );
    },
    cancel() {
      stop();
    },
  });

  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform keeps compression from buffering the stream.
      "Cache-Control": "private, no-store, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
