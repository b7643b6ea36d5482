import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormAlert, FormField } from "~/components/form-field";
import { NewPasswordFields } from "~/components/new-password-fields";
import { DelegationMark } from "~/components/delegation-mark";
import { t } from "../../i18n/translate";
import { fields, formAction, FormRejection, parseForm, formMessage } from "~/utils/forms.server";
import { errorsOf } from "~/utils/forms";
import { roleLabel } from "~/utils/labels";
import { requireSession, requireUser } from "~/utils/session.server";
import { requireRecentSecondFactor } from "~/utils/step-up.server";
import { StepUpForm } from "~/components/step-up";
import { clearedSessionCookie } from "../../server/auth/cookie";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../../server/auth/password";
import { findDelegation } from "../../server/domain/delegations";
import { changePassword, setUserLanguage, signOutEverywhere } from "../../server/domain/users";
import { clearedLanguageCookie, languageCookie } from "../../server/http/language";
import { LANGUAGE_NAMES, LANGUAGES } from "../../i18n/languages";

export const meta: MetaFunction = () => [{ title: `${t("account.title")} — ${t("app.name")}` }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const delegation = user.delegationCode ? await findDelegation(user.delegationCode) : null;
  return {
    account: {
      displayName: user.displayName,
      email: user.email,
      role: user.role,
      delegation: delegation ? { code: delegation.code, name: delegation.name, colour: delegation.colour } : null,
    },
    minPasswordLength: MIN_PASSWORD_LENGTH,
    language: user.language,
    languageSaved: new URL(request.url).searchParams.has("language-saved"),
  };
}

const AccountForm = z
  .discriminatedUnion("intent", [
    z.object({
      intent: z.literal("change-password"),
      currentPassword: fields.password(1, MAX_PASSWORD_LENGTH),
      newPassword: fields.password(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH),
      confirmPassword: fields.password(1, MAX_PASSWORD_LENGTH),
    }),
    z.object({ intent: z.literal("sign-out-everywhere") }),
    z.object({ intent: z.literal("set-language"), language: fields.choice(["browser", ...LANGUAGES] as const) }),
  ])
  .superRefine((input, context) => {
    if (input.intent === "change-password" && input.newPassword !== input.confirmPassword) {
      context.addIssue({ code: "custom", path: ["confirmPassword"], message: formMessage("account.passwordMismatch") });
    }
  });

export const action = formAction(async ({ context, request }) => {
  const session = requireSession(context, request);
  const input = await parseForm(request, AccountForm);
  if (input.intent === "set-language") {
    const language = input.language === "browser" ? null : input.language;
    await setUserLanguage(session.user, language);
    // The whole page reloads, in the language chosen.
    const cookie = language ? languageCookie(language, context.secureCookies) : clearedLanguageCookie(context.secureCookies);
    throw redirect("/account?language-saved", { headers: { "Set-Cookie": cookie } });
  }
  if (input.intent === "sign-out-everywhere") {
    await signOutEverywhere(context.live, session.user);
    throw redirect("/login", { headers: { "Set-Cookie": clearedSessionCookie(context.secureCookies) } });
  }
  // The password is the first factor: changing it takes the second, as changing that does.
  requireRecentSecondFactor(context, { intent: input.intent });
  const changed = await changePassword(context.live, {
    user: session.user,
    sessionId: session.id,
    currentPassword: input.currentPassword,
    newPassword: input.newPassword,
  });
  if (!changed) throw new FormRejection({ currentPassword: t("account.wrongPassword") }, { intent: input.intent });
  return { passwordChangedAt: new Date().toISOString() };
});

export default function Account() {
  const { account, minPasswordLength, language, languageSaved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const changedAt = actionData && "passwordChangedAt" in actionData ? actionData.passwordChangedAt : null;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <>
      <h1>{t("account.title")}</h1>
      <FormAlert message={errors.form} />
      <section aria-labelledby="details-title" className="panel">
        <h2 id="details-title">{t("account.detailsTitle")}</h2>
        <dl className="facts">
          <dt>{t("account.name")}</dt>
          <dd>{account.displayName}</dd>
          <dt>{t("account.email")}</dt>
          <dd>{account.email}</dd>
          <dt>{t("account.role")}</dt>
          <dd>{roleLabel(account.role)}</dd>
          <dt>{t("account.delegation")}</dt>
          <dd>
            {account.delegation ? (
              <>
                <DelegationMark code={account.delegation.code} colour={account.delegation.colour} />{" "}
                {account.delegation.name}
              </>
            ) : (
              t("account.noDelegation")
            )}
          </dd>
        </dl>
      </section>
      <div className="grid">
        <section aria-labelledby="password-title" className="panel">
          <h2 id="password-title">{t("account.passwordTitle")}</h2>
          <p className="muted">{t("account.passwordIntro")}</p>
          {changedAt ? (
            <div className="alert alert--success" role="status">
              {t("account.passwordChanged")}
            </div>
          ) : null}
          {/* A new key after each change empties the fields. */}
          <StepUpForm method="post" className="stack" noValidate key={changedAt ?? "password"}>
            <input type="hidden" name="intent" value="change-password" />
            <FormField
              label={t("account.currentPassword")}
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              required
              error={errors.currentPassword}
            />
            <NewPasswordFields
              name="newPassword"
              label={t("account.newPassword")}
              confirmLabel={t("account.confirmPassword")}
              hint={t("account.newPasswordHint", { min: minPasswordLength })}
              minLength={minPasswordLength}
              errors={errors}
            />
            <div>
              <button type="submit" className="button" disabled={busy}>
                {t("account.passwordSubmit")}
              </button>
            </div>
          </StepUpForm>
        </section>
        <section aria-labelledby="language-title" className="panel">
          <h2 id="language-title">{t("account.languageTitle")}</h2>
          {languageSaved ? (
            <div className="alert alert--success" role="status">
              {t("account.languageSaved")}
            </div>
          ) : null}
          <Form method="post" className="stack" reloadDocument>
            <input type="hidden" name="intent" value="set-language" />
            <div className="field">
              <label htmlFor="language">{t("account.language")}</label>
              <p className="field__hint" id="language-hint">
                {t("account.languageHint")}
              </p>
              <select id="language" name="language" defaultValue={language ?? "browser"} aria-describedby="language-hint">
                <option value="browser">{t("account.languageBrowser")}</option>
                {LANGUAGES.map((code) => (
                  <option key={code} value={code} lang={code}>
                    {LANGUAGE_NAMES[code]}
                  </option>
                ))}
              </select>
              {errors.language ? <p className="field__error">{errors.language}</p> : null}
            </div>
            <div>
              <button type="submit" className="button" disabled={busy}>
                {t("account.languageSubmit")}
              </button>
            </div>
          </Form>
        </section>
        <section aria-labelledby="security-title" className="panel">
          <h2 id="security-title">{t("security.title")}</h2>
          <p>{t("account.securityIntro")}</p>
          <p>
            <Link to="/account/security">{t("account.securityLink")}</Link>
          </p>
        </section>
        <section aria-labelledby="sessions-title" className="panel">
          <h2 id="sessions-title">{t("account.sessionsTitle")}</h2>
          <p>{t("account.sessionsIntro")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="sign-out-everywhere" />
            <button type="submit" className="button button--danger" disabled={busy}>
              {t("account.signOutEverywhere")}
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}
