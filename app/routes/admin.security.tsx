import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormAlert } from "~/components/form-field";
import { StepUpForm } from "~/components/step-up";
import { TableWrap } from "~/components/table-wrap";
import { t } from "../../i18n/translate";
import securityStyles from "~/styles/security.css?url";
import { errorsOf } from "~/utils/forms";
import { formAction, parseForm } from "~/utils/forms.server";
import { roleLabel } from "~/utils/labels";
import { authorize, requireUser } from "~/utils/session.server";
import { requireRecentSecondFactor } from "~/utils/step-up.server";
import { ROLES } from "../../server/auth/roles";
import { factorStatuses, requiredRoles, setRequiredRoles } from "../../server/domain/second-factor";
import { listUsers } from "../../server/domain/users";

// The policy's checkboxes sit beside their labels as on the security page.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: securityStyles }];

export const meta: MetaFunction = () => [{ title: `${t("admin.security.title")} — ${t("admin.title")} — ${t("app.name")}` }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  authorize(user, "second-factor.set-policy", { type: "site" });
  const [roles, accounts, statuses] = await Promise.all([requiredRoles(), listUsers(), factorStatuses()]);
  return {
    required: roles,
    selfId: user.id,
    accounts: accounts.map((account) => {
      const status = statuses.get(account.id);
      return {
        id: account.id,
        displayName: account.displayName,
        email: account.email,
        role: account.role,
        disabled: account.disabled,
        passkeys: status?.passkeys ?? 0,
        totp: status?.totp ?? false,
        recoveryCodesLeft: status?.recoveryCodesLeft ?? 0,
      };
    }),
  };
}

// Each role is a checkbox: present ("on") when ticked.
const PolicyForm = z.object(Object.fromEntries(ROLES.map((role) => [`role-${role}`, z.literal("on").optional()])) as Record<`role-${(typeof ROLES)[number]}`, z.ZodOptional<z.ZodLiteral<"on">>>);

export const action = formAction(async ({ context, request }) => {
  const user = requireUser(context, request);
  authorize(user, "second-factor.set-policy", { type: "site" });
  const input = await parseForm(request, PolicyForm);
  requireRecentSecondFactor(context);
  const roles = ROLES.filter((role) => input[`role-${role}`] === "on");
  await setRequiredRoles(context.live, user, roles);
  return { saved: true as const };
});

export default function SecondFactorAdmin() {
  const { required, accounts, selfId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const saved = actionData && "saved" in actionData;
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <section aria-labelledby="policy-title" className="panel">
        <h2 id="policy-title">{t("admin.security.policyTitle")}</h2>
        <p className="muted">{t("admin.security.policyIntro")}</p>
        {saved ? (
          <div className="alert alert--success" role="status">
            {t("admin.security.saved")}
          </div>
        ) : null}
        <FormAlert message={errors.form} />
        <StepUpForm method="post" className="stack">
          <fieldset>
            <legend>{t("admin.security.rolesLegend")}</legend>
            {ROLES.map((role) => (
              <div className="field field--checkbox" key={role}>
                <input type="checkbox" id={`role-${role}`} name={`role-${role}`} defaultChecked={required.includes(role)} />
                <label htmlFor={`role-${role}`}>{roleLabel(role)}</label>
              </div>
            ))}
          </fieldset>
          <div>
            <button type="submit" className="button" disabled={busy}>
              {t("admin.security.save")}
            </button>
          </div>
        </StepUpForm>
      </section>
      <section aria-labelledby="factors-title">
        <h2 id="factors-title">{t("admin.security.accountsTitle")}</h2>
        <p className="muted">{t("admin.security.accountsIntro")}</p>
        <TableWrap>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("admin.accounts.name")}</th>
                <th scope="col">{t("admin.accounts.role")}</th>
                <th scope="col">{t("admin.security.factors")}</th>
                <th scope="col">{t("admin.security.recoveryCodes")}</th>
                <th scope="col">{t("admin.accounts.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => {
                const none = account.passkeys === 0 && !account.totp;
                return (
                  <tr key={account.id}>
                    <td>
                      {account.displayName}
                      <br />
                      <span className="muted">{account.email}</span>
                    </td>
                    <td>{roleLabel(account.role)}</td>
                    <td>
                      {none ? (
                        <span className={required.includes(account.role) ? "badge badge--danger" : "badge"}>{t("admin.security.none")}</span>
                      ) : (
                        [account.passkeys > 0 ? t("admin.security.passkeys", { count: account.passkeys }) : null, account.totp ? t("admin.security.app") : null]
                          .filter(Boolean)
                          .join(", ")
                      )}
                    </td>
                    <td>{none ? "—" : account.recoveryCodesLeft}</td>
                    <td>
                      {account.id === selfId || none ? null : (
                        <Link to={`/accounts/${account.id}/second-factor`} aria-label={t("admin.security.resetFor", { name: account.displayName })}>
                          {t("admin.security.reset")}
                        </Link>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </>
  );
}
