import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { DateTime } from "~/components/date-time";
import { FormAlert, FormField } from "~/components/form-field";
import { RecoveryCodes } from "~/components/recovery-codes";
import { StepUpForm, useStepUp } from "~/components/step-up";
import { t, type MessageKey } from "../../i18n/translate";
import securityStyles from "~/styles/security.css?url";
import { errorsOf } from "~/utils/forms";
import { fields, formAction, FormRejection, parseForm } from "~/utils/forms.server";
import { roleLabel } from "~/utils/labels";
import { createPasskey, usePasskeySupport } from "~/utils/passkey-client";
import { safeRedirectPath } from "~/utils/safe-redirect";
import { recoveryCodesIfNone } from "~/utils/security.server";
import { requireSession } from "~/utils/session.server";
import { listPasskeys, removePasskey, renamePasskey } from "../../server/auth/passkeys";
import { generateRecoveryCodes, remainingRecoveryCodes, removeRecoveryCodes } from "../../server/auth/recovery-codes";
import { markSecondFactor, type AuthMethod } from "../../server/auth/session";
import { mayChangeFactors, mustEnrol } from "../../server/auth/step-up";
import { confirmTotpEnrolment, hasTotp, pendingTotpEnrolment, removeTotp, startTotpEnrolment } from "../../server/auth/totp";
import { recordFactorChange } from "../../server/domain/second-factor";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: securityStyles }];

export const meta: MetaFunction = () => [{ title: `${t("security.title")} — ${t("app.name")}` }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const session = requireSession(context, request);
  const { user } = session;
  const url = new URL(request.url);
  const [passkeys, totp, pendingTotp, recoveryLeft] = await Promise.all([
    listPasskeys(user.id),
    hasTotp(user.id),
    pendingTotpEnrolment(user),
    remainingRecoveryCodes(user.id),
  ]);
  return {
    role: user.role,
    required: user.secondFactor.required,
    mustEnrol: mustEnrol(user),
    authMethod: session.authMethod,
    passkeys: passkeys.map((passkey) => ({ ...passkey, createdAt: passkey.createdAt.toISOString(), lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null })),
    totp,
    pendingTotp: pendingTotp ? { secret: pendingTotp.secret, qrSvg: pendingTotp.qrSvg } : null,
    recoveryLeft,
    recovered: url.searchParams.has("recovered"),
    redirectTo: safeRedirectPath(url.searchParams.get("redirectTo"), ""),
  };
}

const SecurityForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("totp-start") }),
  z.object({ intent: z.literal("totp-confirm"), code: z.string().trim().min(1).max(64) }),
  z.object({ intent: z.literal("totp-remove") }),
  z.object({ intent: z.literal("passkey-rename"), passkeyId: z.string().max(64), name: fields.text(80) }),
  z.object({ intent: z.literal("passkey-remove"), passkeyId: z.string().max(64) }),
  z.object({ intent: z.literal("recovery-renew") }),
]);

