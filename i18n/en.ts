import { admin } from "./en/admin";
import { amendments } from "./en/amendments";
import { annotations } from "./en/annotations";
import { account } from "./en/account";
import { audit } from "./en/audit";
import { auth } from "./en/auth";
import { brackets } from "./en/brackets";
import { clauseStatus } from "./en/clause-status";
import { common } from "./en/common";
import { consultation } from "./en/consultation";
import { delegation } from "./en/delegation";
import { desk } from "./en/desk";
import { drafts } from "./en/drafts";
import { editor } from "./en/editor";
import { errors } from "./en/errors";
import { home } from "./en/home";
import { invite } from "./en/invite";
import { publicSite } from "./en/public";
import { versions } from "./en/versions";
import { word } from "./en/word";
import { meetings } from "./en/meetings";
import { meetingRecord } from "./en/meeting-record";
import { rounds } from "./en/rounds";
import { motions } from "./en/motions";
import { security } from "./en/security";

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
  ...brackets,
  ...publicSite,
  ...versions,
  ...amendments,
  ...rounds,
  ...desk,
  ...motions,
  ...security,
  ...consultation,
  ...errors,
  ...word,
  ...meetings,
  ...meetingRecord,
} as const;

export type MessageKey = keyof typeof en;
