import { useState, type FormEvent } from "react";
import { DateTime } from "~/components/date-time";
import { t } from "../../../i18n/translate";
import { callApi, threadsUrl, type CommentData } from "./api";

/** One comment of a thread, with its author's edit and delete. */
export function CommentItem(props: {
  slug: string;
  threadId: string;
  comment: CommentData;
  delegationName: (code: string | null) => string | null;
  onChanged: () => void;
}) {
  const { comment, slug, threadId } = props;
  const [mode, setMode] = useState<"read" | "edit" | "confirm-delete">("read");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const url = `${threadsUrl(slug, threadId)}/comments/${encodeURIComponent(comment.id)}`;
  const editId = `comment-edit-${comment.id}`;
  const delegation = props.delegationName(comment.author.delegation);

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = String(new FormData(event.currentTarget).get("body") ?? "");
    setBusy(true);
    const result = await callApi(url, "PATCH", { body });
    setBusy(false);
    if (!result.ok) return setError(result.fields.body ?? result.error);
    setError(null);
    setMode("read");
    props.onChanged();
  };
  const remove = async () => {
    setBusy(true);
    const result = await callApi(url, "DELETE");
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    setMode("read");
    props.onChanged();
  };

  return (
    <li className="comment" data-comment-id={comment.id}>
      <p className="comment__meta">
        <span className="comment__author">{comment.author.name}</span>
        {delegation ? <span className="comment__delegation"> · {delegation}</span> : null}{" "}
        <span className="comment__time">
          <DateTime value={new Date(comment.createdAt)} />
          {comment.editedAt ? ` · ${t("annotations.edited")}` : null}
        </span>
      </p>
      {comment.deleted ? (
        <p className="comment__body comment__body--deleted">{t("annotations.commentDeleted")}</p>
      ) : mode === "edit" ? (
        <form className="comment__form" onSubmit={(event) => void save(event)}>
          <label htmlFor={editId} className="visually-hidden">
            {t("annotations.editLabel")}
          </label>
          <textarea
            id={editId}
            name="body"
            rows={3}
            defaultValue={comment.body}
            required
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${editId}-error` : undefined}
          />
          <div className="comment__actions">
            <button type="submit" className="button button--small" disabled={busy}>
              {t("annotations.save")}
            </button>
            <button type="button" className="button button--quiet button--small" onClick={() => setMode("read")}>
              {t("annotations.cancel")}
            </button>
          </div>
        </form>
      ) : (
        <p className="comment__body">{comment.body}</p>
      )}
      {mode === "read" && (comment.can.edit || comment.can.delete) ? (
        <div className="comment__actions">
          {comment.can.edit ? (
            <button type="button" className="link-button" onClick={() => setMode("edit")}>
              {t("annotations.edit")}
            </button>
          ) : null}
          {comment.can.delete ? (
            <button type="button" className="link-button" onClick={() => setMode("confirm-delete")}>
              {t("annotations.delete")}
            </button>
          ) : null}
        </div>
      ) : null}
      {mode === "confirm-delete" ? (
        <div className="comment__actions" role="group" aria-label={t("annotations.deleteConfirm")}>
          <span>{t("annotations.deleteConfirm")}</span>
          <button type="button" className="button button--danger button--small" disabled={busy} onClick={() => void remove()}>
            {t("annotations.delete")}
          </button>
          <button type="button" className="button button--quiet button--small" onClick={() => setMode("read")}>
            {t("annotations.cancel")}
          </button>
        </div>
      ) : null}
      {error ? (
        <p className="field__error" id={`${editId}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}
