import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, isRouteErrorResponse, Link, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { z } from "zod";
import { FormAlert, FormField } from "~/components/form-field";
import { NewPasswordFields } from "~/components/new-password-fields";
import { t, type MessageKey } from "../../i18n/translate";
import { errorsOf, valuesOf } from "~/utils/forms";
import { fields, formAction, FormRejection, parseForm, formMessage } from "~/utils/forms.server";
import { roleLabel } from "~/utils/labels";
import { sessionCookie } from "../../server/auth/cookie";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../../server/auth/password";
import { createSession, invalidateSession } from "../../server/auth/session";
import { findDelegation } from "../../server/domain/delegations";
import { acceptInvitation, lookUpInvitation, type Invitation } from "../../server/domain/invitations";

type Unusable = "expired" | "used" | "revoked" | "unknown";

const GONE: Record<Unusable, { title: MessageKey; text: MessageKey }> = {
  expired: { title: "invite.gone.expiredTitle", text: "invite.gone.expired" },
  used: { title: "invite.gone.usedTitle", text: "invite.gone.used" },
  revoked: { title: "invite.gone.revokedTitle", text: "invite.gone.revoked" },
  unknown: { title: "invite.gone.unknownTitle", text: "invite.gone.unknown" },
};

export const meta: MetaFunction = ({ error }) => {
  const reason = unusableReason(error);
  return [
    { title: `${t(reason ? GONE[reason].title : "invite.title")} — ${t("app.name")}` },
    // The token in the address is a credential: keep it out of search engines and referrers.
    { name: "robots", content: "noindex" },
    { name: "referrer", content: "no-referrer" },
  ];
};

// 404 for a token that never existed, 410 for one that did but can no longer be used.
function unusable(reason: Unusable) {
  return data({ reason }, { status: reason === "unknown" ? 404 : 410 });
}

async function requireOpenInvitation(token: string | undefined): Promise<Invitation> {
  const lookup = await lookUpInvitation(token ?? "");
  if (lookup.status !== "valid") throw unusable(lookup.status);
  return lookup.invitation;
}

export async function loader({ context, params }: LoaderFunctionArgs) {
  const invitation = await requireOpenInvitation(params.token);
  const delegation = invitation.delegationCode ? await findDelegation(invitation.delegationCode) : null;
  return {
    email: invitation.email,
    role: invitation.role,
    delegationName: delegation?.name ?? null,
    signedInAs: context.session?.user.displayName ?? null,
    // Sent from here so that the password module (and its native hashing) stays out of the browser bundle.
    minPasswordLength: MIN_PASSWORD_LENGTH,
  };
}

const AcceptForm = z
  .object({
    displayName: fields.text(100),
    password: fields.password(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH),
    confirmPassword: z.string({ required_error: formMessage("form.required") }),
  })
  .refine((input) => input.password === input.confirmPassword, {
    path: ["confirmPassword"],
    message: formMessage("invite.passwordMismatch"),
  });

export const action = formAction(async ({ context, params, request }) => {
  const token = params.token ?? "";
  await requireOpenInvitation(token);
  const input = await parseForm(request, AcceptForm);
  const result = await acceptInvitation({ token, displayName: input.displayName, password: input.password, language: context.language });
  if (!result.ok) {
    if (result.status === "email-taken") throw new FormRejection({ form: t("invite.emailTaken") }, {}, 409);
    throw unusable(result.status);
  }
  // Whoever was signed in in this browser hands over to the new account.
  if (context.session) await invalidateSession(context.live, context.session.id);
  const session = await createSession(result.user.id);
  throw redirect("/drafts", {
    headers: { "Set-Cookie": sessionCookie(session.token, session.expiresAt, context.secureCookies) },
  });
});

export default function AcceptInvitation() {
  const { email, role, delegationName, signedInAs, minPasswordLength } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const values = valuesOf(actionData);
  const busy = useNavigation().state === "submitting";
  return (
    <div className="page--narrow">
      <h1>{t("invite.title")}</h1>
      <p>{t("invite.intro")}</p>
      {signedInAs ? (
        <div className="alert alert--info" role="note">
          {t("invite.signedInAs", { name: signedInAs })}
        </div>
      ) : null}
      <div className="panel">
        <table>
          <tbody>
            <tr>
              <th scope="row">{t("invite.email")}</th>
              <td>{email}</td>
            </tr>
            <tr>
              <th scope="row">{t("invite.role")}</th>
              <td>{roleLabel(role)}</td>
            </tr>
            <tr>
              <th scope="row">{t("invite.delegation")}</th>
              <td>{delegationName ?? t("invite.noDelegation")}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <div className="panel">
        <FormAlert message={errors.form ?? (Object.keys(errors).length > 0 ? t("form.errorSummary") : undefined)} />
        <Form method="post" className="stack" noValidate>
          {/* Lets password managers store the new password under the right account. */}
          <input type="hidden" name="username" autoComplete="username" value={email} />
          <FormField
            label={t("invite.displayName")}
            name="displayName"
            type="text"
            autoComplete="name"
            required
            maxLength={100}
            hint={t("invite.displayNameHint")}
            defaultValue={values.displayName}
            error={errors.displayName}
          />
          <NewPasswordFields
            name="password"
            label={t("invite.password")}
            confirmLabel={t("invite.confirmPassword")}
            hint={t("invite.passwordHint", { min: minPasswordLength })}
            minLength={minPasswordLength}
            errors={errors}
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              {t("invite.submit")}
            </button>
          </div>
        </Form>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const reason = unusableReason(error);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const [title, text] = reason ? [t(GONE[reason].title), t(GONE[reason].text)] : [t("error.title"), t("error.text")];
  return (
    <section className="error-page">
      <p className="error-page__status">{status}</p>
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        {reason === "used" ? <Link to="/login">{t("invite.gone.signIn")}</Link> : <Link to="/">{t("error.backHome")}</Link>}
      </p>
    </section>
  );
}

function unusableReason(error: unknown): Unusable | null {
  if (!isRouteErrorResponse(error) || typeof error.data !== "object" || error.data === null) return null;
  const reason: unknown = (error.data as { reason?: unknown }).reason;
  return typeof reason === "string" && reason in GONE ? (reason as Unusable) : null;
}
