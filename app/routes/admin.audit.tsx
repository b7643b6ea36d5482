import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { t } from "~/i18n/translate";
import { formatDateTime } from "~/utils/labels";
import { authorize, requireUser } from "~/utils/session.server";
import { listAuditEvents } from "../../server/domain/audit";

const SHOWN = 200;

export const meta: MetaFunction = () => [{ title: `${t("admin.audit.title")} — ${t("admin.title")} — ${t("app.name")}` }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  authorize(user, "admin.view", { type: "site" });
  return { events: await listAuditEvents({ limit: SHOWN }) };
}

// Details are free-form records; they are shown as "key: value" pairs, values as JSON.
function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("; ");
}

export default function Audit() {
  const { events } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t("admin.audit.title")}</h2>
      <p className="muted">{t("admin.audit.intro", { count: SHOWN })}</p>
      {events.length === 0 ? (
        <p>{t("admin.audit.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("admin.audit.time")}</th>
                <th scope="col">{t("admin.audit.actor")}</th>
                <th scope="col">{t("admin.audit.delegation")}</th>
                <th scope="col">{t("admin.audit.action")}</th>
                <th scope="col">{t("admin.audit.target")}</th>
                <th scope="col">{t("admin.audit.details")}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td className="nowrap">
                    <time dateTime={event.createdAt.toISOString()}>{formatDateTime(event.createdAt)}</time>
                  </td>
                  <td>{event.actorName ?? <span className="muted">{t("admin.audit.noActor")}</span>}</td>
                  <td>{event.delegationCode?.toUpperCase() ?? ""}</td>
                  <td className="nowrap">
                    <code>{event.action}</code>
                  </td>
                  <td className="nowrap">
                    {event.targetType}{" "}
                    {/* Ids are long; the first characters tell records apart, the full id stays in the title. */}
                    {event.targetId ? <code title={event.targetId}>{event.targetId.slice(0, 8)}</code> : null}
                  </td>
                  <td>{describeDetails(event.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
