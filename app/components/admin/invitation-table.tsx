import { TableWrap } from "~/components/table-wrap";
import { Form } from "@remix-run/react";
import type { Invitation } from "../../../server/domain/invitations";
import { t, type MessageKey } from "../../../i18n/translate";
import { formatDateTime, roleLabel } from "~/utils/labels";

/** Where an invitation stands, as the table shows it. */
export type InvitationStatus = "open" | "accepted" | "expired" | "revoked";

const STATUS: Record<InvitationStatus, { label: MessageKey; badge: string }> = {
  open: { label: "admin.invitations.status.open", badge: "badge badge--success" },
  accepted: { label: "admin.invitations.status.accepted", badge: "badge" },
  expired: { label: "admin.invitations.status.expired", badge: "badge" },
  revoked: { label: "admin.invitations.status.revoked", badge: "badge badge--danger" },
};

/** The invitations sent, newest first, with a revoke button on each open one. */
export function InvitationTable(props: {
  invitations: (Omit<Invitation, "acceptedAt" | "revokedAt"> & { status: InvitationStatus })[];
  delegations: { code: string; shortName: string }[];
  busy: boolean;
}) {
  if (props.invitations.length === 0) return <p className="muted">{t("admin.invitations.empty")}</p>;
  const delegationName = (code: string | null) =>
    props.delegations.find((delegation) => delegation.code === code)?.shortName ?? t("membership.none");
  return (
    <TableWrap>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("admin.invitations.email")}</th>
            <th scope="col">{t("admin.invitations.role")}</th>
            <th scope="col">{t("admin.invitations.delegation")}</th>
            <th scope="col">{t("admin.invitations.invitedBy")}</th>
            <th scope="col">{t("admin.invitations.sent")}</th>
            <th scope="col">{t("admin.invitations.expires")}</th>
            <th scope="col">{t("admin.invitations.status")}</th>
            <th scope="col">{t("admin.invitations.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {props.invitations.map((invitation) => (
            <tr key={invitation.id}>
              <td>{invitation.email}</td>
              <td>{roleLabel(invitation.role)}</td>
              <td>{delegationName(invitation.delegationCode)}</td>
              <td>{invitation.invitedByName}</td>
              <td>
                <time dateTime={invitation.createdAt.toISOString()}>{formatDateTime(invitation.createdAt)}</time>
              </td>
              <td>
                <time dateTime={invitation.expiresAt.toISOString()}>{formatDateTime(invitation.expiresAt)}</time>
              </td>
              <td>
                <span className={STATUS[invitation.status].badge}>{t(STATUS[invitation.status].label)}</span>
              </td>
              <td>
                {invitation.status === "open" ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="invitationId" value={invitation.id} />
                    <button
                      type="submit"
                      className="button button--danger button--small"
                      disabled={props.busy}
                      aria-label={t("admin.invitations.revokeFor", { email: invitation.email })}
                    >
                      {t("admin.invitations.revoke")}
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
