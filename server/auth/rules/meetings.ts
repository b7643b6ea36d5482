import { isSecretariat, type RuleSet } from "../actor";
import { actsForDelegation } from "../roles";
import { coreRules } from "./core";

type DraftResource = { type: "draft"; id?: string };

/** Chaired sessions on a draft ("meetings") and their summary records. */
export interface MeetingActions {
  "meeting.chair": DraftResource;
  "meeting.follow": DraftResource;
  "meeting.request-floor": DraftResource;
  "meeting.withdraw-request": { type: "speaker-request"; delegationCode: string };
  "meeting.manage-record": DraftResource;
}

export const meetingRules: RuleSet<MeetingActions> = {
  // Opening, the pointer, the speakers' list, suspending and closing: the secretariat chairs.
  "meeting.chair": isSecretariat,
  // Whoever reads the text follows the room, observers included.
  "meeting.follow": (actor, draft) => coreRules["draft.read"](actor, draft),
  // The floor is a delegation's: its head and delegates ask for it; observers follow only.
  "meeting.request-floor": (actor) => actsForDelegation(actor.role) && actor.delegationCode !== null,
  // A delegation withdraws its own request; the chair may strike any from the list.
  "meeting.withdraw-request": (actor, request) =>
    isSecretariat(actor) || (actsForDelegation(actor.role) && actor.delegationCode !== null && actor.delegationCode === request.delegationCode),
  // Drafting, circulating and finalising the summary record.
  "meeting.manage-record": isSecretariat,
};
