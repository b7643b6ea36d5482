import { admin } from "./en/admin";
import { auth } from "./en/auth";
import { common } from "./en/common";
import { home } from "./en/home";
import { invite } from "./en/invite";

/** English interface text, gathered from one file per area of the interface. */
export const en = {
  ...common,
  ...home,
  ...auth,
  ...admin,
  ...invite,
} as const;

export type MessageKey = keyof typeof en;
