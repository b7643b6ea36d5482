import { useState, type FormEvent } from "react";
import type { LiveEditor } from "~/components/draft-editor";
import { pendingRange, type RelativeAnchor } from "~/editor/annotation-highlights";
import { t } from "../../../i18n/translate";
import { callApi, threadsUrl, type ThreadData } from "./api";

/** A new comment being written: the selected words, anchored so that they follow edits meanwhile. */
export interface Composing {
  key: number;
  quote: string;
  anchor: RelativeAnchor;
}

/** The form for a new thread on the selected words, with who may see it. */
export function ThreadComposer(props: {
  slug: string;
  composing: Composing;
  editor: LiveEditor | null;
  /** The person's delegation's name when they may keep a note private to it. */
  privateDelegation: string | null;
  onCancel: () => void;
  onCreated: (thread: ThreadData) => void;
}) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const range = props.editor && !props.editor.view.isDestroyed ? pendingRange(props.editor.view.state) : null;
    const body = String(data.get("body") ?? "");
    if (body.trim() === "") return setErrors({ body: t("annotations.bodyRequired") });
    if (!range) return setErrors({ form: t("annotations.rangeGone") });
    setBusy(true);
    const result = await callApi<{ thread: ThreadData }>(threadsUrl(props.slug), "POST", {
      from: range.from,
      to: range.to,
      body,
      visibility: String(data.get("visibility") ?? "all"),
    });
    setBusy(false);
    if (!result.ok) return setErrors({ ...result.fields, form: result.fields.body ? "" : result.error });
    props.onCreated(result.data.thread);
  };

  const bodyError = errors.body;
  return (
    <form className="annotation-composer" aria-labelledby="composer-title" onSubmit={(event) => void submit(event)}>
      <h3 id="composer-title" className="annotation-composer__title">
        {t("annotations.newThread")}
      </h3>
      <blockquote className="thread-card__quote thread-card__quote--static">“{props.composing.quote}”</blockquote>
      <div className={bodyError ? "field field--error" : "field"}>
        <label htmlFor="composer-body">{t("annotations.commentLabel")}</label>
        <textarea
          id="composer-body"
          name="body"
          rows={3}
          // The person asked to comment: the cursor goes where they will type.
          autoFocus
          aria-invalid={bodyError ? true : undefined}
          aria-describedby={bodyError ? "composer-body-error" : undefined}
        />
        {bodyError ? (
          <p className="field__error" id="composer-body-error" role="alert">
            {bodyError}
          </p>
        ) : null}
      </div>
      {props.privateDelegation ? (
        <fieldset className="annotation-composer__visibility">
          <legend>{t("annotations.whoSees")}</legend>
          <label>
            <input type="radio" name="visibility" value="all" defaultChecked /> {t("annotations.visibleAll")}
          </label>
          <label>
            <input type="radio" name="visibility" value="delegation" /> {t("annotations.visiblePrivate", { delegation: props.privateDelegation })}
          </label>
        </fieldset>
      ) : null}
      {errors.form ? (
        <p className="field__error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <div className="annotation-composer__actions">
        <button type="submit" className="button button--small" disabled={busy}>
          {t("annotations.post")}
        </button>
        <button type="button" className="button button--quiet button--small" onClick={props.onCancel}>
          {t("annotations.cancel")}
        </button>
      </div>
    </form>
  );
}
