import { DOMParser } from "@xmldom/xmldom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentJson, section, type DocJson } from "../../schema/content";
import { schema } from "../../schema/prosemirror";

import { codeOfConductOpeningText } from "../../server/demo/code-of-conduct";
import { createDraft, type Draft } from "../../server/domain/drafts";
import { publishVersion } from "../../server/domain/publications";
import type { User } from "../../server/domain/users";
import { saveVersion } from "../../server/domain/versions";
import { buildUser } from "../../test/factories";
import { startTestServer, type TestServer } from "../../test/server";
import { editText } from "../../server/domain/live-texts";

let server: TestServer;
let secretariat: User;
let draft: Draft;
let hidden: Draft;

/** The sample text with its first clause reworded and a clause added to the last section. */
function amended(current: DocJson): DocJson {
  const json = structuredClone(current);
  const sections = (json.content ?? []).filter((node) => node.type === "section");
  const firstClause = sections[0]?.content?.find((node) => node.type === "clause");
  const paragraph = firstClause?.content?.[0];
  if (!paragraph) throw new Error("no first clause");
  paragraph.content = [{ type: "text", text: "This Code sets out the shared political commitments of the Subscribing States." }];
  sections.at(-1)?.content?.push({
    type: "clause",
    attrs: { id: "c-added-review" },
    content: [{ type: "paragraph", content: [{ type: "text", text: "A review conference will be held in 2029." }] }],
  });
  return json;
}

beforeAll(async () => {
  server = await startTestServer();
  secretariat = await buildUser({ role: "secretariat" });
  draft = await createDraft({ actor: secretariat, title: "Public code", content: codeOfConductOpeningText("Code of Conduct") });
  hidden = await createDraft({ actor: secretariat, title: "Hidden code" });
  await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "First reading", kind: "manual" });
  await editText(server.live.texts, {
    draftId: draft.id,
    author: { userId: secretariat.id, delegationCode: null },
    change: (current) => schema.nodeFromJSON(amended(current.toJSON() as DocJson)),
  });
  await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "Second reading", kind: "manual" });
  await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "Not for the public", kind: "manual" });
  await saveVersion(server.live, { actor: secretariat, draftId: hidden.id, name: "Never published", kind: "manual" });
  const common = { actor: secretariat, draftId: draft.id, summary: "The partners’ text <for> comment & review.", attribution: "anonymous" as const };
  await publishVersion(server.live, { ...common, versionNumber: 1, publicTitle: "Code of Conduct: first consultation", statusLabel: "Consultation draft" });
  await publishVersion(server.live, { ...common, versionNumber: 2, publicTitle: "Code of Conduct: second consultation", statusLabel: "Consultation draft" });
});
afterAll(async () => {
  await server.stop();
});

const anonymous = () => server.client();

/** What must be equal between two 404s: the body (nonces aside) and every header but the date and the nonce's policy. */
async function notFoundShape(response: Response, path: string) {
  // The page names its own address (in the language switch): the rest must be the same.
  const body = (await response.text()).replace(/nonce="[^"]*"|nonce-[A-Za-z0-9+/=]+/g, "nonce").replaceAll(path, "ADDRESS");
  const headers = [...response.headers].filter(([name]) => !["date", "content-security-policy"].includes(name));
  return { status: response.status, body, headers };
}

