import { LANGUAGES } from "../../i18n/languages";
import { isMessageKey, t } from "../../i18n/translate";
import { sql } from "../db/registry";

/** A partner country's delegation. */
export interface Delegation {
  code: string;
  name: string;
  shortName: string;
  flag: string;
  colour: string;
}

/** The eight delegations, in the initiative's order. */
export async function listDelegations(): Promise<Delegation[]> {
  const rows = await sql()<DelegationRow[]>`
    SELECT code, name, short_name, flag, colour FROM delegations ORDER BY position`;
  return rows.map(toDelegation);
}

/** One delegation by its country code, or null. */
export async function findDelegation(code: string): Promise<Delegation | null> {
  const [row] = await sql()<DelegationRow[]>`
    SELECT code, name, short_name, flag, colour FROM delegations WHERE code = ${code.toLowerCase()}`;
  return row ? toDelegation(row) : null;
}

interface DelegationRow {
  code: string;
  name: string;
  short_name: string;
  flag: string;
  colour: string;
}

function toDelegation(row: DelegationRow): Delegation {
  return { code: row.code, name: localName("delegationName", row.code, row.name), shortName: localName("delegationShortName", row.code, row.short_name), flag: row.flag, colour: row.colour };
}

/**
 * Every name a delegation goes by: its code, the names it was stored with, and its name and short
 * name in each language Accord speaks (a French delegate writes `@Norvège`, an English one `@Norway`).
 */
export function delegationNames(delegation: { code: string; name: string; shortName: string }): string[] {
  const translated = LANGUAGES.flatMap((language) =>
    (["delegationName", "delegationShortName"] as const).flatMap((kind) => {
      const key = `${kind}.${delegation.code}`;
      return isMessageKey(key) ? [t(key, {}, language)] : [];
    }),
  );
  return [...new Set([delegation.code, delegation.name, delegation.shortName, ...translated])];
}

/**
 * A delegation's name in the language of the request being answered: the catalogue names the
 * partners in each language; a delegation it does not know keeps the name it was stored with.
 */
function localName(kind: "delegationName" | "delegationShortName", code: string, stored: string): string {
  const key = `${kind}.${code}`;
  return isMessageKey(key) ? t(key) : stored;
}
