import { TableWrap } from "~/components/table-wrap";
import type { ReactNode } from "react";
import { t } from "../../i18n/translate";
import type { DispositionLine } from "~/utils/consultation.server";

/**
 * A version's disposition table: each accepted comment by clause, who sent it (as they agreed to be
 * named), and the answer. `answer` renders the last cell instead of the written answer (the
 * secretariat's form).
 */
export function DispositionTable({ caption, lines, answer }: { caption: string; lines: DispositionLine[]; answer?: (line: DispositionLine) => ReactNode }) {
  return (
    <TableWrap>
      <table className="dispositions">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("consultation.column.clause")}</th>
            <th scope="col">{t("consultation.column.respondent")}</th>
            <th scope="col">{t("consultation.column.comment")}</th>
            <th scope="col">{t("consultation.column.disposition")}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.id} data-testid="disposition-row">
              <th scope="row">{line.clauseNumber ?? t("consultation.wholeText")}</th>
              <td>{line.respondent}</td>
              <td className="pre-line">{line.comment}</td>
              <td>
                {answer ? (
                  answer(line)
                ) : line.disposition ? (
                  <>
                    <strong>{t(`consultation.disposition.${line.disposition}`)}</strong>
                    {line.reason ? <p className="pre-line">{line.reason}</p> : null}
                  </>
                ) : (
                  <span className="muted">{t("consultation.notAnswered")}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
