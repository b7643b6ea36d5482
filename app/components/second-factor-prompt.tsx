import { useRef, useState, type FormEvent } from "react";
import { t } from "../../i18n/translate";
import { usePasskeySupport } from "~/utils/passkey-client";

/**
 * The ways to give a second factor: a passkey (where the person has one and the browser can use
 * it) and a code typed from an authenticator app, or a recovery code. `onPasskey` and `onCode`
 * answer null when it was accepted, else the message to show.
 */
export function SecondFactorPrompt(props: {
  passkey: boolean;
  onPasskey: () => Promise<string | null>;
  onCode: (code: string) => Promise<string | null>;
  /** Focus the first way in when shown (inside a dialog). */
  autoFocus?: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const supported = usePasskeySupport();
  const canUsePasskey = props.passkey && supported;
  const code = useRef<HTMLInputElement>(null);
  const run = async (work: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    const message = await work();
    setBusy(false);
    if (message) {
      setError(message);
      if (code.current) {
        code.current.value = "";
        code.current.focus();
      }
    }
  };
  const submitCode = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = code.current?.value.trim() ?? "";
    if (!value) {
      setError(t("secondFactor.codeMissing"));
      code.current?.focus();
      return;
    }
    void run(() => props.onCode(value));
  };
  return (
    <div className="stack">
      {error ? (
        <div className="alert alert--error" role="alert">
          {error}
        </div>
      ) : null}
      {canUsePasskey ? (
        <div>
          <button type="button" className="button" disabled={busy} onClick={() => void run(props.onPasskey)} autoFocus={props.autoFocus}>
            {t("secondFactor.usePasskey")}
          </button>
        </div>
      ) : null}
      <form className="stack" onSubmit={submitCode} noValidate>
        <div className="field">
          <label htmlFor="second-factor-code">{t("secondFactor.code")}</label>
          <p className="field__hint" id="second-factor-code-hint">
            {t("secondFactor.codeHint")}
          </p>
          <input
            ref={code}
            id="second-factor-code"
            name="code"
            autoComplete="one-time-code"
            spellCheck={false}
            autoCapitalize="off"
            maxLength={40}
            aria-describedby="second-factor-code-hint"
            autoFocus={props.autoFocus && !canUsePasskey}
          />
        </div>
        <div>
          <button type="submit" className={canUsePasskey ? "button button--quiet" : "button"} disabled={busy}>
            {t("secondFactor.confirm")}
          </button>
        </div>
      </form>
    </div>
  );
}
