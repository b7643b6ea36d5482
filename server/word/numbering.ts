import type { NumberingReference, WordStyles } from "./styles";
import { attribute, child, childValue, children, W } from "./xml";

/** A level of a Word list, as it shows: a bullet, or a number of some format ("decimal", "lowerLetter"…). */
export interface ListLevel {
  format: string;
  bullet: boolean;
}

/** `w:numStyleLink` may lead through styles to another definition; this deep is a loop. */
const MAX_LINKS = 4;

/**
 * A document's list definitions (word/numbering.xml): which numbering instance (`w:num`) uses which
 * abstract definition, with its overrides, and what each level shows.
 */
export class WordNumbering {
  private readonly instances = new Map<string, Element>();
  private readonly definitions = new Map<string, Element>();

  constructor(
    root: Element | null,
    private readonly styles: WordStyles,
  ) {
    for (const element of children(root, W, "num")) {
      const id = attribute(element, W, "numId");
      if (id !== null) this.instances.set(id, element);
    }
    for (const element of children(root, W, "abstractNum")) {
      const id = attribute(element, W, "abstractNumId");
      if (id !== null) this.definitions.set(id, element);
    }
  }

  /** What the paragraph's number looks like; null when the list or level is unknown, or shows nothing. */
  level(reference: NumberingReference): ListLevel | null {
    const level = this.levelElement(reference.numId, reference.level, 0);
    if (!level) return null;
    const format = childValue(level, "numFmt") ?? "decimal";
    const text = childValue(level, "lvlText");
    if (format === "none" || text === "") return null;
    return { format, bullet: format === "bullet" };
  }

  private levelElement(numId: string, level: number, links: number): Element | null {
    const instance = this.instances.get(numId);
    if (!instance || links > MAX_LINKS) return null;
    const override = children(instance, W, "lvlOverride").find((element) => attribute(element, W, "ilvl") === String(level));
    const overridden = child(override ?? null, W, "lvl");
    if (overridden) return overridden;
    const definition = this.definitions.get(childValue(instance, "abstractNumId") ?? "");
    if (!definition) return null;
    const link = childValue(definition, "numStyleLink");
    if (link !== null) {
      const linked = this.styles.numberingOfStyle(link);
      return linked === null ? null : this.levelElement(linked, level, links + 1);
    }
    return children(definition, W, "lvl").find((element) => attribute(element, W, "ilvl") === String(level)) ?? null;
  }
}
