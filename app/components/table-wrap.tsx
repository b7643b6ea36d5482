import type { ReactNode } from "react";
import { t } from "../../i18n/translate";

/**
 * A wide table's frame, which scrolls sideways on narrow screens (and in languages whose words are
 * longer): it can take the focus, so that a keyboard scrolls it too, and it is named for that.
 */
export function TableWrap({ children }: { children: ReactNode }) {
  return (
    // A scrolling region must be reachable by keyboard (WCAG 2.1.1).
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t("table.scrolls")}>
      {children}
    </div>
  );
}