describe("the public site", () => {
  it("lists only published texts on the home page", async () => {
    const html = await (await anonymous().get("/")).text();
    expect(html).toContain('href="/p/public-code"');
    expect(html).toContain("Code of Conduct: second consultation");
    expect(html).toContain("2 published versions");
    expect(html).not.toContain("Hidden code");
    expect(html).not.toContain("No text has been published yet");
  });

  it("shows the latest published version with its facts, contents, anchors and every publication", async () => {
    const response = await anonymous().get(`/p/${draft.slug}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300, must-revalidate");
    expect(response.headers.get("etag")).toMatch(/^W\/"latest-/);
    const html = await response.text();
    expect(html).toMatch(/<html lang="en"/);
    expect(html).toContain("<h1 id=\"published-title\" lang=\"en\">Code of Conduct: second consultation</h1>");
    expect(html).toContain("The partners’ text &lt;for&gt; comment &amp; review.");
    expect(html).toMatch(/SHA-256 of the text<\/dt><dd><code>[0-9a-f]{64}<\/code>/);
    expect(html).toContain("Amendments and positions are shown as “a delegation”.");
    expect(html).toContain('<h2 id="toc-title">Contents</h2>');
    expect(html).toContain('<a href="#clause-c-added-review">5.3</a>');
    expect(html).toContain('id="clause-c-added-review"');
    expect(html).toContain("shared political commitments");
    expect(html).not.toContain("Not for the public");
    expect(html).toContain('href="/p/public-code/compare/1/2"');
    expect(html).toContain('href="/p/public-code/v/2.pdf"');
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/public-[^"]+\.css"/);
    // One h1 per page: the text's own title is a line under it.
    expect(html.match(/<h1/g)).toHaveLength(1);
  });

  it("serves a given version for revalidation (its consultation may open), and answers 304 when the client holds it", async () => {
    const response = await anonymous().get(`/p/${draft.slug}/v/1`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300, must-revalidate");
    expect(response.headers.get("vary")).toContain("Cookie");
    const etag = response.headers.get("etag") ?? "";
    // The text's hash, the version, and the consultation's state: not open, no published dispositions.
    expect(etag).toMatch(/^W\/"[0-9a-f]{32}-v1-nc-nd-en-r\d+"$/);
    const html = await response.text();
    expect(html).toContain("Code of Conduct: first consultation");
    expect(html).not.toContain("shared political commitments");

    const again = await anonymous().fetch(`/p/${draft.slug}/v/1`, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe("public, max-age=300, must-revalidate");

    const other = await anonymous().fetch(`/p/${draft.slug}/v/2`, { headers: { "If-None-Match": etag } });
    expect(other.status).toBe(200);
  });

  it("keeps a signed-in reader's page (with their name in the header) out of shared caches", async () => {
    const client = server.client();
    await client.signIn(secretariat.email);
    const response = await client.get(`/p/${draft.slug}/v/1`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    const anonymousEtag = (await anonymous().get(`/p/${draft.slug}/v/1`)).headers.get("etag");
    expect(response.headers.get("etag")).not.toBe(anonymousEtag);
  });

  it("downloads each published version as PDF, DOCX, Markdown and HTML, named and cached for good", async () => {
    const expected = {
      pdf: ["application/pdf", "%PDF-"],
      docx: ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK"],
      md: ["text/markdown; charset=utf-8", "# Code of Conduct: second consultation"],
      html: ["text/html; charset=utf-8", "<!doctype html>"],
    } as const;
    for (const [format, [type, start]] of Object.entries(expected)) {
      const response = await anonymous().get(`/p/${draft.slug}/v/2.${format}`);
      expect(response.status, format).toBe(200);
      expect(response.headers.get("content-type")).toBe(type);
      expect(response.headers.get("content-disposition")).toBe(`attachment; filename="public-code-v2.${format}"`);
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.subarray(0, start.length).toString()).toBe(start);
      const etag = response.headers.get("etag") ?? "";
      const again = await anonymous().fetch(`/p/${draft.slug}/v/2.${format}`, { headers: { "If-None-Match": etag } });
      expect(again.status, format).toBe(304);
    }
    const markdown = await (await anonymous().get(`/p/${draft.slug}/v/2.md`)).text();
    expect(markdown).toContain("**5.3** A review conference will be held in 2029.");
    const html = await (await anonymous().get(`/p/${draft.slug}/v/2.html`)).text();
    expect(html).toContain('id="clause-c-added-review"');
  });

  it("compares two published versions clause by clause, from the compare form too", async () => {
    const response = await anonymous().get(`/p/${draft.slug}/compare/1/2`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const html = await response.text();
    expect(html).toContain("Changes from version 1 to version 2");
    expect(html).toMatch(/1 clause changed, 1 added/);
    expect(html).toContain("<ins>");
    expect(html).toContain("<del>");
    expect(html).toContain("Added");

    const form = await anonymous().get(`/p/${draft.slug}/compare?from=1&to=2`);
    expect(form.status).toBe(302);
    expect(form.headers.get("location")).toBe(`/p/${draft.slug}/compare/1/2`);
  });

  it("offers an Atom feed of the publications", async () => {
    const response = await anonymous().get(`/p/${draft.slug}/feed.xml`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300, must-revalidate");
    const xml = await response.text();
    const warnings: string[] = [];
    const record = (message: unknown) => void warnings.push(String(message));
    const feed = new DOMParser({ errorHandler: { warning: record, error: record, fatalError: record } }).parseFromString(xml, "application/xml");
    expect(warnings).toEqual([]);
    const entries = feed.documentElement?.getElementsByTagName("entry");
    expect(entries?.length).toBe(2);
    expect(entries?.[0]?.getElementsByTagName("id")[0]?.textContent).toBe(`${server.url}/p/public-code/v/2`);
    expect(entries?.[0]?.getElementsByTagName("summary")[0]?.textContent).toBe("The partners’ text <for> comment & review.");
  });

  it("answers 404 for anything unpublished exactly as for what does not exist", async () => {
    const pairs: [string, string][] = [
      [`/p/${draft.slug}/v/3`, `/p/${draft.slug}/v/99`],
      [`/p/${hidden.slug}`, "/p/no-such-draft"],
      [`/p/${hidden.slug}/v/1`, "/p/no-such-draft/v/1"],
      [`/p/${draft.slug}/v/3.pdf`, `/p/${draft.slug}/v/99.pdf`],
      [`/p/${hidden.slug}/v/1.docx`, "/p/no-such-draft/v/1.docx"],
      [`/p/${draft.slug}/compare/1/3`, `/p/${draft.slug}/compare/1/99`],
      [`/p/${hidden.slug}/feed.xml`, "/p/no-such-draft/feed.xml"],
    ];
    for (const [unpublished, missing] of pairs) {
      const a = await notFoundShape(await anonymous().get(unpublished), unpublished);
      const b = await notFoundShape(await anonymous().get(missing), missing);
      expect(a.status, unpublished).toBe(404);
      expect(a, unpublished).toEqual(b);
    }
    for (const path of [`/p/${draft.slug}/v/0`, `/p/${draft.slug}/v/1x`, `/p/${draft.slug}/compare/1/two`]) {
      expect((await anonymous().get(path)).status, path).toBe(404);
    }
  });

  it("shows the secretariat nothing more than the public", async () => {
    const client = server.client();
    await client.signIn(secretariat.email);
    expect((await client.get(`/p/${draft.slug}/v/3`)).status).toBe(404);
    expect((await client.get(`/p/${hidden.slug}`)).status).toBe(404);
  });
});

describe("a publication's square brackets", () => {
  let inBrackets: Draft;
  const option = (text: string, index: number): DocJson => ({ type: "text", text, marks: [{ type: "bracket", attrs: { id: "b0000000000b1", option: index, supporters: "fr" } }] });
  const readable = (html: string) => html.replace(/<[^>]+>/g, "");

  // The same text published twice: version 1 clean, version 2 with its brackets.
  beforeAll(async () => {
    inBrackets = await createDraft({
      actor: secretariat,
      title: "Code in brackets",
      content: documentJson("Code in brackets", ["Preamble."], [
        section("Scope", {
          type: "clause",
          attrs: { id: "c0000000000b1" },
          content: [{ type: "paragraph", content: [{ type: "text", text: "States assess " }, option("each", 0), option("every", 1), { type: "text", text: " licence." }] }],
        }),
      ]),
    });
    const common = { actor: secretariat, draftId: inBrackets.id, summary: "", statusLabel: "Consultation draft", attribution: "anonymous" as const };
    for (const name of ["Clean", "Bracketed"]) await saveVersion(server.live, { actor: secretariat, draftId: inBrackets.id, name, kind: "manual" });
    await publishVersion(server.live, { ...common, versionNumber: 1, publicTitle: "Clean code", brackets: "clean" });
    await publishVersion(server.live, { ...common, versionNumber: 2, publicTitle: "Bracketed code", brackets: "bracketed" });
  });

  it("shows the clean text of a clean publication on its page, and says so", async () => {
    const response = await anonymous().get(`/p/${inBrackets.slug}/v/1`);
    expect(response.headers.get("etag")).toMatch(/^W\/"[0-9a-f]{32}-v1-clean-nc-nd-en-r\d+"$/);
    const text = readable(await response.text());
    expect(text).toContain("States assess each licence.");
    expect(text).not.toContain("every");
    expect(text).toContain("This text shows the first alternative of each passage not yet agreed, without square brackets.");
    expect(text).not.toContain("Square brackets mark text not yet agreed");
  });

  it("shows the square brackets of a bracketed publication, and says what they mean", async () => {
    const response = await anonymous().get(`/p/${inBrackets.slug}/v/2`);
    expect(response.headers.get("etag")).not.toContain("clean");
    const text = readable(await response.text());
    expect(text).toContain("States assess [each / every] licence.");
    expect(text).toContain("Square brackets mark text not yet agreed; a slash separates the alternatives proposed.");
    // An anonymous publication never names the delegations behind an alternative, not even by code.
    const page = await (await anonymous().get(`/p/${inBrackets.slug}/v/2`)).text();
    expect(page).toContain('class="bracket"');
    expect(page).not.toMatch(/data-supporters="[^"]+"/);
    expect(await (await anonymous().get(`/p/${inBrackets.slug}/v/2.html`)).text()).not.toMatch(/data-supporters="[^"]+"/);
    // The latest version's page is the bracketed one too.
    expect(readable(await (await anonymous().get(`/p/${inBrackets.slug}`)).text())).toContain("[each / every]");
  });

  it("downloads each as it was published", async () => {
    const cleanMarkdown = await (await anonymous().get(`/p/${inBrackets.slug}/v/1.md`)).text();
    expect(cleanMarkdown).toContain("States assess each licence.");
    expect(cleanMarkdown).not.toContain("every");
    const cleanHtml = await anonymous().get(`/p/${inBrackets.slug}/v/1.html`);
    expect(cleanHtml.headers.get("etag")).toContain("-clean-html-");
    const cleanText = readable(await cleanHtml.text());
    expect(cleanText).toContain("States assess each licence.");
    expect(cleanText).not.toContain("every");

    expect(await (await anonymous().get(`/p/${inBrackets.slug}/v/2.md`)).text()).toContain("States assess \\[each / every\\] licence.");
    expect(readable(await (await anonymous().get(`/p/${inBrackets.slug}/v/2.html`)).text())).toContain("States assess [each / every] licence.");
  });

  it("compares the two as published: the brackets appear in the second", async () => {
    const response = await anonymous().get(`/p/${inBrackets.slug}/compare/1/2`);
    expect(response.headers.get("etag")).toContain("-v1-clean-v2-");
    const html = await response.text();
    expect(html).toMatch(/1 clause changed/);
    expect(html).toMatch(/<ins>[^<]*every/);
  });
});
