import { isSafeHref } from "../../schema/prosemirror";
import { fields, type Fields } from "./fields";
import type { WordNumbering } from "./numbering";
import type { RunFormat, WordStyles } from "./styles";
import type { ContentPiece, Link, MarkerPiece, Piece, ReadingTally, Tracked, WordParagraph } from "./word-document";
import { alternative, drawingKind, isTableOfContents, marker, revision, revisionOf, wrapped } from "./word-elements";
import { attribute, child, descendants, elements, isNamed, M, MC, R, W } from "./xml";

/** What reading one part needs: the document's styles and lists, the part's links, the notes, the tally. */
export interface PartContext {
  styles: WordStyles;
  numbering: WordNumbering;
  /** The part's external relationships: id → address. */
  links: ReadonlyMap<string, string>;
  notes: { footnote: ReadonlyMap<string, WordParagraph[]>; endnote: ReadonlyMap<string, WordParagraph[]> };
  tally: ReadingTally;
}

interface InlineState extends Tracked {
  link: Link | null;
  styleId: string | null;
  /** Headings and the title take their look from their style; only the text's own formatting counts. */
  ownFormatOnly: boolean;
}

/**
 * Reads the block content of one part (the body, a footnote, a comment) into paragraphs. A complex
 * field may run across paragraphs, so one reader reads one part from start to end.
 */
export class PartReader {
  private readonly fields: Fields;
  private pending: MarkerPiece[] = [];

  constructor(private readonly context: PartContext) {
    this.fields = fields(context.tally);
  }

  /** The paragraphs of `container` (a `w:body`, `w:footnote`, `w:comment`…), tables' cells included. */
  blocks(container: Element): WordParagraph[] {
    const paragraphs: WordParagraph[] = [];
    this.blockContent(container, false, paragraphs);
    return paragraphs;
  }

  private blockContent(container: Element, inTable: boolean, out: WordParagraph[]): void {
    for (const node of elements(container)) {
      if (isNamed(node, MC, "AlternateContent")) {
        const chosen = alternative(node);
        if (chosen) this.blockContent(chosen, inTable, out);
        continue;
      }
      if (!W.includes(node.namespaceURI ?? "")) continue;
      switch (node.localName) {
        case "p":
          this.paragraph(node, inTable, out);
          break;
        case "tbl":
          this.context.tally.add("table");
          for (const row of wrapped(node, "tr")) for (const cell of wrapped(row, "tc")) this.blockContent(cell, true, out);
          break;
        case "sdt": {
          // A table of contents is Word's to generate, and Accord's to show its own way.
          const content = child(node, W, "sdtContent");
          if (isTableOfContents(node)) this.context.tally.add("field");
          else if (content) this.blockContent(content, inTable, out);
          break;
        }
        case "customXml":
          this.blockContent(node, inTable, out);
          break;
        case "altChunk":
          this.context.tally.add("other");
          break;
        case "bookmarkStart":
        case "commentRangeStart":
          this.pending.push(marker(node));
          break;
        case "bookmarkEnd":
        case "commentRangeEnd": {
          const last = out.at(-1);
          if (last) last.pieces.push(marker(node));
          else this.pending.push(marker(node));
          break;
        }
      }
    }
  }

  private paragraph(element: Element, inTable: boolean, out: WordParagraph[]): void {
    const { styles, numbering, tally } = this.context;
    const properties = child(element, W, "pPr");
    const styleId = styles.paragraphStyle(properties);
    const title = !inTable && styles.isTitle(styleId);
    const headingLevel = inTable || title ? null : styles.headingLevel(properties, styleId);
    const reference = inTable ? null : styles.numbering(properties, styleId);
    const level = reference ? numbering.level(reference) : null;
    const markProperties = child(properties, W, "rPr");
    const mark: Tracked = { inserted: revisionOf(markProperties, ["ins", "moveTo"]), deleted: revisionOf(markProperties, ["del", "moveFrom"]) };
    tally.trackedChanges += (mark.inserted ? 1 : 0) + (mark.deleted ? 1 : 0);

    const pieces: Piece[] = this.pending;
    this.pending = [];
    const state: InlineState = { inserted: null, deleted: null, link: null, styleId, ownFormatOnly: title || headingLevel !== null };
    this.inline(element, state, pieces);
    out.push({
      title,
      headingLevel,
      list: reference && level ? { level: reference.level, bullet: level.bullet } : null,
      indent: styles.indent(properties, styleId),
      inTable,
      pieces,
      mark,
    });
  }