export const action = formAction(async ({ context, request }) => {
  const session = requireSession(context, request);
  const { user } = session;
  const input = await parseForm(request, SecurityForm);
  // Renaming changes nothing a stranger could use; everything else needs a recent second factor
  // from someone who has one.
  if (input.intent !== "passkey-rename" && input.intent !== "totp-confirm" && !mayChangeFactors(session)) {
    throw new FormRejection({ form: t("stepUp.required"), stepUp: "required" }, { intent: input.intent }, 403);
  }
  switch (input.intent) {
    case "totp-start":
      await startTotpEnrolment(user);
      return { done: "totp-started" as const };
    case "totp-confirm": {
      const checked = await confirmTotpEnrolment(user.id, input.code);
      if (!checked.ok) {
        const message =
          checked.reason === "throttled"
            ? t("secondFactor.throttled", { minutes: Math.max(1, Math.ceil(checked.retryAfterSeconds / 60)) })
            : checked.reason === "none"
              ? t("security.totp.lapsed")
              : t("security.totp.wrongCode");
        throw new FormRejection({ code: message }, { intent: input.intent }, checked.reason === "throttled" ? 429 : 400);
      }
      await markSecondFactor(session.id);
      await recordFactorChange(user, { kind: "totp-enabled" });
      return { done: "totp-enabled" as const, recoveryCodes: await recoveryCodesIfNone(user) };
    }
    case "totp-remove": {
      await refuseRemovingTheLast(session.user, "totp");
      if (await removeTotp(user.id)) await recordFactorChange(user, { kind: "totp-removed" });
      await forgetRecoveryCodesIfNoFactor(user.id);
      return { done: "totp-removed" as const };
    }
    case "passkey-rename": {
      const passkey = (await listPasskeys(user.id)).find((item) => item.id === input.passkeyId);
      if (!passkey || !(await renamePasskey(user.id, passkey.id, input.name))) throw new FormRejection({ form: t("security.passkey.gone") }, {}, 404);
      await recordFactorChange(user, { kind: "passkey-renamed", from: passkey.name, to: input.name });
      return { done: "passkey-renamed" as const };
    }
    case "passkey-remove": {
      const passkeys = await listPasskeys(user.id);
      const passkey = passkeys.find((item) => item.id === input.passkeyId);
      if (!passkey) throw new FormRejection({ form: t("security.passkey.gone") }, {}, 404);
      if (passkeys.length === 1) await refuseRemovingTheLast(session.user, "passkey");
      if (await removePasskey(user.id, passkey.id)) await recordFactorChange(user, { kind: "passkey-removed", name: passkey.name });
      await forgetRecoveryCodesIfNoFactor(user.id);
      return { done: "passkey-removed" as const };
    }
    case "recovery-renew": {
      if (!session.user.secondFactor.enrolled) throw new FormRejection({ form: t("security.recovery.noFactor") }, {}, 409);
      const codes = await generateRecoveryCodes(user.id);
      await recordFactorChange(user, { kind: "recovery-codes-renewed" });
      return { done: "recovery-renewed" as const, recoveryCodes: codes };
    }
  }
});

// Someone whose role needs a second factor keeps at least one: they add another before removing
// their last.
async function refuseRemovingTheLast(user: { id: string; secondFactor: { required: boolean; passkey: boolean; totp: boolean } }, removing: "totp" | "passkey") {
  if (!user.secondFactor.required) return;
  const others = removing === "totp" ? (await listPasskeys(user.id)).length : (await hasTotp(user.id)) ? 1 : 0;
  if (others === 0) throw new FormRejection({ form: t("security.lastFactor") }, {}, 409);
}

// Recovery codes stand in for a factor; with none left, they have nothing to stand in for.
async function forgetRecoveryCodesIfNoFactor(userId: string) {
  if ((await listPasskeys(userId)).length === 0 && !(await hasTotp(userId))) await removeRecoveryCodes(userId);
}

const METHODS: Record<AuthMethod, MessageKey> = {
  password: "security.method.password",
  "password+passkey": "security.method.passwordPasskey",
  "password+totp": "security.method.passwordTotp",
  "password+recovery": "security.method.passwordRecovery",
  passkey: "security.method.passkey",
};

