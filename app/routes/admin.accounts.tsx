import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { AccountRow } from "~/components/admin/account-row";
import { FormAlert } from "~/components/form-field";
import { t } from "../../i18n/translate";
import { errorsOf, valuesOf } from "~/utils/forms";
import { formAction, parseForm, formMessage } from "~/utils/forms.server";
import { roleLabel } from "~/utils/labels";
import { checkMembership, membershipFields } from "~/utils/membership.server";
import { authorize, notFound, requireUser } from "~/utils/session.server";
import { requireRecentSecondFactor } from "~/utils/step-up.server";
import { listDelegations } from "../../server/domain/delegations";
import { changeUserRole, findUser, listUsers, setUserDisabled } from "../../server/domain/users";

export const meta: MetaFunction = () => [{ title: `${t("admin.accounts.title")} — ${t("admin.title")} — ${t("app.name")}` }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  authorize(user, "admin.view", { type: "site" });
  const [accounts, delegations] = await Promise.all([listUsers(), listDelegations()]);
  return { accounts, delegations, selfId: user.id };
}

function accountForm(delegationCodes: readonly string[]) {
  const invalid = { errorMap: () => ({ message: formMessage("form.invalidChoice") }) };
  return z
    .discriminatedUnion(
      "intent",
      [
        z.object({ intent: z.literal("change-role"), userId: z.string(), ...membershipFields(delegationCodes) }),
        z.object({ intent: z.enum(["disable", "enable"]), userId: z.string() }),
      ],
      invalid,
    )
    .superRefine((input, ctx) => {
      if (input.intent === "change-role") checkMembership(input, ctx);
    });
}

export const action = formAction(async ({ context, request }) => {
  const user = requireUser(context, request);
  authorize(user, "admin.view", { type: "site" });
  const delegations = await listDelegations();
  const input = await parseForm(request, accountForm(delegations.map((delegation) => delegation.code)));
  const account = await findUser(input.userId);
  if (!account) throw notFound();
  requireRecentSecondFactor(context, { intent: input.intent, userId: input.userId });
  const resource = { type: "account", id: account.id, role: account.role, delegationCode: account.delegationCode } as const;
  const name = account.displayName;
  if (input.intent === "change-role") {
    authorize(user, "account.change-role", resource);
    await changeUserRole(context.live, { actor: user, user: account, role: input.role, delegationCode: input.delegation });
    return { notice: t("admin.accounts.roleChanged", { name, role: roleLabel(input.role) }) };
  }
  authorize(user, "account.disable", resource);
  const disabled = input.intent === "disable";
  await setUserDisabled(context.live, { actor: user, user: account, disabled });
  return { notice: t(disabled ? "admin.accounts.wasDisabled" : "admin.accounts.wasEnabled", { name }) };
});

export default function Accounts() {
  const { accounts, delegations, selfId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const values = valuesOf(actionData);
  const notice = actionData && "notice" in actionData ? actionData.notice : undefined;
  const busy = useNavigation().state === "submitting";
  // An error about a role or delegation is shown in its row; anything else at the top.
  const rowHasErrors = values.intent === "change-role" && accounts.some((account) => account.id === values.userId);
  const general = errors.form ?? errors.intent ?? errors.userId ?? (Object.keys(errors).length > 0 && !rowHasErrors ? t("form.errorSummary") : undefined);
  return (
    <section aria-labelledby="accounts-title">
      <h2 id="accounts-title">{t("admin.accounts.title")}</h2>
      <p className="muted">{t("admin.accounts.intro")}</p>
      {notice ? (
        <div className="alert alert--success" role="status">
          {notice}
        </div>
      ) : null}
      <FormAlert message={general} />
      {rowHasErrors ? <FormAlert message={t("form.errorSummary")} /> : null}
      {accounts.length === 0 ? (
        <p>{t("admin.accounts.empty")}</p>
      ) : (
        <TableWrap>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("admin.accounts.name")}</th>
                <th scope="col">{t("admin.accounts.email")}</th>
                <th scope="col">{t("admin.accounts.role")}</th>
                <th scope="col">{t("admin.accounts.delegation")}</th>
                <th scope="col">{t("admin.accounts.status")}</th>
                <th scope="col">{t("admin.accounts.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => (
                <AccountRow
                  key={account.id}
                  account={account}
                  delegations={delegations}
                  isSelf={account.id === selfId}
                  errors={rowHasErrors && values.userId === account.id ? errors : undefined}
                  busy={busy}
                />
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
