import type { Queryable } from "../db/connection";

/**
 * A boolean SQL expression, over the account `u` of the surrounding query: whether its role must
 * have a second factor and it has none (the person is held at the set-up page).
 */
export function mustEnrolSql(db: Queryable) {
  return db`(
    EXISTS (SELECT 1 FROM second_factor_roles r WHERE r.role = u.role)
    AND NOT EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = u.id)
    AND NOT EXISTS (SELECT 1 FROM totp_keys k WHERE k.user_id = u.id AND k.confirmed_at IS NOT NULL))`;
}
