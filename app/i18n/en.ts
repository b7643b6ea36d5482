import { admin } from "./en/admin";
import { amendments } from "./en/amendments";
import { annotations } from "./en/annotations";
import { account } from "./en/account";
import { audit } from "./en/audit";
import { auth } from "./en/auth";
import { clauseStatus } from "./en/clause-status";
import { common } from "./en/common";
import { delegation } from "./en/delegation";
import { drafts } from "./en/drafts";
import { editor } from "./en/editor";
import { home } from "./en/home";
import { invite } from "./en/invite";
import { publicSite } from "./en/public";
import { versions } from "./en/versions";
import { rounds } from "./en/rounds";

/** English interface text, gathered from one file per area of the interface. */
export const en = {
  ...common,
  ...home,
  ...auth,
  ...admin,
  ...audit,
  ...invite,
  ...drafts,
  ...delegation,
  ...account,
  ...editor,
  ...annotations,
  ...clauseStatus,
  ...publicSite,
  ...versions,
  ...amendments,
  ...rounds,
} as const;

export type MessageKey = keyof typeof en;
