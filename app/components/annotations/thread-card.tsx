import { forwardRef, useState, type FormEvent } from "react";
import { t } from "../../../i18n/translate";
import { callApi, threadsUrl, type CommentData, type ThreadData } from "./api";
import { CommentItem } from "./comment-item";

/** One thread in the sidebar: its quote, comments, reply form, resolve and reopen. */
export const ThreadCard = forwardRef<
  HTMLElement,
  {
    slug: string;
    thread: ThreadData;
    active: boolean;
    /** Whether its words are in the live text now (so it can be shown there). */
    inText: boolean;
    delegationName: (code: string | null) => string | null;
    onShowInText: (threadId: string) => void;
    onActivate: (threadId: string) => void;
    onChanged: (thread: ThreadData) => void;
  }
>(function ThreadCard(props, ref) {
  const { thread, slug } = props;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const replyId = `reply-${thread.id}`;
  const titleId = `thread-${thread.id}-title`;
  const delegation = props.delegationName(thread.author.delegation);

  const refresh = async () => {
    const result = await callApi<{ thread: ThreadData }>(threadsUrl(slug, thread.id), "GET");
    if (result.ok) props.onChanged(result.data.thread);
  };
  const reply = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const body = String(new FormData(form).get("body") ?? "");
    setBusy(true);
    const result = await callApi<{ comment: CommentData }>(`${threadsUrl(slug, thread.id)}/comments`, "POST", { body });
    setBusy(false);
    if (!result.ok) return setError(result.fields.body ?? result.error);
    setError(null);
    form.reset();
    await refresh();
  };
  const setStatus = async (intent: "resolve" | "reopen") => {
    setBusy(true);
    const result = await callApi<{ thread: ThreadData }>(threadsUrl(slug, thread.id), "POST", { intent });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    props.onChanged(result.data.thread);
  };

  const classes = ["thread-card"];
  if (props.active) classes.push("thread-card--active");
  if (thread.visibility === "delegation") classes.push("thread-card--private");
  if (thread.status === "resolved") classes.push("thread-card--resolved");
  return (
    <article
      ref={ref}
      id={`thread-${thread.id}`}
      className={classes.join(" ")}
      aria-labelledby={titleId}
      tabIndex={-1}
      data-thread-id={thread.id}
      onFocus={() => props.onActivate(thread.id)}
    >
      <h3 id={titleId} className="thread-card__title">
        {t("annotations.threadBy", { name: thread.author.name })}
        {delegation ? <span className="thread-card__delegation"> · {delegation}</span> : null}
      </h3>
      <p className="thread-card__badges">
        {thread.visibility === "delegation" ? (
          <span className="badge badge--private">{t("annotations.privateTo", { delegation: delegation ?? "" })}</span>
        ) : null}
        {thread.status === "resolved" ? <span className="badge">{t("annotations.resolved")}</span> : null}
        {thread.detached ? <span className="badge badge--detached">{t("annotations.detached")}</span> : null}
      </p>
      {props.inText ? (
        <button type="button" className="thread-card__quote" onClick={() => props.onShowInText(thread.id)} title={t("annotations.showInText")}>
          <span className="visually-hidden">{t("common.label", { label: t("annotations.showInText") })} </span>“{thread.quote}”
        </button>
      ) : (
        <blockquote className="thread-card__quote thread-card__quote--static">“{thread.quote}”</blockquote>
      )}
      <ol className="thread-card__comments">
        {thread.comments.map((comment) => (
          <CommentItem key={comment.id} slug={slug} threadId={thread.id} comment={comment} delegationName={props.delegationName} onChanged={() => void refresh()} />
        ))}
      </ol>
      {thread.can.reply ? (
        <form className="thread-card__reply" onSubmit={(event) => void reply(event)}>
          <label htmlFor={replyId} className="visually-hidden">
            {t("annotations.replyLabel", { name: thread.author.name })}
          </label>
          <textarea
            id={replyId}
            name="body"
            rows={2}
            placeholder={t("annotations.replyPlaceholder")}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${replyId}-error` : undefined}
          />
          <button type="submit" className="button button--small" disabled={busy}>
            {t("annotations.reply")}
          </button>
        </form>
      ) : null}
      {thread.can.resolve ? (
        <button type="button" className="button button--quiet button--small" disabled={busy} onClick={() => void setStatus(thread.status === "open" ? "resolve" : "reopen")}>
          {thread.status === "open" ? t("annotations.resolve") : t("annotations.reopen")}
        </button>
      ) : null}
      {error ? (
        <p className="field__error" id={`${replyId}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </article>
  );
});
