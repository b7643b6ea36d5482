import { TextSelection } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { Link, useParams } from "@remix-run/react";
import { useState } from "react";
import { redlineRanges } from "~/editor/amendments";
import { t } from "../../../i18n/translate";
import { valuesOf } from "~/utils/forms";
import type { AmendmentJson } from "~/utils/amendments.server";
import { AmendmentItem } from "./amendment-item";
import type { AmendmentDelegation } from "./use-amendments";

const STATUSES = ["open", "withdrawn", "adopted", "rejected"] as const;

/**
 * The list of a draft's amendments, by number, with filters (status; delegation, tabling or
 * co-sponsoring) and the toggle of the redline in the text. Each amendment's actions are forms
 * that work without JavaScript.
 */
export function AmendmentsPanel(props: {
  amendments: AmendmentJson[];
  delegations: AmendmentDelegation[];
  visible: boolean;
  onVisibleChange: (visible: boolean) => void;
  /** The page's answer to a form sent without JavaScript. */
  actionData: unknown;
  /** The live editor, once it exists: open amendments can be shown in it. */
  editor: EditorView | null;
  /** Whether the reader may table amendments (and so bring them from a marked-up Word file). */
  canTable: boolean;
}) {
  const [status, setStatus] = useState("");
  const [delegation, setDelegation] = useState("");
  const { amendments, delegations } = props;
  const { slug } = useParams();
  const shown = amendments.filter(
    (amendment) =>
      (status === "" || amendment.status === status) &&
      (delegation === "" || amendment.delegation === delegation || amendment.cosponsors.includes(delegation)),
  );
  return (
    <section className="amendments" aria-labelledby="amendments-title" id="amendments">
      <h2 id="amendments-title">{t("amendments.title")}</h2>
      <p className="muted">
        {t("amendments.intro")} {slug ? <Link to={`/drafts/${slug}/motions`}>{t("motions.fromAmendments")}</Link> : null}
        {slug && props.canTable ? (
          <>
            {" "}
            <Link to={`/drafts/${slug}/amendments/word`}>{t("markup.link")}</Link>
          </>
        ) : null}
      </p>
      <div className="amendments__controls">
        <label className="amendments__toggle">
          <input type="checkbox" checked={props.visible} onChange={(event) => props.onVisibleChange(event.target.checked)} />{" "}
          {t("amendments.showInText")}
        </label>
        <div className="amendments__filters">
          <label>
            {t("amendments.filterStatus")}{" "}
            <select value={status} onChange={(event) => setStatus(event.target.value)} name="amendment-status">
              <option value="">{t("amendments.filterAll")}</option>
              {STATUSES.map((value) => (
                <option key={value} value={value}>
                  {t(`amendments.status.${value}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("amendments.filterDelegation")}{" "}
            <select value={delegation} onChange={(event) => setDelegation(event.target.value)} name="amendment-delegation">
              <option value="">{t("amendments.filterDelegationAll")}</option>
              {delegations.map((item) => (
                <option key={item.code} value={item.code}>
                  {item.name}
                </option>
              ))}
            </select>
          </label>
          {amendments.length > 0 ? (
            <span className="muted" role="status">
              {t("amendments.count", { shown: shown.length, total: amendments.length })}
            </span>
          ) : null}
        </div>
      </div>
      {amendments.length === 0 ? <p>{t("amendments.none")}</p> : shown.length === 0 ? <p>{t("amendments.noneMatch")}</p> : null}
      <ol className="amendments__list">
        {shown.map((amendment) => (
          <AmendmentItem
            key={amendment.number}
            amendment={amendment}
            delegations={delegations}
            pageAnswer={answeredNumber(props.actionData) === String(amendment.number) ? props.actionData : null}
            onShow={props.editor && amendment.status === "open" && amendment.range ? showInText(props.editor, amendment.label) : undefined}
          />
        ))}
      </ol>
    </section>
  );
}

// Which amendment the page's own answer is about: `number` in a decision's answer or its sent values.
function answeredNumber(actionData: unknown): string | null {
  if (!actionData || typeof actionData !== "object") return null;
  if ("number" in actionData && typeof actionData.number === "string") return actionData.number.replace(/^A-/i, "");
  const number = valuesOf(actionData).number;
  return number ? number.replace(/^A-/i, "") : null;
}

// Selects an open amendment's words (or its insertion point) in the editor, where they stand now.
function showInText(editor: EditorView, label: string): () => void {
  return () => {
    if (editor.isDestroyed) return;
    const range = redlineRanges(editor.state).get(label);
    if (!range) return;
    editor.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, range.from, range.to)).scrollIntoView());
    editor.focus();
  };
}
