import { data } from "@remix-run/node";
import { z } from "zod";
import { t } from "../../i18n/translate";
import { BRACKET_ID } from "../../schema/brackets";
import { authorize } from "~/utils/session.server";
import { can } from "../../server/auth/policy";
import type { SessionUser } from "../../server/auth/session";
import { listBrackets } from "~/editor/brackets";
import { BracketGoneError, resolveBracketInText } from "../../server/domain/brackets";
import { listDelegations } from "../../server/domain/delegations";
import type { Draft } from "../../server/domain/drafts";
import { isEditNotStored } from "../../server/domain/live-texts";
import type { Live } from "../../server/live";
import { loadDraftText } from "../../server/text-store/current-text";
import { FormRejection, parseForm } from "./forms.server";

/** What the draft page shows of brackets: the open ones in reading order, and whether the reader may resolve them. */
export async function loadBracketsView(user: SessionUser, draft: Draft) {
  if (!can(user, "bracket.view", { type: "draft", id: draft.id })) return null;
  const [delegations, text] = await Promise.all([listDelegations(), loadDraftText(draft.id)]);
  const names = delegations.map((delegation) => ({ code: delegation.code, name: delegation.shortName }));
  const brackets = listBrackets(text, new Map(names.map((entry) => [entry.code, entry.name])));
  return { brackets, names, canResolve: can(user, "bracket.resolve", { type: "draft", id: draft.id }) };
}

const ResolveForm = z.object({
  intent: z.literal("bracket-resolve"),
  bracketId: z.string().regex(BRACKET_ID),
  keep: z.union([z.literal("none"), z.string().regex(/^\d$/)]),
});

/**
 * The secretariat resolves a bracket from the draft page: 403 for anyone else, 409 when the bracket
 * is no longer in the text (or has no such alternative), 503 when the edit could not be stored.
 */
export async function bracketAction(live: Live, { request, user, draft }: { request: Request; user: SessionUser; draft: Draft }) {
  authorize(user, "bracket.resolve", { type: "draft", id: draft.id });
  const form = await parseForm(request, ResolveForm);
  try {
    const bracket = await resolveBracketInText(live, { actor: user, draftId: draft.id, bracketId: form.bracketId, keep: form.keep === "none" ? null : Number(form.keep) });
    return data({ bracketResolved: bracket.id });
  } catch (error) {
    if (error instanceof BracketGoneError) throw new FormRejection({ bracket: t(error.key, error.params) }, {}, 409);
    if (isEditNotStored(error)) throw new FormRejection({ bracket: t("brackets.notStored") }, {}, 503);
    throw error;
  }
}
