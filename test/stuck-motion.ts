import { clause, documentJson, section } from "../schema/content";
import { tableAmendment } from "../server/domain/amendments";
import { createDraft, type Draft } from "../server/domain/drafts";
import { castBallot, closeMotion, putMotion, type Motion } from "../server/domain/motions";
import { findMotionStep } from "../server/domain/pending-steps";
import { retryDueSteps } from "../server/domain/step-runner";
import type { User } from "../server/domain/users";
import { refuseAppends } from "./append-faults";
import { buildUser } from "./factories";
import type { TestServer } from "./server";
import { rangeOf } from "./text-ranges";

/**
 * A draft whose motion adopted an amendment ("assess" → "weigh") that cannot be applied: the
 * database refuses the draft's updates (until `acceptAppends`), and the motion's step has failed
 * three times, so the desk lists it as failing.
 */
export async function stuckMotion(server: TestServer, secretariat: User, title: string): Promise<{ draft: Draft; motion: Motion; stepId: string }> {
  const draft = await createDraft({ actor: secretariat, title, content: documentJson(title, ["Preamble."], [section("Scope", clause("States should assess the risk."))]) });
  await tableAmendment(server.live, { actor: await buildUser({ delegation: "fr" }), draftId: draft.id, kind: "replace", range: await rangeOf(draft.id, "assess"), proposed: "weigh", rationale: "Plainer." });
  const motion = await putMotion(server.live, { actor: secretariat, draftId: draft.id, subject: { kind: "amendment", number: 1 }, rule: "majority", quorum: 1, deadline: new Date(Date.now() + 86_400_000) });
  await castBallot(server.live, { actor: await buildUser({ role: "head", delegation: "dk" }), motion, choice: "yes", explanation: "" });
  await refuseAppends(server.database, draft.id);
  await closeMotion(server.live, { motionId: motion.id, closedBy: "secretariat", actor: secretariat });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    await server.database.sql`UPDATE pending_steps SET next_attempt_at = now() WHERE motion_id = ${motion.id}`;
    await retryDueSteps(server.live);
  }
  const step = await findMotionStep(motion.id);
  if (!step) throw new Error("the motion has no pending step");
  return { draft, motion, stepId: step.id };
}