export default function Security() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const done = actionData && "done" in actionData ? actionData.done : null;
  const [passkeyCodes, setPasskeyCodes] = useState<string[] | null>(null);
  const formCodes = actionData && "recoveryCodes" in actionData ? actionData.recoveryCodes : null;
  const codes = formCodes ?? passkeyCodes;
  const enrolled = data.passkeys.length > 0 || data.totp;
  return (
    <>
      <h1>{t("security.title")}</h1>
      {data.mustEnrol ? (
        <div className="alert alert--info" role="alert">
          {t("security.mustEnrol", { role: roleLabel(data.role) })}
        </div>
      ) : null}
      {data.recovered ? (
        <div className="alert alert--info" role="status">
          {t("security.recovered", { count: data.recoveryLeft })}
        </div>
      ) : null}
      {errors.form && !errors.stepUp ? <FormAlert message={errors.form} /> : null}
      {codes ? <RecoveryCodes codes={codes} renewed={done === "recovery-renewed"} continueTo={enrolled && data.redirectTo ? data.redirectTo : null} /> : null}
      {!codes && enrolled && data.redirectTo ? (
        <p>
          <Link to={data.redirectTo} className="button">
            {t("security.continue")}
          </Link>
        </p>
      ) : null}
      <p className="muted">{t("security.intro")}</p>
      <p>
        {t("security.thisSession")} <strong>{t(METHODS[data.authMethod])}</strong>
      </p>
      <PasskeysSection passkeys={data.passkeys} done={done} onCodes={setPasskeyCodes} />
      <TotpSection totp={data.totp} pending={data.pendingTotp} codeError={errors.code} done={done} />
      <section aria-labelledby="recovery-title" className="panel">
        <h2 id="recovery-title">{t("security.recovery.title")}</h2>
        <p>{enrolled ? t("security.recovery.left", { count: data.recoveryLeft }) : t("security.recovery.none")}</p>
        {enrolled ? (
          <StepUpForm method="post">
            <input type="hidden" name="intent" value="recovery-renew" />
            <button type="submit" className="button button--quiet">
              {t("security.recovery.renew")}
            </button>
          </StepUpForm>
        ) : null}
      </section>
      {data.required ? <p className="muted">{t("security.requiredNote")}</p> : null}
    </>
  );
}

type PasskeyRow = ReturnType<typeof useLoaderData<typeof loader>>["passkeys"][number];

function PasskeysSection({ passkeys, done, onCodes }: { passkeys: PasskeyRow[]; done: string | null; onCodes: (codes: string[] | null) => void }) {
  const stepUp = useStepUp();
  const revalidator = useRevalidator();
  const supported = usePasskeySupport();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    const name = String(values.get("name") ?? "").trim();
    if (!name) return setError(t("security.passkey.nameMissing"));
    setError(null);
    setAdded(null);
    if (!(await stepUp.ensure())) return;
    setBusy(true);
    const answer = await createPasskey<{ passkey: { name: string }; recoveryCodes: string[] | null }>("/account/security/passkeys", {
      name,
      passwordless: values.get("passwordless") === "on" ? "on" : "off",
    });
    setBusy(false);
    if (!answer.ok) return setError(answer.message);
    form.reset();
    setAdded(answer.data.passkey.name);
    onCodes(answer.data.recoveryCodes);
    revalidator.revalidate();
  };
  return (
    <section aria-labelledby="passkeys-title" className="panel">
      <h2 id="passkeys-title">{t("security.passkeys.title")}</h2>
      <p className="muted">{t("security.passkeys.intro")}</p>
      {added ? (
        <div className="alert alert--success" role="status">
          {t("security.passkey.added", { name: added })}
        </div>
      ) : null}
      {done === "passkey-removed" ? (
        <div className="alert alert--success" role="status">
          {t("security.passkey.removed")}
        </div>
      ) : null}
      {passkeys.length === 0 ? (
        <p>{t("security.passkeys.none")}</p>
      ) : (
        <ul className="factor-list">
          {passkeys.map((passkey) => (
            <li key={passkey.id} className="factor-list__item">
              <div>
                <strong>{passkey.name}</strong> {passkey.passwordless ? <span className="badge">{t("security.passkey.passwordless")}</span> : null}
                <p className="muted factor-list__meta">
                  {t("security.passkey.created")} <DateTime value={passkey.createdAt} />
                  {" · "}
                  {passkey.lastUsedAt ? (
                    <>
                      {t("security.passkey.lastUsed")} <DateTime value={passkey.lastUsedAt} />
                    </>
                  ) : (
                    t("security.passkey.neverUsed")
                  )}
                </p>
              </div>
              <Form method="post" className="factor-list__rename">
                <input type="hidden" name="intent" value="passkey-rename" />
                <input type="hidden" name="passkeyId" value={passkey.id} />
                <label htmlFor={`rename-${passkey.id}`} className="visually-hidden">
                  {t("security.passkey.renameLabel", { name: passkey.name })}
                </label>
                <input id={`rename-${passkey.id}`} name="name" defaultValue={passkey.name} maxLength={80} required />
                <button type="submit" className="button button--quiet button--small">
                  {t("security.passkey.rename")}
                </button>
              </Form>
              <StepUpForm method="post">
                <input type="hidden" name="intent" value="passkey-remove" />
                <input type="hidden" name="passkeyId" value={passkey.id} />
                <button type="submit" className="button button--danger button--small" aria-label={t("security.passkey.removeLabel", { name: passkey.name })}>
                  {t("security.passkey.remove")}
                </button>
              </StepUpForm>
            </li>
          ))}
        </ul>
      )}
      {supported ? (
        <form className="stack" onSubmit={(event) => void add(event)} noValidate>
          <h3>{t("security.passkey.addTitle")}</h3>
          {error ? (
            <div className="alert alert--error" role="alert">
              {error}
            </div>
          ) : null}
          <FormField label={t("security.passkey.name")} hint={t("security.passkey.nameHint")} name="name" id="passkey-name" maxLength={80} required />
          <div className="field field--checkbox">
            <input type="checkbox" id="passkey-passwordless" name="passwordless" />
            <label htmlFor="passkey-passwordless">{t("security.passkey.allowPasswordless")}</label>
          </div>
          <div>
            <button type="submit" className="button" disabled={busy}>
              {t("security.passkey.add")}
            </button>
          </div>
        </form>
      ) : (
        <p>{t("security.passkeys.unsupported")}</p>
      )}
    </section>
  );
}

