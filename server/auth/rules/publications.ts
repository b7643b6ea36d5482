import { isSecretariat, type RuleSet } from "../actor";

/** Putting versions of a draft before the public. */
export interface PublicationActions {
  "publication.create": { type: "draft"; id: string };
}

export const publicationRules: RuleSet<PublicationActions> = {
  // Publishing speaks for the initiative as a whole: the secretariat's act alone.
  "publication.create": isSecretariat,
};
