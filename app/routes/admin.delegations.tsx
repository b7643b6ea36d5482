import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { DelegationMark } from "~/components/delegation-mark";
import { Link, useLoaderData } from "@remix-run/react";
import { t } from "../../i18n/translate";
import { authorize, requireUser } from "~/utils/session.server";
import { listDelegations } from "../../server/domain/delegations";
import { listUsers } from "../../server/domain/users";

export const meta: MetaFunction = () => [{ title: `${t("admin.delegations.title")} — ${t("admin.title")} — ${t("app.name")}` }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  authorize(user, "admin.view", { type: "site" });
  const [delegations, users] = await Promise.all([listDelegations(), listUsers()]);
  return {
    delegations: delegations.map((delegation) => ({
      ...delegation,
      members: users.filter((member) => member.delegationCode === delegation.code && !member.disabled).length,
    })),
  };
}

export default function Delegations() {
  const { delegations } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="delegations-title">
      <h2 id="delegations-title">{t("admin.delegations.title")}</h2>
      <p className="muted">{t("admin.delegations.intro")}</p>
      <TableWrap>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("admin.delegations.flag")}</th>
              <th scope="col">{t("admin.delegations.name")}</th>
              <th scope="col">{t("admin.delegations.colour")}</th>
              <th scope="col">{t("admin.delegations.members")}</th>
            </tr>
          </thead>
          <tbody>
            {delegations.map((delegation) => (
              <tr key={delegation.code}>
                <td>
                  <DelegationMark code={delegation.code} colour={delegation.colour} />
                </td>
                <td>
                  <Link to={`/delegations/${delegation.code}`}>{delegation.name}</Link>
                </td>
                <td>
                  <span className="swatch" style={{ background: delegation.colour }} aria-hidden="true" />{" "}
                  <code>{delegation.colour}</code>
                </td>
                <td>{delegation.members}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}
