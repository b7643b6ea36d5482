import { bracketsIn, resolveBracket, type Bracket } from "../../schema/brackets";
import type { Actor } from "../auth/actor";
import type { Live } from "../live";
import { sql } from "../db/registry";
import { recordAudit } from "./audit";
import { editText } from "./live-texts";
import { DomainError } from "./messages";

/** The bracket is no longer in the text (resolved meanwhile, or its words deleted), or has no such option. */
export class BracketGoneError extends DomainError {
  constructor(readonly reason: "gone" | "option") {
    super(reason === "gone" ? "brackets.gone" : "brackets.noOption");
  }
}

/**
 * Resolves a bracket as one attributed edit of the live text (the caller has authorised it): its
 * option `keep` becomes agreed text and the others go, or with `keep` null the whole passage goes.
 * Checked against the text as the edit finds it; audited with what was kept and what went.
 */
export async function resolveBracketInText(live: Live, input: { actor: Actor; draftId: string; bracketId: string; keep: number | null; motionId?: string }): Promise<Bracket> {
  let resolved: Bracket | null = null;
  await editText(live.texts, {
    draftId: input.draftId,
    author: { userId: input.actor.id, delegationCode: input.actor.delegationCode },
    change: (current) => {
      const bracket = bracketsIn(current).find((item) => item.id === input.bracketId);
      if (!bracket) throw new BracketGoneError("gone");
      const next = resolveBracket(current, input.bracketId, input.keep);
      if (!next) throw new BracketGoneError("option");
      resolved = bracket;
      return next;
    },
  });
  const bracket = resolved as Bracket | null;
  if (!bracket) throw new BracketGoneError("gone");
  const kept = input.keep === null ? null : (bracket.options.find((option) => option.option === input.keep) ?? null);
  await recordAudit({
    actor: input.actor,
    action: "bracket.resolved",
    target: { type: "draft", id: input.draftId },
    details: {
      bracketId: bracket.id,
      clauseId: bracket.clauseId,
      kept: kept?.text ?? null,
      options: bracket.options.map((option) => ({ text: option.text, supporters: option.supporters })),
      ...(input.motionId ? { motionId: input.motionId } : {}),
    },
  });
  return bracket;
}

/** Whether the motion has already resolved its bracket (an attempt that stopped after its edit). */
export async function resolvedByMotion(motionId: string): Promise<boolean> {
  const [row] = await sql()`SELECT 1 FROM audit_events WHERE action = 'bracket.resolved' AND details->>'motionId' = ${motionId} LIMIT 1`;
  return row !== undefined;
}
