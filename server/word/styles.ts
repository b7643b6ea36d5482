import { attribute, child, childValue, children, toggle, W } from "./xml";

interface Style {
  id: string;
  /** The style's name: built-in styles keep their English name ("heading 1") whatever the id. */
  name: string;
  type: string;
  basedOn: string | null;
  paragraph: Element | null;
  run: Element | null;
}

/** Where a paragraph's automatic numbering points: a numbering instance and a level of it. */
export interface NumberingReference {
  numId: string;
  level: number;
}

/** How a run of text looks, as far as Accord keeps it. */
export interface RunFormat {
  bold: boolean;
  italic: boolean;
  /** Hidden text (`w:vanish`), which Word does not show. */
  hidden: boolean;
}

/** A chain of `basedOn` longer than this is a loop or a trap. */
const MAX_CHAIN = 32;

/**
 * A document's styles (word/styles.xml), and what a paragraph or run inherits from them: whether it
 * is the title or a heading, its automatic numbering, its indentation, bold and italic.
 */
export class WordStyles {
  private readonly styles = new Map<string, Style>();
  private readonly defaultParagraph: string | null = null;
  private readonly defaultRun: Element | null = null;

  constructor(root: Element | null) {
    for (const element of children(root, W, "style")) {
      const id = attribute(element, W, "styleId");
      if (id === null) continue;
      const type = attribute(element, W, "type") ?? "paragraph";
      this.styles.set(id, {
        id,
        name: childValue(element, "name") ?? id,
        type,
        basedOn: childValue(element, "basedOn"),
        paragraph: child(element, W, "pPr"),
        run: child(element, W, "rPr"),
      });
      if (type === "paragraph" && isOn(attribute(element, W, "default"))) this.defaultParagraph = id;
    }
    this.defaultRun = child(child(child(root, W, "docDefaults"), W, "rPrDefault"), W, "rPr");
  }

  /** The style of a paragraph with properties `properties`: its `w:pStyle`, else the default paragraph style. */
  paragraphStyle(properties: Element | null): string | null {
    return childValue(properties, "pStyle") ?? this.defaultParagraph;
  }

  /** Whether the style is Word's Title (by id or by name). */
  isTitle(styleId: string | null): boolean {
    const style = styleId === null ? undefined : this.styles.get(styleId);
    return styleId?.toLowerCase() === "title" || style?.name.toLowerCase() === "title";
  }

  /**
   * A paragraph's heading level, 1 to 9, or null for body text: its own outline level, else the
   * first heading style ("heading 2", `Heading2`) or outline level up its style's chain.
   */
  headingLevel(properties: Element | null, styleId: string | null): number | null {
    const own = outlineLevel(properties);
    if (own !== undefined) return own;
    for (const style of this.chain(styleId)) {
      const named = headingNumber(style.name) ?? headingNumber(style.id);
      if (named !== null) return named;
      const level = outlineLevel(style.paragraph);
      if (level !== undefined) return level;
    }
    // A style the file uses without defining it is known by its id.
    return styleId !== null && !this.styles.has(styleId) ? headingNumber(styleId) : null;
  }

  /** The automatic numbering of a paragraph, its own or its style's; null if none (`numId` 0 removes it). */
  numbering(properties: Element | null, styleId: string | null): NumberingReference | null {
    const own = child(properties, W, "numPr");
    let numId = childValue(own, "numId");
    let level = childValue(own, "ilvl");
    for (const style of this.chain(styleId)) {
      if (numId !== null && level !== null) break;
      const inherited = child(style.paragraph, W, "numPr");
      numId ??= childValue(inherited, "numId");
      level ??= childValue(inherited, "ilvl");
    }
    if (numId === null || numId === "0") return null;
    return { numId, level: clampLevel(level) };
  }

  /** The numbering instance a numbering style names (for `w:numStyleLink`). */
  numberingOfStyle(styleId: string): string | null {
    return childValue(child(this.styles.get(styleId)?.paragraph ?? null, W, "numPr"), "numId");
  }

  /** A paragraph's left indentation in twentieths of a point, its own or its style's. */
  indent(properties: Element | null, styleId: string | null): number {
    for (const element of [properties, ...this.chain(styleId).map((style) => style.paragraph)]) {
      const indent = child(element, W, "ind");
      const value = attribute(indent, W, "left") ?? attribute(indent, W, "start");
      if (value !== null && /^-?\d+$/.test(value)) return Number(value);
    }
    return 0;
  }

  /**
   * How a run looks: its own properties first, then its character style's, then (unless
   * `ownOnly`, as for headings, whose style's look is the heading's and not the text's) its
   * paragraph style's, then the document's defaults.
   */
  runFormat(properties: Element | null, paragraphStyle: string | null, { ownOnly }: { ownOnly: boolean }): RunFormat {
    const sources = [
      properties,
      ...this.chain(childValue(properties, "rStyle")).map((style) => style.run),
      ...(ownOnly ? [] : this.chain(paragraphStyle).map((style) => style.run)),
      this.defaultRun,
    ];
    const first = (name: string) => {
      for (const source of sources) {
        const value = toggle(source, name);
        if (value !== null) return value;
      }
      return false;
    };
    return { bold: first("b"), italic: first("i"), hidden: first("vanish") };
  }

  private chain(styleId: string | null): Style[] {
    const chain: Style[] = [];
    let style = styleId === null ? undefined : this.styles.get(styleId);
    while (style && chain.length < MAX_CHAIN && !chain.includes(style)) {
      chain.push(style);
      style = style.basedOn === null ? undefined : this.styles.get(style.basedOn);
    }
    return chain;
  }
}

// `w:outlineLvl` 0–8 are heading levels 1–9; 9 is body text (null); undefined where not set.
function outlineLevel(properties: Element | null): number | null | undefined {
  const value = childValue(properties, "outlineLvl");
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const level = Number(value);
  return level <= 8 ? level + 1 : null;
}

function headingNumber(name: string): number | null {
  const match = /^heading\s?([1-9])$/i.exec(name);
  return match ? Number(match[1]) : null;
}

function clampLevel(value: string | null): number {
  const level = value !== null && /^\d+$/.test(value) ? Number(value) : 0;
  return Math.min(level, 8);
}

function isOn(value: string | null): boolean {
  return value === "1" || value === "true" || value === "on";
}
