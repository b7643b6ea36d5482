import { Form, useActionData, useSubmit, type FetcherWithComponents } from "@remix-run/react";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ComponentProps, type FormEvent, type MouseEvent, type ReactNode } from "react";
import { t } from "../../i18n/translate";
import { answerWithPasskey, postFactor } from "~/utils/passkey-client";
import { STEP_UP_ERROR, stepUpCovers, type StepUpState } from "~/utils/step-up";
import { SecondFactorPrompt } from "./second-factor-prompt";

/** Where the page's scripts confirm a second factor for the session. */
export const STEP_UP_URL = "/account/step-up";

interface StepUp {
  /** Whether the session's last check still covers a protected action now. */
  covered(): boolean;
  /** Resolves true at once when the session's last check still covers a protected action, else asks. */
  ensure(): Promise<boolean>;
  /** Asks for a second factor whatever the page believed (the server refused for want of one). */
  ask(): Promise<boolean>;
}

const StepUpContext = createContext<StepUp>({ covered: () => true, ensure: async () => true, ask: async () => false });

/** Asks for a second factor before a protected action, in a dialog over the page. */
export function useStepUp(): StepUp {
  return useContext(StepUpContext);
}

/** Holds the session's second-factor state and the dialog that asks for one. */
export function StepUpProvider({ state, children }: { state: StepUpState | null; children: ReactNode }) {
  // A check confirmed here counts at once, before the page's data is loaded again.
  const [confirmedUntil, setConfirmedUntil] = useState<string | null>(null);
  const validUntil = later(state?.validUntil ?? null, confirmedUntil);
  const [open, setOpen] = useState(false);
  const waiting = useRef<((ok: boolean) => void)[]>([]);
  // Someone whose role needs a factor and who has none yet has nothing to confirm: the server lets
  // them set up their first without one, and the enrolment gate keeps them from everything else.
  const hasFactor = Boolean(state && (state.passkey || state.totp));
  const ask = useCallback(() => {
    if (!state?.guarded || !hasFactor) return Promise.resolve(false);
    setOpen(true);
    return new Promise<boolean>((resolve) => waiting.current.push(resolve));
  }, [state?.guarded, hasFactor]);
  const covered = useCallback(() => !hasFactor || stepUpCovers(state ? { ...state, validUntil } : null), [state, validUntil, hasFactor]);
  const ensure = useCallback(() => (covered() ? Promise.resolve(true) : ask()), [covered, ask]);
  const finish = useCallback((until: string | null) => {
    if (until) setConfirmedUntil(until);
    setOpen(false);
    const resolvers = waiting.current;
    waiting.current = [];
    for (const resolve of resolvers) resolve(until !== null);
  }, []);
  const value = useMemo(() => ({ covered, ensure, ask }), [covered, ensure, ask]);
  return (
    <StepUpContext.Provider value={value}>
      {children}
      {open && state ? <StepUpDialog state={state} onDone={finish} /> : null}
    </StepUpContext.Provider>
  );
}

function later(a: string | null, b: string | null): string | null {
  if (!a || !b) return a ?? b;
  return new Date(a).getTime() >= new Date(b).getTime() ? a : b;
}

// A modal dialog: the page behind it, and whatever the person typed there, stays as it was.
function StepUpDialog({ state, onDone }: { state: StepUpState; onDone: (validUntil: string | null) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  const accepted = (answer: Awaited<ReturnType<typeof postFactor<{ validUntil: string }>>>) => {
    if (!answer.ok) return answer.message;
    onDone(answer.data.validUntil);
    return null;
  };
  return (
    <dialog ref={dialog} className="step-up" aria-labelledby="step-up-title" aria-describedby="step-up-text" onClose={() => onDone(null)}>
      <h2 id="step-up-title">{t("stepUp.title")}</h2>
      <p id="step-up-text">{t("stepUp.text", { minutes: 10 })}</p>
      <SecondFactorPrompt
        passkey={state.passkey}
        autoFocus
        onPasskey={async () => accepted(await answerWithPasskey<{ validUntil: string }>(STEP_UP_URL))}
        onCode={async (code) => accepted(await postFactor<{ validUntil: string }>(STEP_UP_URL, { intent: "code", code }))}
      />
      <form method="dialog" className="step-up__cancel">
        <button type="submit" className="button button--quiet">
          {t("stepUp.cancel")}
        </button>
      </form>
    </dialog>
  );
}

/** Whether an action's answer refused for want of a recent second factor. */
export function refusedForStepUp(data: unknown): boolean {
  const errors = (data as { errors?: Record<string, unknown> } | null | undefined)?.errors;
  return errors?.[STEP_UP_ERROR] === "required";
}

/**
 * A form for a protected action (a ballot, publishing, an administrative change, a change of
 * factors): before it is sent, a second factor is asked for in a dialog when the session's last
 * check has lapsed, and the form is sent once it is given. If the server refuses all the same,
 * it asks and sends again. Without scripts, the server's refusal explains what to do.
 */
export function StepUpForm({ fetcher, onSubmit, ...props }: ComponentProps<typeof Form> & { fetcher?: FetcherWithComponents<unknown> }) {
  const stepUp = useStepUp();
  const submit = useSubmit();
  const actionData = useActionData();
  const form = useRef<HTMLFormElement>(null);
  const submitter = useRef<HTMLElement | null>(null);
  const sent = useRef(false);
  const send = useCallback(() => {
    const target = (submitter.current as HTMLButtonElement | null) ?? form.current;
    if (!target) return;
    if (fetcher) fetcher.submit(target);
    else submit(target);
  }, [fetcher, submit]);
  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    onSubmit?.(event);
    if (event.defaultPrevented) return;
    sent.current = true;
    submitter.current = (event.nativeEvent as SubmitEvent).submitter ?? null;
    if (stepUp.covered()) return;
    event.preventDefault();
    void stepUp.ensure().then((ok) => ok && send());
  };
  const data = fetcher ? fetcher.data : actionData;
  useEffect(() => {
    if (!sent.current || !refusedForStepUp(data)) return;
    sent.current = false;
    void stepUp.ask().then((ok) => ok && send());
  }, [data, stepUp, send]);
  const Component = fetcher ? fetcher.Form : Form;
  return <Component ref={form} {...props} onSubmit={handleSubmit} />;
}

/** A link to a protected download (the audit trail): asks for a second factor first where needed. */
export function StepUpLink({ href, children, className, download }: { href: string; children: ReactNode; className?: string; download?: boolean }) {
  const stepUp = useStepUp();
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    void stepUp.ensure().then((ok) => {
      if (ok) window.location.assign(href);
    });
  };
  return (
    <a href={href} className={className} download={download} onClick={follow}>
      {children}
    </a>
  );
}
