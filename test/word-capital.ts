import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";

/** A change a capital makes with Word's tracked changes on: `find` (inside one run of text) becomes `replace`. */
export interface CapitalEdit {
  find: string;
  replace: string;
  author: string;
  /** A comment on the change, as Word anchors it around the changed words. */
  comment?: string;
}

/** A comment on words left unchanged. */
export interface CapitalComment {
  on: string;
  text: string;
  author: string;
}

const DATE = "2026-12-04T16:30:00Z";
const COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml";
const COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";

/**
 * Marks up a Word file as a capital's reviewer does in Word with tracked changes on: each edit
 * splits the run holding its words into the words before, a w:del of the old words and a w:ins of
 * the new (keeping the run's formatting), and the words after; comments go in word/comments.xml,
 * anchored with commentRangeStart/End and a reference run, as Word writes them.
 */
export function markUpAsCapital(docx: Uint8Array, edits: CapitalEdit[], comments: CapitalComment[] = []): Uint8Array {
  const files = unzipSync(docx);
  let document = strFromU8(files["word/document.xml"] ?? new Uint8Array());
  const written: { id: number; author: string; text: string }[] = [];
  let nextId = 9000;
  const comment = (author: string, text: string) => {
    const id = (nextId += 1);
    written.push({ id, author, text });
    return id;
  };
  for (const edit of edits) {
    document = splitRun(document, edit.find, (rPr, before, after) => {
      const id = edit.comment ? comment(edit.author, edit.comment) : null;
      const del = edit.find ? `<w:del w:id="${(nextId += 1)}" w:author="${escape(edit.author)}" w:date="${DATE}"><w:r>${rPr}<w:delText xml:space="preserve">${escape(edit.find)}</w:delText></w:r></w:del>` : "";
      const ins = edit.replace ? `<w:ins w:id="${(nextId += 1)}" w:author="${escape(edit.author)}" w:date="${DATE}"><w:r>${rPr}<w:t xml:space="preserve">${escape(edit.replace)}</w:t></w:r></w:ins>` : "";
      const changed = id === null ? del + ins : `<w:commentRangeStart w:id="${id}"/>${del}${ins}<w:commentRangeEnd w:id="${id}"/><w:r><w:commentReference w:id="${id}"/></w:r>`;
      return run(rPr, before) + changed + run(rPr, after);
    });
  }
  for (const note of comments) {
    document = splitRun(document, note.on, (rPr, before, after) => {
      const id = comment(note.author, note.text);
      return `${run(rPr, before)}<w:commentRangeStart w:id="${id}"/>${run(rPr, note.on)}<w:commentRangeEnd w:id="${id}"/><w:r><w:commentReference w:id="${id}"/></w:r>${run(rPr, after)}`;
    });
  }
  files["word/document.xml"] = strToU8(document);
  if (written.length) addComments(files, written);
  return zipSync(files);
}

// Replaces the first run whose text holds `words` with what `make` builds from its formatting and
// the text before and after the words.
function splitRun(document: string, words: string, make: (rPr: string, before: string, after: string) => string): string {
  const runs = /<w:r>(<w:rPr>(?:(?!<\/w:rPr>).)*<\/w:rPr>)?<w:t(?: xml:space="preserve")?>([^<]*)<\/w:t><\/w:r>/g;
  for (const match of document.matchAll(runs)) {
    const text = unescape(match[2] ?? "");
    const at = text.indexOf(words);
    if (at < 0) continue;
    const replaced = make(match[1] ?? "", text.slice(0, at), text.slice(at + words.length));
    return document.slice(0, match.index) + replaced + document.slice((match.index ?? 0) + match[0].length);
  }
  throw new Error(`"${words}" is not in one run of the document`);
}

function run(rPr: string, text: string): string {
  return text ? `<w:r>${rPr}<w:t xml:space="preserve">${escape(text)}</w:t></w:r>` : "";
}

function addComments(files: Record<string, Uint8Array>, comments: { id: number; author: string; text: string }[]): void {
  const body = comments
    .map((item) => `<w:comment w:id="${item.id}" w:author="${escape(item.author)}" w:date="${DATE}" w:initials="C"><w:p><w:r><w:t xml:space="preserve">${escape(item.text)}</w:t></w:r></w:p></w:comment>`)
    .join("");
  files["word/comments.xml"] = strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${body}</w:comments>`);
  const types = strFromU8(files["[Content_Types].xml"] ?? new Uint8Array());
  if (!types.includes("/word/comments.xml")) {
    files["[Content_Types].xml"] = strToU8(types.replace("</Types>", `<Override PartName="/word/comments.xml" ContentType="${COMMENTS_TYPE}"/></Types>`));
  }
  const relsName = "word/_rels/document.xml.rels";
  const rels = strFromU8(files[relsName] ?? new Uint8Array());
  if (!rels.includes('Target="comments.xml"')) {
    files[relsName] = strToU8(rels.replace("</Relationships>", `<Relationship Id="rIdCapitalComments" Type="${COMMENTS_REL}" Target="comments.xml"/></Relationships>`));
  }
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}
