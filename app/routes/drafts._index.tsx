import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { DelegationMark } from "~/components/delegation-mark";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { DateTime } from "~/components/date-time";
import { FormAlert, FormField, SelectField } from "~/components/form-field";
import { t } from "../../i18n/translate";
import { fields, formAction, parseForm } from "~/utils/forms.server";
import { errorsOf, valuesOf } from "~/utils/forms";
import { roleLabel } from "~/utils/labels";
import { authorize, requireUser } from "~/utils/session.server";
import { can } from "../../server/auth/policy";
import { findDelegation } from "../../server/domain/delegations";
import { createDraft, listReadableDrafts, MAX_TITLE_LENGTH } from "../../server/domain/drafts";
import { LANGUAGES } from "../../i18n/languages";

export const meta: MetaFunction = () => [{ title: `${t("drafts.title")} — ${t("app.name")}` }];

const SITE = { type: "site" } as const;

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  authorize(user, "draft.list", SITE);
  const [drafts, delegation] = await Promise.all([
    listReadableDrafts(user),
    user.delegationCode ? findDelegation(user.delegationCode) : null,
  ]);
  return {
    user: { displayName: user.displayName, role: user.role },
    delegation: delegation ? { code: delegation.code, name: delegation.name, colour: delegation.colour } : null,
    drafts: drafts.map((draft) => ({ id: draft.id, slug: draft.slug, title: draft.title, updatedAt: draft.updatedAt, language: draft.language })),
    newDraft: can(user, "draft.create", SITE) ? { maxTitleLength: MAX_TITLE_LENGTH, language: context.language } : null,
  };
}

// The language of the text: the form always sends one; a client that sends none gets the interface's.
const NewDraftForm = z.object({ title: fields.text(MAX_TITLE_LENGTH), language: fields.choice(LANGUAGES).optional() });

export const action = formAction(async ({ context, request }) => {
  const user = requireUser(context, request);
  authorize(user, "draft.create", SITE);
  const input = await parseForm(request, NewDraftForm);
  const draft = await createDraft({ actor: user, title: input.title, language: input.language ?? context.language });
  throw redirect(`/drafts/${draft.slug}`);
});

export default function Drafts() {
  const { user, delegation, drafts, newDraft } = useLoaderData<typeof loader>();
  const role = roleLabel(user.role);
  return (
    <>
      <h1>{t("drafts.title")}</h1>
      <p className="lead">{t("drafts.welcome", { name: user.displayName })}</p>
      <p className="muted">
        {delegation ? (
          <>
            <DelegationMark code={delegation.code} colour={delegation.colour} />{" "}
            {t("drafts.roleAndDelegation", { role, delegation: delegation.name })}
          </>
        ) : (
          role
        )}
      </p>
      <section aria-labelledby="drafts-list-title" className="panel">
        <h2 id="drafts-list-title">{t("drafts.listTitle")}</h2>
        {drafts.length === 0 ? (
          <p className="muted">{t("drafts.empty")}</p>
        ) : (
          <ul className="list">
            {drafts.map((draft) => (
              <li key={draft.id} className="draft-item">
                <Link to={`/drafts/${draft.slug}`} className="draft-item__title" lang={draft.language}>
                  {draft.title}
                </Link>
                <span className="muted">{t("drafts.textIn", { language: t(`language.name.${draft.language}`) })}</span>
                <span className="muted">
                  {t("drafts.updated")} <DateTime value={draft.updatedAt} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {newDraft ? <NewDraft maxTitleLength={newDraft.maxTitleLength} language={newDraft.language} /> : null}
    </>
  );
}

function NewDraft({ maxTitleLength, language }: { maxTitleLength: number; language: string }) {
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const values = valuesOf(actionData);
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="new-draft-title" className="panel">
      <h2 id="new-draft-title">{t("drafts.newTitle")}</h2>
      <p className="muted">
        {t("drafts.newIntro")} <Link to="/drafts/import">{t("drafts.fromWord")}</Link>
      </p>
      <FormAlert message={errors.form} />
      <Form method="post" className="inline-form" noValidate>
        <FormField
          label={t("drafts.titleLabel")}
          name="title"
          type="text"
          required
          maxLength={maxTitleLength}
          hint={t("drafts.titleHint", { max: maxTitleLength })}
          defaultValue={values.title}
          error={errors.title}
        />
        <SelectField
          label={t("drafts.languageLabel")}
          name="language"
          options={LANGUAGES.map((code) => ({ value: code, label: t(`language.name.${code}`) }))}
          defaultValue={values.language ?? language}
          hint={t("drafts.languageHint")}
          error={errors.language}
        />
        <div>
          <button type="submit" className="button" disabled={busy}>
            {t("drafts.create")}
          </button>
        </div>
      </Form>
    </section>
  );
}