function TotpSection(props: { totp: boolean; pending: { secret: string; qrSvg: string } | null; codeError?: string; done: string | null }) {
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="totp-title" className="panel">
      <h2 id="totp-title">{t("security.totp.title")}</h2>
      <p className="muted">{t("security.totp.intro")}</p>
      {props.done === "totp-enabled" ? (
        <div className="alert alert--success" role="status">
          {t("security.totp.enabled")}
        </div>
      ) : null}
      {props.totp ? <p>{t("security.totp.on")}</p> : <p>{t("security.totp.off")}</p>}
      {props.pending ? (
        <div className="stack totp-setup">
          <h3>{t(props.totp ? "security.totp.replaceTitle" : "security.totp.setupTitle")}</h3>
          <ol className="stack">
            <li>
              <p>{t("security.totp.scan")}</p>
              {/* The server drew it; it holds no markup from anyone. */}
              <div className="totp-setup__qr" dangerouslySetInnerHTML={{ __html: props.pending.qrSvg }} />
              <p>{t("security.totp.typeInstead")}</p>
              <p>
                <code className="totp-setup__secret" aria-label={t("security.totp.secretLabel")}>
                  {props.pending.secret}
                </code>
              </p>
            </li>
            <li>
              <Form method="post" className="stack" noValidate>
                <input type="hidden" name="intent" value="totp-confirm" />
                <FormField
                  label={t("security.totp.confirmCode")}
                  hint={t("security.totp.confirmHint")}
                  name="code"
                  id="totp-code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={10}
                  required
                  error={props.codeError}
                />
                <div>
                  <button type="submit" className="button" disabled={busy}>
                    {t("security.totp.turnOn")}
                  </button>
                </div>
              </Form>
            </li>
          </ol>
        </div>
      ) : (
        <div className="factor-actions">
          <StepUpForm method="post">
            <input type="hidden" name="intent" value="totp-start" />
            <button type="submit" className={props.totp ? "button button--quiet" : "button"}>
              {t(props.totp ? "security.totp.replace" : "security.totp.setUp")}
            </button>
          </StepUpForm>
          {props.totp ? (
            <StepUpForm method="post">
              <input type="hidden" name="intent" value="totp-remove" />
              <button type="submit" className="button button--danger">
                {t("security.totp.remove")}
              </button>
            </StepUpForm>
          ) : null}
        </div>
      )}
    </section>
  );
}
