import type { Node as PMNode } from "prosemirror-model";
import { t } from "../../i18n/translate";
import { schema } from "../../schema/prosemirror";
import type { Actor } from "../auth/actor";
import { listThreads } from "../domain/annotations";
import { listDelegations } from "../domain/delegations";
import type { Draft } from "../domain/drafts";
import { loadStoredText, type Version } from "../domain/versions";
import type { Live } from "../live";
import { renderRedlineDocx } from "../render/docx-redline";
import type { RedlineComment, RedlineParagraph } from "../render/redline-document";
import { addBaseline, baselineText, type ExportBaseline } from "../word/baseline";
import { withBracketSigns } from "./atom-brackets";
import { EditAuthors } from "./edit-authors";
import { readAtomText, type Atom, type AtomText } from "./text-atoms";
import { compareAsRevisions, type RevisionText } from "./word-redline";

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
  // Both sides as every download reads them, brackets written in (schema/brackets.ts).
  const newerText = withBracketSigns(readAtomText(newerState));
  const text = compareAsRevisions(withBracketSigns(readAtomText(input.older.yjsState)), newerText, {
    authors,
    name: (author) => (author?.delegationCode ? (names.get(author.delegationCode) ?? author.delegationCode.toUpperCase()) : secretariat),
    fallbackDate: input.newer?.createdAt ?? new Date(),
  });
  const comments = input.comments ? await sharedComments(live, input.viewer, input.draft.id, current?.node ?? (await loadStoredText(input.draft.id)).node) : [];
  const clauseIds = new Set(text.sections.flatMap((section) => section.clauses.map((clause) => clause.id)));
  const docx = await renderRedlineDocx({
    ...text,
    caption: input.caption,
    comments: comments.filter((comment) => clauseIds.has(comment.clauseId)),
    lang: input.draft.language,
  });
  // What the capital is sent, for reading its marked-up copy back (server/word/baseline.ts): the text
  // as the copy shows it, brackets written in.
  return addBaseline(docx, { draftId: input.draft.id, authors: revisionAuthors(text), clauses: baselineClauses(newerText) });
}

function baselineClauses(text: AtomText): ExportBaseline["clauses"] {
  const plain = (atoms: Atom[]) => baselineText(atoms.map((atom) => (atom.kind === "text" ? atom.char : atom.kind === "break" ? " " : "")).join(""));
  return text.sections.flatMap((section) => section.clauses.map((clause) => ({ id: clause.id, paragraphs: clause.paragraphs.map((paragraph) => plain(paragraph.atoms)) })));
}

// The names Accord gave its own revisions: in a marked-up copy, revisions by anyone else are the capital's.
function revisionAuthors(text: RevisionText): string[] {
  const names = new Set<string>();
  const add = (item: { revision?: { author: string } }) => {
    if (item.revision) names.add(item.revision.author);
  };
  const paragraphs = (list: RedlineParagraph[]) => {
    for (const paragraph of list) {
      add(paragraph);
      paragraph.runs.forEach(add);
    }
  };
  text.title.forEach(add);
  paragraphs(text.preamble);
  for (const section of text.sections) {
    add(section);
    section.heading.forEach(add);
    for (const clause of section.clauses) {
      add(clause);
      paragraphs(clause.paragraphs);
    }
  }
  return [...names];
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
