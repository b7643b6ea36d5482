import type { Node as PMNode } from "prosemirror-model";
import { t } from "../../i18n/translate";
import { schema } from "../../schema/prosemirror";
import type { Actor } from "../auth/actor";
import { listThreads } from "../domain/annotations";
import { listDelegations } from "../domain/delegations";
import type { Draft } from "../domain/drafts";
import { loadStoredText, type Version } from "../domain/versions";
import type { Live } from "../live";
import { renderRedlineDocx, type RedlineComment } from "../render/docx-redline";
import { EditAuthors } from "./edit-authors";
import { readAtomText } from "./text-atoms";
import { compareAsRevisions } from "./word-redline";

/**
 * A comparison of two states of a draft as a Word document of tracked changes: `older` against
 * `newer` (a version, or the live text when null). Each revision names the delegation that made
 * the change, or the secretariat. With `comments`, the shared comment threads on clauses of the
 * newer text come as Word comments (never a delegation's private notes).
 */
export async function comparisonAsWord(live: Live, input: {
  viewer: Actor;
  draft: Draft;
  older: Version;
  newer: Version | null;
  comments: boolean;
  caption: string;
}): Promise<Buffer> {
  const current = input.newer ? null : await loadStoredText(input.draft.id);
  const newerState = input.newer?.yjsState ?? (current as { state: Uint8Array }).state;
  const [authors, delegations] = await Promise.all([EditAuthors.ofDraft(input.draft.id), listDelegations()]);
  const names = new Map(delegations.map((delegation) => [delegation.code, delegation.name]));
  const secretariat = t("versions.word.secretariat");
  const text = compareAsRevisions(readAtomText(input.older.yjsState), readAtomText(newerState), {
    authors,
    name: (author) => (author?.delegationCode ? (names.get(author.delegationCode) ?? author.delegationCode.toUpperCase()) : secretariat),
    fallbackDate: input.newer?.createdAt ?? new Date(),
  });
  const comments = input.comments ? await sharedComments(live, input.viewer, input.draft.id, current?.node ?? (await loadStoredText(input.draft.id)).node) : [];
  const clauseIds = new Set(text.sections.flatMap((section) => section.clauses.map((clause) => clause.id)));
  return renderRedlineDocx({
    ...text,
    caption: input.caption,
    comments: comments.filter((comment) => clauseIds.has(comment.clauseId)),
    lang: input.draft.language,
  });
}

// The shared threads still anchored in the text, each on the clause that holds its start.
async function sharedComments(live: Live, viewer: Actor, draftId: string, text: PMNode): Promise<RedlineComment[]> {
  const threads = await listThreads(live, { viewer, draftId });
  return threads.flatMap((thread) => {
    if (thread.visibility !== "all" || !thread.range) return [];
    const clauseId = clauseAt(text, thread.range.from);
    const [first, ...replies] = thread.comments.filter((comment) => comment.deletedAt === null);
    if (!clauseId || !first) return [];
    return [{ clauseId, author: commentAuthor(first), date: first.createdAt, text: quoted(thread.quote, first.body), replies: replies.map((reply) => ({ author: commentAuthor(reply), date: reply.createdAt, text: reply.body })) }];
  });
}

function commentAuthor(comment: { authorName: string; delegationCode: string | null }): string {
  return comment.delegationCode ? `${comment.authorName} (${comment.delegationCode.toUpperCase()})` : comment.authorName;
}

// The comment opens with the words it is about, since Word anchors it on the whole clause.
function quoted(quote: string, body: string): string {
  return quote ? t("versions.word.commentOn", { quote, body }) : body;
}

function clauseAt(doc: PMNode, position: number): string | null {
  if (position < 0 || position > doc.content.size) return null;
  const $position = doc.resolve(position);
  for (let depth = $position.depth; depth > 0; depth -= 1) {
    const node = $position.node(depth);
    if (node.type === schema.nodes.clause) return typeof node.attrs.id === "string" ? node.attrs.id : null;
  }
  return null;
}
