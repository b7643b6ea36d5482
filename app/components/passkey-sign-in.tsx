import { useState } from "react";
import { t } from "../../i18n/translate";
import { answerWithPasskey, usePasskeySupport } from "~/utils/passkey-client";

/**
 * Signs in with a passkey alone, for those who allowed one to (shown only where the browser can
 * use passkeys). On success the whole page goes where the person was going.
 */
export function PasskeySignIn({ redirectTo }: { redirectTo: string }) {
  const supported = usePasskeySupport();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!supported) return null;
  const signIn = async () => {
    setBusy(true);
    setError(null);
    const answer = await answerWithPasskey<{ redirectTo: string }>("/login/passkey", { purpose: "passwordless", redirectTo });
    if (answer.ok) return window.location.assign(answer.data.redirectTo);
    setBusy(false);
    setError(answer.message);
  };
  return (
    <div className="passkey-sign-in stack">
      <p className="passkey-sign-in__or">{t("signIn.or")}</p>
      {error ? (
        <div className="alert alert--error" role="alert">
          {error}
        </div>
      ) : null}
      <div>
        <button type="button" className="button button--quiet" disabled={busy} onClick={() => void signIn()}>
          {t("signIn.withPasskey")}
        </button>
      </div>
    </div>
  );
}
