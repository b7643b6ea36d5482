import type { Role } from "../auth/roles";
import { hashPassword } from "../auth/password";
import { sql } from "../db/registry";
import { recordAudit } from "../domain/audit";
import { createDraft, findDraftBySlug } from "../domain/drafts";
import { codeOfConductOpeningText } from "./code-of-conduct";

/** The demo accounts' people: a head and a delegate for each delegation. */
const PEOPLE: Record<string, { head: string; delegate: string }> = {
  us: { head: "Margaret Ellison", delegate: "David Okafor" },
  au: { head: "Fiona McAllister", delegate: "Liam Nguyen" },
  ca: { head: "Geneviève Tremblay", delegate: "Ryan MacLeod" },
  dk: { head: "Mette Kristensen", delegate: "Anders Holm" },
  fr: { head: "Claire Dubois", delegate: "Julien Moreau" },
  nl: { head: "Annelies de Vries", delegate: "Pieter Bakker" },
  no: { head: "Ingrid Solberg", delegate: "Erik Haugen" },
  uk: { head: "Eleanor Whitfield", delegate: "Samuel Hughes" },
};

/** The sample draft's slug. */
export const DEMO_DRAFT_SLUG = "code-of-conduct";
const DEMO_DRAFT_TITLE = "Code of Conduct on Export Controls and Human Rights";
const DEMO_DRAFT_SUMMARY =
  "The Subscribing States, recognising that goods and technologies they license for export can be misused to " +
  "commit serious violations of human rights, commit to take human-rights criteria into account when reviewing " +
  "export licence applications, to consult one another and civil society, and to report on how they apply this " +
  "Code. This opening text sets out its purpose, scope and first principles for negotiation.";

/** Every demo account's email, role and delegation. */
export function demoAccounts(): { email: string; displayName: string; role: Role; delegationCode: string | null }[] {
  const accounts: { email: string; displayName: string; role: Role; delegationCode: string | null }[] = [
    { email: "secretariat@example.org", displayName: "Hélène Secretariat", role: "secretariat", delegationCode: null },
  ];
  for (const [code, people] of Object.entries(PEOPLE)) {
    accounts.push({ email: `${code}.lead@example.org`, displayName: people.head, role: "head", delegationCode: code });
    accounts.push({ email: `${code}.delegate@example.org`, displayName: people.delegate, role: "delegate", delegationCode: code });
  }
  return accounts;
}

/**
 * Creates or resets the demo accounts (all with `password`) and the sample draft.
 * Running it again leaves the same state.
 */
export async function seedDemo(password: string): Promise<{ accounts: number; draftCreated: boolean }> {
  const passwordHash = await hashPassword(password);
  const accounts = demoAccounts();
  await sql().begin(async (tx) => {
    for (const account of accounts) {
      await tx`
        INSERT INTO users (email, display_name, role, delegation_code, password_hash)
        VALUES (${account.email}, ${account.displayName}, ${account.role}, ${account.delegationCode}, ${passwordHash})
        ON CONFLICT (email) DO UPDATE SET
          display_name = EXCLUDED.display_name, role = EXCLUDED.role, delegation_code = EXCLUDED.delegation_code,
          password_hash = EXCLUDED.password_hash, disabled = false, updated_at = now()`;
    }
  });
  const [secretariat] = await sql()<{ id: string }[]>`SELECT id FROM users WHERE email = 'secretariat@example.org'`;
  if (!secretariat) throw new Error("The secretariat account was not created.");
  const actor = { id: secretariat.id, role: "secretariat" as const, delegationCode: null };
  let draftCreated = false;
  if (!(await findDraftBySlug(DEMO_DRAFT_SLUG))) {
    await createDraft({
      actor,
      title: DEMO_DRAFT_TITLE,
      summary: DEMO_DRAFT_SUMMARY,
      slug: DEMO_DRAFT_SLUG,
      content: codeOfConductOpeningText(DEMO_DRAFT_TITLE),
    });
    draftCreated = true;
  }
  await recordAudit({ actor, action: "demo.seeded", details: { accounts: accounts.length, draftCreated } });
  return { accounts: accounts.length, draftCreated };
}
