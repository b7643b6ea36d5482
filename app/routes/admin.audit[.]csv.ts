import type { LoaderFunctionArgs } from "@remix-run/node";
import { t } from "../../i18n/translate";
import { readAuditFilter } from "~/utils/audit.server";
import { authorize, requireUser } from "~/utils/session.server";
import { requireRecentSecondFactorToDownload } from "~/utils/step-up.server";
import { eachAuditEvent } from "../../server/domain/audit";
import { csvLine, UTF8_BOM } from "../../server/render/csv";

/**
 * The audit trail as CSV, with the page's filters, newest first: every matching event, streamed a
 * page at a time. The secretariat's alone, like the page.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  authorize(user, "admin.view", { type: "site" });
  // The whole trail leaves the server: a recent second factor first.
  requireRecentSecondFactorToDownload(context, request);
  const { filter, errors } = readAuditFilter(new URL(request.url).searchParams);
  if (Object.keys(errors).length > 0) {
    return new Response(`${Object.entries(errors).map(([field, message]) => t("common.labelled", { label: field, value: message })).join("\n")}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const encoder = new TextEncoder();
  const events = eachAuditEvent({ ...filter, viewer: user });
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(
        encoder.encode(
          UTF8_BOM +
            csvLine([
              t("audit.csvHeader.time"),
              t("audit.csvHeader.actor"),
              t("audit.csvHeader.actorId"),
              t("audit.csvHeader.delegation"),
              t("audit.csvHeader.action"),
              t("audit.csvHeader.targetType"),
              t("audit.csvHeader.targetId"),
              t("audit.csvHeader.details"),
            ]),
        ),
      );
    },
    async pull(controller) {
      const next = await events.next();
      if (next.done) return controller.close();
      const event = next.value;
      controller.enqueue(
        encoder.encode(
          csvLine([
            event.createdAt.toISOString(),
            event.actorName,
            event.actorId,
            event.delegationCode,
            event.action,
            event.targetType,
            event.targetId,
            JSON.stringify(event.details),
          ]),
        ),
      );
    },
    async cancel() {
      await events.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="accord-audit-${day}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
