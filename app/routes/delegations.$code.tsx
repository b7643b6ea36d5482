import { TableWrap } from "~/components/table-wrap";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { DelegationMark } from "~/components/delegation-mark";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormAlert, FormField } from "~/components/form-field";
import { t } from "../../i18n/translate";
import { requireRecentSecondFactor } from "~/utils/step-up.server";
import { StepUpForm } from "~/components/step-up";
import { fields, formAction, FormRejection, parseForm } from "~/utils/forms.server";
import { errorsOf, valuesOf } from "~/utils/forms";
import { roleLabel } from "~/utils/labels";
import { authorize, notFound, requireUser } from "~/utils/session.server";
import { can } from "../../server/auth/policy";
import { findDelegation } from "../../server/domain/delegations";
import { createInvitation, INVITATION_LIFETIME_MS } from "../../server/domain/invitations";
import { EmailTakenError, listDelegationMembers } from "../../server/domain/users";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.delegation.name} — ${t("app.name")}` : t("app.name") },
];

const INVITATION_DAYS = Math.round(INVITATION_LIFETIME_MS / (24 * 60 * 60 * 1000));

async function requireDelegation(code: string | undefined) {
  const delegation = code ? await findDelegation(code) : null;
  if (!delegation) throw notFound();
  return delegation;
}

// What this page invites: a delegate of the delegation it shows.
function delegateOf(delegationCode: string) {
  return { type: "invitation", role: "delegate", delegationCode } as const;
}

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const delegation = await requireDelegation(params.code);
  const resource = { type: "delegation", code: delegation.code } as const;
  authorize(user, "delegation.view", resource);
  const showEmails = can(user, "delegation.view-contacts", resource);
  const members = await listDelegationMembers(delegation.code);
  return {
    delegation: { code: delegation.code, name: delegation.name, colour: delegation.colour },
    // Emails the reader may not see never leave the server.
    members: members.map((member) => ({
      id: member.id,
      displayName: member.displayName,
      role: member.role,
      email: showEmails ? member.email : null,
      // A head resets their own delegates' lost factors.
      mayReset: can(user, "second-factor.reset", { type: "account", id: member.id, role: member.role, delegationCode: member.delegationCode }),
    })),
    showEmails,
    invite: can(user, "invitation.create", delegateOf(delegation.code)) ? { days: INVITATION_DAYS } : null,
  };
}

// `role` and `delegation` are not in the form; a request naming them was crafted, and is judged below.
const InviteForm = z.object({
  email: fields.email(),
  role: z.string().optional(),
  delegation: z.string().optional(),
});

export const action = formAction(async ({ context, request, params }) => {
  const user = requireUser(context, request);
  const delegation = await requireDelegation(params.code);
  const invitation = delegateOf(delegation.code);
  authorize(user, "invitation.create", invitation);
  const input = await parseForm(request, InviteForm);
  requireRecentSecondFactor(context, { email: input.email });
  // Asking this page for another role or delegation is refused outright, never quietly reinterpreted.
  if ((input.role ?? invitation.role) !== invitation.role || (input.delegation ?? delegation.code) !== delegation.code) {
    throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  }
  try {
    const { link } = await createInvitation({ actor: user, email: input.email, ...invitation, origin: context.origin });
    return { invited: { email: input.email, link, days: INVITATION_DAYS } };
  } catch (error) {
    if (error instanceof EmailTakenError) throw new FormRejection({ email: t("delegation.emailTaken") }, { email: input.email });
    throw error;
  }
});

export default function DelegationPage() {
  const { delegation, members, showEmails, invite } = useLoaderData<typeof loader>();
  const anyResettable = members.some((member) => member.mayReset);
  return (
    <>
      <h1>
        <DelegationMark code={delegation.code} colour={delegation.colour} />{" "}
        {delegation.name}
      </h1>
      <p className="muted">
        <span className="swatch" style={{ backgroundColor: delegation.colour }} aria-hidden="true" />{" "}
        {t("delegation.colour", { colour: delegation.colour })}
      </p>
      <section aria-labelledby="members-title" className="panel">
        <h2 id="members-title">{t("delegation.membersTitle")}</h2>
        {members.length === 0 ? (
          <p className="muted">{t("delegation.membersEmpty")}</p>
        ) : (
          <TableWrap>
            <table aria-labelledby="members-title">
              <thead>
                <tr>
                  <th scope="col">{t("delegation.name")}</th>
                  <th scope="col">{t("delegation.role")}</th>
                  {showEmails ? <th scope="col">{t("delegation.email")}</th> : null}
                  {anyResettable ? <th scope="col">{t("delegation.secondFactor")}</th> : null}
                </tr>
              </thead>
              <tbody>
                {members.map((member) => (
                  <tr key={member.id}>
                    <td>{member.displayName}</td>
                    <td>{roleLabel(member.role)}</td>
                    {showEmails ? <td>{member.email}</td> : null}
                    {anyResettable ? (
                      <td>
                        {member.mayReset ? (
                          <Link to={`/accounts/${member.id}/second-factor`} aria-label={t("admin.security.resetFor", { name: member.displayName })}>
                            {t("admin.security.reset")}
                          </Link>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      {invite ? <InviteDelegate delegationName={delegation.name} days={invite.days} /> : null}
    </>
  );
}

function InviteDelegate({ delegationName, days }: { delegationName: string; days: number }) {
  const actionData = useActionData<typeof action>();
  const errors = errorsOf(actionData);
  const values = valuesOf(actionData);
  const invited = actionData && "invited" in actionData ? actionData.invited : null;
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="invite-title" className="panel">
      <h2 id="invite-title">{t("delegation.inviteTitle")}</h2>
      <p>{t("delegation.inviteIntro", { delegation: delegationName, days })}</p>
      {invited ? (
        <div className="alert alert--success" role="status">
          {t("delegation.invited", { email: invited.email, days: invited.days })}
          <code className="link-box">{invited.link}</code>
        </div>
      ) : null}
      <FormAlert message={errors.form} />
      {/* A new key after each invitation empties the field for the next one. */}
      <StepUpForm method="post" className="inline-form" noValidate key={invited?.link}>
        <FormField
          label={t("delegation.inviteEmail")}
          name="email"
          type="email"
          autoComplete="off"
          required
          defaultValue={values.email}
          error={errors.email}
        />
        <div>
          <button type="submit" className="button" disabled={busy}>
            {t("delegation.inviteSubmit")}
          </button>
        </div>
      </StepUpForm>
    </section>
  );
}
