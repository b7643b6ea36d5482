import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { InvitationTable } from "~/components/admin/invitation-table";
import { FormAlert, FormField, SelectField } from "~/components/form-field";
import { t } from "../../i18n/translate";
import { errorsOf, valuesOf } from "~/utils/forms";
import { requireRecentSecondFactor } from "~/utils/step-up.server";
import { StepUpForm } from "~/components/step-up";
import { fields, formAction, FormRejection, parseForm, formMessage } from "~/utils/forms.server";
import { roleLabel } from "~/utils/labels";
import { checkMembership, membershipFields } from "~/utils/membership.server";
import { authorize, notFound, requireUser } from "~/utils/session.server";
import { ROLES } from "../../server/auth/roles";
import { listDelegations } from "../../server/domain/delegations";
import { createInvitation, listInvitations, revokeInvitation } from "../../server/domain/invitations";
import { EmailTakenError, isUuid } from "../../server/domain/users";

export const meta: MetaFunction = () => [{ title: `${t("admin.invitations.title")} — ${t("admin.title")} — ${t("app.name")}` }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  authorize(user, "admin.view", { type: "site" });
  const [invitations, delegations] = await Promise.all([listInvitations(), listDelegations()]);
  const now = Date.now();
  return {
    delegations,
    invitations: invitations.map((invitation) => ({
      ...invitation,
      status: invitation.acceptedAt
        ? ("accepted" as const)
        : invitation.revokedAt
          ? ("revoked" as const)
          : invitation.expiresAt.getTime() <= now
            ? ("expired" as const)
            : ("open" as const),
    })),
  };
}

function invitationForm(delegationCodes: readonly string[]) {
  const invalid = { errorMap: () => ({ message: formMessage("form.invalidChoice") }) };
  return z
    .discriminatedUnion(
      "intent",
      [
        z.object({ intent: z.literal("invite"), email: fields.email(), ...membershipFields(delegationCodes) }),
        z.object({ intent: z.literal("revoke"), invitationId: z.string() }),
      ],
      invalid,
    )
    .superRefine((input, ctx) => {
      if (input.intent === "invite") checkMembership(input, ctx);
    });
}

export const action = formAction(async ({ context, request }) => {
  const user = requireUser(context, request);
  authorize(user, "admin.view", { type: "site" });
  const delegations = await listDelegations();
  const input = await parseForm(request, invitationForm(delegations.map((delegation) => delegation.code)));
  // An invitation makes an account with a role: an administrative change.
  requireRecentSecondFactor(context, { intent: input.intent });
  if (input.intent === "revoke") {
    if (!isUuid(input.invitationId)) throw notFound();
    // Revoking is part of running invitations, which this page (secretariat only) is for.
    const revoked = await revokeInvitation({ actor: user, invitationId: input.invitationId });
    if (!revoked) throw new FormRejection({ form: t("admin.invitations.notOpen") }, { intent: "revoke" }, 409);
    return { revoked: true as const };
  }
  authorize(user, "invitation.create", { type: "invitation", role: input.role, delegationCode: input.delegation });
  try {
    const { invitation, link } = await createInvitation({
      actor: user,
      email: input.email,
      role: input.role,
      delegationCode: input.delegation,
      origin: context.origin,
    });
    return { invited: { email: invitation.email, link } };
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
    throw new FormRejection(
      { email: t("admin.invitations.emailTaken") },
      { intent: "invite", email: input.email, role: input.role, delegation: input.delegation ?? "" },
    );
  }
});

export default function Invitations() {
  const { invitations, delegations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const values = valuesOf(actionData);
  const invited = actionData && "invited" in actionData ? actionData.invited : undefined;
  const revoked = actionData && "revoked" in actionData;
  const busy = useNavigation().state === "submitting";
  const inviteErrors = values.intent === "invite" ? errors : {};
  // Errors that belong to no field of the invitation form: a revocation refused, a tampered form.
  const general = values.intent === "invite" ? undefined : (errors.form ?? errors.intent ?? errors.invitationId);
  return (
    <>
      {revoked ? (
        <div className="alert alert--success" role="status">
          {t("admin.invitations.revoked")}
        </div>
      ) : null}
      <FormAlert message={general} />
      <section aria-labelledby="invite-title" className="panel">
        <h2 id="invite-title">{t("admin.invitations.newTitle")}</h2>
        <p className="muted">{t("admin.invitations.newIntro")}</p>
        {invited ? (
          <div className="alert alert--success" role="status">
            <p>
              <strong>{t("admin.invitations.created", { email: invited.email })}</strong>
            </p>
            <p>{t("admin.invitations.passOn")}</p>
            <code className="link-box">{invited.link}</code>
          </div>
        ) : null}
        <FormAlert
          message={inviteErrors.form ?? (Object.keys(inviteErrors).length > 0 ? t("form.errorSummary") : undefined)}
        />
        {/* A new key after each invitation empties the form for the next one. */}
        <StepUpForm method="post" className="inline-form" noValidate key={invited?.link ?? "new"}>
          <input type="hidden" name="intent" value="invite" />
          <FormField
            label={t("admin.invitations.email")}
            name="email"
            type="email"
            autoComplete="off"
            required
            defaultValue={values.email}
            error={inviteErrors.email}
          />
          <SelectField
            label={t("admin.invitations.role")}
            name="role"
            defaultValue={values.role ?? "delegate"}
            error={inviteErrors.role}
            options={ROLES.map((role) => ({ value: role, label: roleLabel(role) }))}
          />
          <SelectField
            label={t("admin.invitations.delegation")}
            name="delegation"
            defaultValue={values.delegation ?? ""}
            error={inviteErrors.delegation}
            options={[
              { value: "", label: t("membership.none") },
              ...delegations.map((delegation) => ({ value: delegation.code, label: delegation.shortName })),
            ]}
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              {t("admin.invitations.submit")}
            </button>
          </div>
        </StepUpForm>
      </section>
      <section aria-labelledby="invitations-title">
        <h2 id="invitations-title">{t("admin.invitations.listTitle")}</h2>
        <InvitationTable invitations={invitations} delegations={delegations} busy={busy} />
      </section>
    </>
  );
}
