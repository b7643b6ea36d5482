import type { MessageKey } from "./en";
import { account } from "./fr/account";
import { admin } from "./fr/admin";
import { amendments } from "./fr/amendments";
import { annotations } from "./fr/annotations";
import { audit } from "./fr/audit";
import { auth } from "./fr/auth";
import { brackets } from "./fr/brackets";
import { clauseStatus } from "./fr/clause-status";
import { common } from "./fr/common";
import { consultation } from "./fr/consultation";
import { delegation } from "./fr/delegation";
import { desk } from "./fr/desk";
import { drafts } from "./fr/drafts";
import { editor } from "./fr/editor";
import { errors } from "./fr/errors";
import { home } from "./fr/home";
import { invite } from "./fr/invite";
import { motions } from "./fr/motions";
import { security } from "./fr/security";
import { publicSite } from "./fr/public";
import { rounds } from "./fr/rounds";
import { versions } from "./fr/versions";
import { word } from "./fr/word";
import { meetings } from "./fr/meetings";
import { meetingRecord } from "./fr/meeting-record";

/**
 * French interface text, one file per area as in English. Each file is typed against its English
 * one, and this whole against every key: a message missing in French fails `npm run typecheck`.
 */
export const fr: Readonly<Record<MessageKey, string>> = {
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
};
