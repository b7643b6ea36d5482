import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormAlert, TextAreaField } from "~/components/form-field";
import { StepUpForm } from "~/components/step-up";
import { t } from "../../i18n/translate";
import { errorsOf, valuesOf } from "~/utils/forms";
import { fields, formAction, parseForm } from "~/utils/forms.server";
import { roleLabel } from "~/utils/labels";
import { authorize, notFound, requireUser } from "~/utils/session.server";
import { requireRecentSecondFactor } from "~/utils/step-up.server";
import type { SessionUser } from "../../server/auth/session";
import { factorStatuses, resetSecondFactor } from "../../server/domain/second-factor";
import { findUser, type User } from "../../server/domain/users";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${t("reset.title", { name: data.account.displayName })} — ${t("app.name")}` : t("app.name") },
];

// The account, when the reader may reset its factors; an account they may not reset is as good as
// unknown to this page.
async function requireResettable(user: SessionUser, id: string | undefined): Promise<User> {
  const account = await findUser(id ?? "");
  if (!account) throw notFound();
  authorize(user, "second-factor.reset", { type: "account", id: account.id, role: account.role, delegationCode: account.delegationCode });
  return account;
}

/** `GET /accounts/<id>/second-factor`: resetting the factors of someone who lost them all. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const account = await requireResettable(user, params.id);
  const status = (await factorStatuses([account.id])).get(account.id);
  return {
    account: { id: account.id, displayName: account.displayName, email: account.email, role: account.role, delegationCode: account.delegationCode },
    passkeys: status?.passkeys ?? 0,
    totp: status?.totp ?? false,
    back: user.role === "secretariat" ? "/admin/security" : `/delegations/${account.delegationCode ?? ""}`,
  };
}

const ResetForm = z.object({ check: fields.text(500, 10) });

export const action = formAction(async ({ context, request, params }) => {
  const user = requireUser(context, request);
  const account = await requireResettable(user, params.id);
  const input = await parseForm(request, ResetForm);
  requireRecentSecondFactor(context, { check: input.check });
  await resetSecondFactor(context.live, { actor: user, user: account, check: input.check });
  return { reset: true as const };
});

export default function ResetSecondFactor() {
  const { account, passkeys, totp, back } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const values = valuesOf(actionData);
  const busy = useNavigation().state === "submitting";
  const reset = actionData && "reset" in actionData;
  return (
    <div className="page--narrow">
      <p>
        <Link to={back}>{t("reset.back")}</Link>
      </p>
      <h1>{t("reset.title", { name: account.displayName })}</h1>
      <dl className="facts">
        <dt>{t("account.email")}</dt>
        <dd>{account.email}</dd>
        <dt>{t("account.role")}</dt>
        <dd>{roleLabel(account.role)}</dd>
        <dt>{t("reset.factors")}</dt>
        <dd>
          {passkeys === 0 && !totp
            ? t("admin.security.none")
            : [passkeys > 0 ? t("admin.security.passkeys", { count: passkeys }) : null, totp ? t("admin.security.app") : null].filter(Boolean).join(", ")}
        </dd>
      </dl>
      {reset ? (
        <div className="alert alert--success" role="status">
          {t("reset.done", { name: account.displayName })}
        </div>
      ) : passkeys === 0 && !totp ? (
        <p>{t("reset.nothing")}</p>
      ) : (
        <div className="panel">
          <p>{t("reset.intro")}</p>
          <FormAlert message={errors.form} />
          <StepUpForm method="post" className="stack" noValidate>
            <TextAreaField label={t("reset.check")} hint={t("reset.checkHint")} name="check" maxLength={500} rows={3} defaultValue={values.check} error={errors.check} />
            <div>
              <button type="submit" className="button button--danger" disabled={busy}>
                {t("reset.submit")}
              </button>
            </div>
          </StepUpForm>
        </div>
      )}
    </div>
  );
}
