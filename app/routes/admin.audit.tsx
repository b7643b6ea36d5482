import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { FormField, SelectField } from "~/components/form-field";
import { StepUpLink } from "~/components/step-up";
import { t, type MessageKey } from "../../i18n/translate";
import { auditQuery, describeDetails } from "~/utils/audit";
import { readAuditFilter } from "~/utils/audit.server";
import { formatDateTime } from "~/utils/labels";
import { authorize, requireUser } from "~/utils/session.server";
import { listAuditEvents } from "../../server/domain/audit";
import { listDelegations } from "../../server/domain/delegations";
import { listReadableDrafts } from "../../server/domain/drafts";
import { listUsers } from "../../server/domain/users";

const SHOWN = 200;

/** What the trail's events are about, as the filter offers them. */
export const TARGET_TYPES = ["draft", "thread", "comment", "amendment", "round", "user", "invitation"] as const;

export const meta: MetaFunction = () => [{ title: `${t("admin.audit.title")} — ${t("admin.title")} — ${t("app.name")}` }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  authorize(user, "admin.view", { type: "site" });
  const { filter, values, errors } = readAuditFilter(new URL(request.url).searchParams);
  const failed = Object.keys(errors).length > 0;
  const [events, delegations, people, drafts] = await Promise.all([
    failed ? Promise.resolve([]) : listAuditEvents({ ...filter, viewer: user, limit: SHOWN + 1 }),
    listDelegations(),
    listUsers(),
    listReadableDrafts(user),
  ]);
  const shown = events.slice(0, SHOWN);
  return data(
    {
      events: shown,
      olderThan: events.length > SHOWN ? shown[shown.length - 1]?.id ?? null : null,
      paged: filter.before !== undefined,
      values,
      errors,
      delegations: delegations.map((delegation) => ({ code: delegation.code, name: delegation.shortName })),
      people: people.map((person) => ({ id: person.id, name: person.displayName, email: person.email })),
      drafts: drafts.map((draft) => ({ id: draft.id, title: draft.title })),
    },
    { status: failed ? 400 : 200 },
  );
}

export default function Audit() {
  const { events, olderThan, paged, values, errors, delegations, people, drafts } = useLoaderData<typeof loader>();
  const any = { value: "", label: t("audit.filter.any") };
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t("admin.audit.title")}</h2>
      <p className="muted">{t("admin.audit.intro", { count: SHOWN })}</p>
      <Form method="get" className="panel inline-form" aria-labelledby="audit-filter-title">
        <h3 id="audit-filter-title" className="visually-hidden">
          {t("audit.filter.title")}
        </h3>
        <FormField label={t("audit.filter.action")} name="action" defaultValue={values.action} hint={t("audit.filter.actionHint")} error={errors.action} />
        <SelectField
          label={t("audit.filter.actor")}
          name="actor"
          defaultValue={values.actor}
          error={errors.actor}
          options={[any, ...people.map((person) => ({ value: person.id, label: `${person.name} (${person.email})` }))]}
        />
        <SelectField
          label={t("audit.filter.delegation")}
          name="delegation"
          defaultValue={values.delegation}
          error={errors.delegation}
          options={[any, ...delegations.map((delegation) => ({ value: delegation.code, label: delegation.name }))]}
        />
        <SelectField
          label={t("audit.filter.target")}
          name="target"
          defaultValue={values.target}
          error={errors.target}
          options={[any, ...TARGET_TYPES.map((type) => ({ value: type, label: t(`audit.target.${type}` as MessageKey) }))]}
        />
        <SelectField
          label={t("audit.filter.draft")}
          name="draft"
          defaultValue={values.draft}
          error={errors.draft}
          options={[any, ...drafts.map((draft) => ({ value: draft.id, label: draft.title }))]}
        />
        <FormField label={t("audit.filter.from")} name="from" type="date" defaultValue={values.from} error={errors.from} />
        <FormField label={t("audit.filter.to")} name="to" type="date" defaultValue={values.to} error={errors.to} />
        <div className="inline-form__actions">
          <button type="submit" className="button">
            {t("audit.filter.apply")}
          </button>{" "}
          <Link to="/admin/audit">{t("audit.filter.clear")}</Link>
        </div>
      </Form>
      <p>
        <StepUpLink href={`/admin/audit.csv${auditQuery(values)}`} download>
          {t("audit.csv")}
        </StepUpLink>
      </p>
      {events.length === 0 ? (
        <p>{Object.values(values).some(Boolean) ? t("audit.filter.noMatch") : t("admin.audit.empty")}</p>
      ) : (
        <TableWrap>
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
                    <time dateTime={new Date(event.createdAt).toISOString()}>{formatDateTime(new Date(event.createdAt))}</time>
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
        </TableWrap>
      )}
      <p>
        {olderThan ? <Link to={`/admin/audit${auditQuery(values, { before: String(olderThan) })}`}>{t("audit.older")}</Link> : null}
        {olderThan && paged ? " · " : null}
        {paged ? <Link to={`/admin/audit${auditQuery(values)}`}>{t("audit.newest")}</Link> : null}
      </p>
    </section>
  );
}
