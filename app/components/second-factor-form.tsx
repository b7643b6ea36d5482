import { Form } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { FormAlert, FormField } from "~/components/form-field";
import { t } from "../../i18n/translate";
import { answerWithPasskey, usePasskeySupport } from "~/utils/passkey-client";

/**
 * A page's way to give a second factor: a passkey (where the person has one and the browser can
 * use it), answered at `passkeyUrl` with `passkeyFields`, after which the whole page goes to
 * where that answer says (`redirectTo`) or to `after`; and a code typed into a form posted to the
 * page's own action with `hidden` fields, which works without scripts.
 */
export function SecondFactorForm(props: {
  passkey: boolean;
  passkeyUrl: string;
  passkeyFields?: Record<string, string>;
  after: string;
  hidden: Record<string, string>;
  errors: { form?: string; code?: string };
  /** Changes with each answer of the page's action: the code is cleared and focused again. */
  answer: unknown;
  busy: boolean;
  reloadDocument?: boolean;
}) {
  const code = useRef<HTMLInputElement>(null);
  const canUsePasskey = usePasskeySupport() && props.passkey;
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  useEffect(() => {
    if (!props.answer || !code.current) return;
    code.current.value = "";
    code.current.focus();
  }, [props.answer]);
  const signWithPasskey = async () => {
    setPasskeyBusy(true);
    setPasskeyError(null);
    const answer = await answerWithPasskey<{ redirectTo?: string }>(props.passkeyUrl, props.passkeyFields);
    if (answer.ok) return window.location.assign(answer.data.redirectTo ?? props.after);
    setPasskeyBusy(false);
    setPasskeyError(answer.message);
  };
  return (
    <>
      <FormAlert message={props.errors.form ?? passkeyError ?? undefined} />
      {canUsePasskey ? (
        <div>
          <button type="button" className="button" disabled={passkeyBusy} onClick={() => void signWithPasskey()}>
            {t("secondFactor.usePasskey")}
          </button>
        </div>
      ) : null}
      <Form method="post" className="stack" noValidate reloadDocument={props.reloadDocument}>
        {Object.entries(props.hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <FormField
          ref={code}
          label={t("secondFactor.code")}
          hint={t("secondFactor.codeHint")}
          name="code"
          autoComplete="one-time-code"
          spellCheck={false}
          autoCapitalize="off"
          maxLength={40}
          required
          error={props.errors.code}
          autoFocus={!canUsePasskey}
        />
        <div>
          <button type="submit" className={canUsePasskey ? "button button--quiet" : "button"} disabled={props.busy}>
            {t("secondFactor.confirm")}
          </button>
        </div>
      </Form>
    </>
  );
}
