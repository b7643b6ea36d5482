import { Plugin } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";
import type { Node as PMNode } from "prosemirror-model";

/** What an empty heading says until it is written: its placeholder and its name for screen readers. */
export interface EmptyHeadingLabels {
  title: string;
  section: string;
  /** The interface's language, which the labels are in (the text's may differ). */
  language: string;
}

/**
 * Names the draft's title and section headings while they are empty (a new draft's first section
 * has no heading yet): an empty heading is announced as nothing at all, so each gets the label as
 * its accessible name, in the interface's language, and shows it as a placeholder until it is written.
 */
export function emptyHeadingsPlugin(labels: EmptyHeadingLabels): Plugin {
  return new Plugin({
    props: {
      decorations: (state) => DecorationSet.create(state.doc, emptyHeadings(state.doc, labels)),
    },
  });
}

function emptyHeadings(doc: PMNode, labels: EmptyHeadingLabels): Decoration[] {
  const decorations: Decoration[] = [];
  // Headings sit at the top (the title) and at the start of sections: nothing deeper is visited.
  doc.descendants((node, pos) => {
    if (node.type.name === "section") return true;
    const label = node.type.name === "title" ? labels.title : node.type.name === "section_heading" ? labels.section : null;
    if (label && node.content.size === 0) {
      decorations.push(Decoration.node(pos, pos + node.nodeSize, { class: "is-empty", "aria-label": label, "data-placeholder": label, lang: labels.language }));
    }
    return false;
  });
  return decorations;
}
