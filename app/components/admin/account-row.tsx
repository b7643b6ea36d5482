import { DelegationMark } from "~/components/delegation-mark";
import { StepUpForm } from "~/components/step-up";
import { SelectField } from "~/components/form-field";
import { t } from "../../../i18n/translate";
import type { FieldErrors } from "~/utils/forms";
import { roleLabel } from "~/utils/labels";
import { ROLES, type Role } from "../../../server/auth/roles";

/** What a row needs to know of an account. */
export interface AccountRowAccount {
  id: string;
  displayName: string;
  email: string;
  role: Role;
  delegationCode: string | null;
  disabled: boolean;
}

/** What a row needs to know of a delegation. */
export interface AccountRowDelegation {
  code: string;
  shortName: string;
  colour: string;
}

/**
 * One account in the administration table, with its role form and its disable button;
 * your own row has neither, since the secretariat cannot lock itself out.
 */
export function AccountRow(props: {
  account: AccountRowAccount;
  delegations: AccountRowDelegation[];
  isSelf: boolean;
  /** The errors of the last form sent for this account, if it was refused. */
  errors?: FieldErrors;
  busy: boolean;
}) {
  const { account, delegations, isSelf, errors, busy } = props;
  const name = account.displayName;
  const delegation = delegations.find((candidate) => candidate.code === account.delegationCode);
  return (
    <tr>
      <td>{name}</td>
      <td>{account.email}</td>
      <td>{roleLabel(account.role)}</td>
      <td>
        {delegation ? (
          <>
            <DelegationMark code={delegation.code} colour={delegation.colour} />{" "}
            {delegation.shortName}
          </>
        ) : (
          <span className="muted">{t("membership.none")}</span>
        )}
      </td>
      <td>
        {account.disabled ? (
          <span className="badge badge--danger">{t("admin.accounts.disabled")}</span>
        ) : (
          <span className="badge badge--success">{t("admin.accounts.active")}</span>
        )}
      </td>
      <td>
        {isSelf ? (
          <span className="muted">{t("admin.accounts.you")}</span>
        ) : (
          <div className="row-actions">
            <details open={Boolean(errors)}>
              <summary aria-label={t("admin.accounts.changeRoleOf", { name })}>{t("admin.accounts.changeRole")}</summary>
              {/* Keyed by the stored values so that the selects show them again after a change. */}
              <StepUpForm method="post" className="stack" key={`${account.role}-${account.delegationCode ?? ""}`}>
                <input type="hidden" name="intent" value="change-role" />
                <input type="hidden" name="userId" value={account.id} />
                <SelectField
                  id={`role-${account.id}`}
                  label={t("admin.accounts.role")}
                  name="role"
                  defaultValue={account.role}
                  error={errors?.role}
                  options={ROLES.map((role) => ({ value: role, label: roleLabel(role) }))}
                />
                <SelectField
                  id={`delegation-${account.id}`}
                  label={t("admin.accounts.delegation")}
                  name="delegation"
                  defaultValue={account.delegationCode ?? ""}
                  error={errors?.delegation}
                  options={[
                    { value: "", label: t("membership.none") },
                    ...delegations.map((option) => ({ value: option.code, label: option.shortName })),
                  ]}
                />
                <div>
                  <button
                    type="submit"
                    className="button button--small"
                    disabled={busy}
                    aria-label={t("admin.accounts.saveRoleOf", { name })}
                  >
                    {t("admin.accounts.saveRole")}
                  </button>
                </div>
              </StepUpForm>
            </details>
            <StepUpForm method="post">
              <input type="hidden" name="userId" value={account.id} />
              {account.disabled ? (
                <button
                  type="submit"
                  name="intent"
                  value="enable"
                  className="button button--quiet button--small"
                  disabled={busy}
                  aria-label={t("admin.accounts.enableName", { name })}
                >
                  {t("admin.accounts.enable")}
                </button>
              ) : (
                <button
                  type="submit"
                  name="intent"
                  value="disable"
                  className="button button--danger button--small"
                  disabled={busy}
                  aria-label={t("admin.accounts.disableName", { name })}
                >
                  {t("admin.accounts.disable")}
                </button>
              )}
            </StepUpForm>
          </div>
        )}
      </td>
    </tr>
  );
}