  private inline(container: Element, state: InlineState, out: Piece[]): void {
    for (const node of elements(container)) {
      if (isNamed(node, MC, "AlternateContent")) {
        const chosen = alternative(node);
        if (chosen) this.inline(chosen, state, out);
        continue;
      }
      if (isNamed(node, M, "oMathPara") || isNamed(node, M, "oMath")) {
        this.math(node, state, out);
        continue;
      }
      if (!W.includes(node.namespaceURI ?? "")) continue;
      switch (node.localName) {
        case "r":
          this.run(node, state, out);
          break;
        case "hyperlink":
          this.inline(node, { ...state, link: this.hyperlink(node) ?? state.link }, out);
          break;
        case "ins":
        case "moveTo":
          this.context.tally.trackedChanges += 1;
          this.inline(node, { ...state, inserted: revision(node) }, out);
          break;
        case "del":
        case "moveFrom":
          this.context.tally.trackedChanges += 1;
          this.inline(node, { ...state, deleted: revision(node) }, out);
          break;
        case "fldSimple": {
          const field = this.fields.simple(attribute(node, W, "instr") ?? "");
          if (field.shows) this.inline(node, { ...state, link: field.link ?? state.link }, out);
          break;
        }
        case "smartTag":
        case "customXml":
        case "dir":
        case "bdo":
          this.inline(node, state, out);
          break;
        case "sdt": {
          const content = child(node, W, "sdtContent");
          if (content) this.inline(content, state, out);
          break;
        }
        case "bookmarkStart":
        case "bookmarkEnd":
        case "commentRangeStart":
        case "commentRangeEnd":
          out.push(marker(node));
          break;
      }
    }
  }

  private run(run: Element, state: InlineState, out: Piece[]): void {
    const properties = child(run, W, "rPr");
    const format = this.context.styles.runFormat(properties, state.styleId, { ownOnly: state.ownFormatOnly });
    this.runContent(run, state, format, out);
  }

  private runContent(container: Element, state: InlineState, format: RunFormat, out: Piece[]): void {
    const { tally, notes } = this.context;
    const shown = () => !format.hidden && this.fields.showing();
    const tracked = { inserted: state.inserted, deleted: state.deleted };
    for (const node of elements(container)) {
      if (isNamed(node, MC, "AlternateContent")) {
        const chosen = alternative(node);
        if (chosen) this.runContent(chosen, state, format, out);
        continue;
      }
      if (!W.includes(node.namespaceURI ?? "")) continue;
      switch (node.localName) {
        case "t":
        case "delText":
          if (shown()) out.push(this.text(node.textContent ?? "", state, format));
          break;
        case "noBreakHyphen":
          if (shown()) out.push(this.text("\u2011", state, format));
          break;
        case "instrText":
        case "delInstrText":
          this.fields.instruction(node.textContent ?? "");
          break;
        case "fldChar":
          this.fields.character(attribute(node, W, "fldCharType") ?? "");
          break;
        case "tab":
        case "ptab":
          if (shown()) out.push({ kind: "tab", ...tracked });
          break;
        case "br": {
          // Page and column breaks are layout; a text-wrapping break is a line break in the text.
          const type = attribute(node, W, "type");
          if (shown() && (type === null || type === "textWrapping")) out.push({ kind: "break", ...tracked });
          break;
        }
        case "cr":
          if (shown()) out.push({ kind: "break", ...tracked });
          break;
        case "footnoteReference":
        case "endnoteReference": {
          const note = notes[node.localName === "footnoteReference" ? "footnote" : "endnote"].get(attribute(node, W, "id") ?? "");
          if (note && shown()) out.push({ kind: "note", note, ...tracked });
          break;
        }
        case "commentReference":
          out.push(marker(node));
          break;
        case "drawing":
        case "pict":
          tally.add(drawingKind(node));
          break;
        case "object":
          tally.add("other");
          break;
      }
    }
  }

  // An equation keeps its characters as text, and is reported: its layout is lost.
  private math(node: Element, state: InlineState, out: Piece[]): void {
    this.context.tally.add("other");
    const text = descendants(node, M, "t")
      .map((element) => element.textContent ?? "")
      .join("");
    if (text && this.fields.showing()) out.push(this.text(text, state, { bold: false, italic: false, hidden: false }));
  }

  private text(text: string, state: InlineState, format: RunFormat): ContentPiece {
    return { kind: "text", text, bold: format.bold, italic: format.italic, link: this.fields.link() ?? state.link, inserted: state.inserted, deleted: state.deleted };
  }

  private hyperlink(node: Element): Link | null {
    const id = attribute(node, R, "id");
    const href = id === null ? undefined : this.context.links.get(id);
    // A link to a bookmark of the document (`w:anchor`) means nothing in Accord: the text stays, unlinked.
    if (href === undefined || !isSafeHref(href)) return null;
    return { href, title: attribute(node, W, "tooltip") };
  }
}
