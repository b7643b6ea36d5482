import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOfConductOpeningText } from "../../server/demo/code-of-conduct";
import { createDraft, findDraftBySlug, type Draft } from "../../server/domain/drafts";
import { publishVersion } from "../../server/domain/publications";
import { findUser, setUserLanguage, type User } from "../../server/domain/users";
import { saveVersion } from "../../server/domain/versions";
import { buildUser, TEST_PASSWORD } from "../../test/factories";
import { signedInClient, startTestServer, type TestServer } from "../../test/server";

let server: TestServer;
let secretariat: User;
let draft: Draft;

beforeAll(async () => {
  server = await startTestServer();
  secretariat = await buildUser({ role: "secretariat" });
  draft = await createDraft({ actor: secretariat, title: "Bilingual code", content: codeOfConductOpeningText("Code of Conduct") });
  await saveVersion(server.live, { actor: secretariat, draftId: draft.id, name: "First reading", kind: "manual" });
  await publishVersion(server.live, { actor: secretariat, draftId: draft.id, versionNumber: 1, publicTitle: "Code of Conduct", statusLabel: "Consultation draft", summary: "", attribution: "anonymous" });
});
afterAll(async () => {
  await server.stop();
});

/** A page's <html lang> and its <title>. */
async function page(response: Response): Promise<{ lang: string | undefined; title: string | undefined; html: string }> {
  const html = await response.text();
  return { lang: /<html lang="([^"]+)"/.exec(html)?.[1], title: /<title>([^<]*)<\/title>/.exec(html)?.[1], html };
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers, redirect: "manual" });

describe("the reader's language", () => {
  it("comes from Accept-Language for a signed-out reader, and the answer says so and varies with it", async () => {
    const french = await get("/", { "Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5" });
    expect(french.headers.get("content-language")).toBe("fr");
    // A public page that shared caches may keep says what it varies with.
    expect((await get(`/p/${draft.slug}`, { "Accept-Language": "fr" })).headers.get("vary")).toMatch(/Accept-Language/);
    const { lang, title } = await page(french);
    expect(lang).toBe("fr");
    expect(title).toContain("Rédaction du code de conduite");
    const english = await page(await get("/", { "Accept-Language": "de, en;q=0.5" }));
    expect(english.lang).toBe("en");
    expect(english.title).toContain("Drafting the code of conduct");
    expect((await page(await get("/"))).lang).toBe("en");
  });

  it("is fixed by a public address's language prefix, which answers the same to everyone; an unknown prefix is not found", async () => {
    const french = await get(`/fr/p/${draft.slug}/v/1`, { "Accept-Language": "en" });
    expect(french.status).toBe(200);
    expect(french.headers.get("vary") ?? "").not.toMatch(/Accept-Language/);
    const { lang, html } = await page(french);
    expect(lang).toBe("fr");
    // Links stay in French, and the page names its other languages.
    expect(html).toContain(`href="/fr/p/${draft.slug}"`);
    expect(html).toContain(`<link rel="alternate" hrefLang="en" href="${server.url}/en/p/${draft.slug}/v/1"/>`);
    expect(html).toContain(`<link rel="alternate" hrefLang="x-default" href="${server.url}/p/${draft.slug}/v/1"/>`);
    expect((await page(await get(`/en/p/${draft.slug}/v/1`, { "Accept-Language": "fr" }))).lang).toBe("en");
    expect((await page(await get("/fr"))).lang).toBe("fr");
    for (const path of [`/de/p/${draft.slug}/v/1`, "/de", `/fr/drafts`, "/xx/p/nothing"]) expect((await get(path)).status, path).toBe(404);
  });

  it("keys the public page cache by language: each reader gets their own language's copy", async () => {
    const path = `/p/${draft.slug}/v/1?cache-by-language`;
    for (const round of [1, 2]) {
      for (const [accept, lang] of [["fr", "fr"], ["en", "en"], ["de", "en"]] as const) {
        const response = await get(path, { "Accept-Language": accept });
        if (round === 2) expect(response.headers.get("x-accord-cache"), accept).toBe("hit");
        expect((await page(response)).lang, accept).toBe(lang);
      }
    }
    const cookie = await get(path, { "Accept-Language": "en", Cookie: "accord_lang=fr" });
    expect(cookie.headers.get("x-accord-cache")).toBe("hit");
    expect((await page(cookie)).lang).toBe("fr");
  });

  it("writes the downloads' labels and the feed in the language the address asks for", async () => {
    const french = await (await get(`/fr/p/${draft.slug}/v/1.md`)).text();
    const english = await (await get(`/en/p/${draft.slug}/v/1.md`)).text();
    const month = (language: string) => new Intl.DateTimeFormat(language, { month: "long", timeZone: "UTC" }).format(new Date());
    expect(french).toContain(month("fr"));
    expect(english).toContain(month("en"));
    const feed = await (await get(`/fr/p/${draft.slug}/feed.xml`)).text();
    expect(feed).toContain('xml:lang="fr"');
    expect(feed).toContain("Code of Conduct\u202f: publications");
    expect(feed).toContain(`<link rel="alternate" type="text/html" href="${server.url}/fr/p/${draft.slug}/v/1"/>`);
    expect(await (await get(`/p/${draft.slug}/feed.xml`, { "Accept-Language": "en" })).text()).toContain('xml:lang="en"');
  });

  it("is switched with a visible control, remembered in a cookie that outranks the browser's headers", async () => {
    const client = server.client();
    const home = await page(await client.get("/"));
    expect(home.html).toContain('lang="fr">Français</button>');
    const switched = await client.post("/language", { language: "fr", redirectTo: "/p/" + draft.slug });
    expect(switched.status).toBe(303);
    expect(switched.headers.get("location")).toBe(`/p/${draft.slug}`);
    expect(switched.headers.get("set-cookie")).toMatch(/^accord_lang=fr; Path=\/; SameSite=Lax; Max-Age=\d+/);
    const after = await page(await client.fetch(`/p/${draft.slug}`, { headers: { "Accept-Language": "en" } }));
    expect(after.lang).toBe("fr");
    // On a page whose address names its language, the switch goes to the same page in the other one.
    const prefixed = await client.fetch(`/language?to=${encodeURIComponent(`/en/p/${draft.slug}`)}`, {
      method: "POST",
      body: new URLSearchParams({ language: "en", redirectTo: `/fr/p/${draft.slug}` }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(prefixed.headers.get("location")).toBe(`/en/p/${draft.slug}`);
    // Nothing else is accepted, and nothing leads elsewhere.
    expect((await client.post("/language", { language: "de" })).status).toBe(400);
    expect((await client.post("/language", { language: "fr", redirectTo: "https://evil.example/" })).headers.get("location")).toBe("/");
    expect((await client.post("/language", { language: "fr" }, { origin: "https://evil.example" })).status).toBe(403);
  });

  it("is a setting of a signed-in person's account, which outranks the cookie and the browser; 'my browser's' gives the choice back", async () => {
    const person = await buildUser({ delegation: "fr" });
    const client = await signedInClient(server, person);
    const browserSays = (language: string) => client.fetch("/account", { headers: { "Accept-Language": language } });
    expect((await page(await browserSays("fr"))).lang).toBe("fr");
    expect((await page(await browserSays("en"))).lang).toBe("en");
    const saved = await client.post("/account", { intent: "set-language", language: "fr" });
    expect(saved.status).toBe(302);
    expect((await findUser(person.id))?.language).toBe("fr");
    const account = await page(await browserSays("en"));
    expect(account.lang).toBe("fr");
    expect(account.html).toContain("Votre compte");
    expect((await client.post("/account", { intent: "set-language", language: "klingon" })).status).toBe(400);
    await client.post("/account", { intent: "set-language", language: "browser" });
    expect((await findUser(person.id))?.language).toBeNull();
    expect((await page(await browserSays("en"))).lang).toBe("en");
    // The header's switch saves it on the account too.
    await client.post("/language", { language: "fr", redirectTo: "/account" });
    expect((await findUser(person.id))?.language).toBe("fr");
  });

  it("sends an invitation in the language of the one who invites, and starts the account in its new owner's browser's language", async () => {
    const inviter = await signedInClient(server, secretariat);
    await inviter.post("/language", { language: "fr", redirectTo: "/admin/invitations" });
    const page = await inviter.post("/admin/invitations", { intent: "invite", email: "chloe.dubois@example.org", role: "delegate", delegation: "fr" });
    expect(page.status).toBe(200);
    const path = /\/invite\/[a-z2-7]{32}/.exec(await page.text())?.[0] ?? "";
    const [mail] = await server.database.sql<{ subject: string; body: string }[]>`SELECT subject, body FROM outbox WHERE recipient = 'chloe.dubois@example.org'`;
    expect(mail?.subject).toBe("Votre invitation à Accord");
    expect(mail?.body).toContain("valable 7 jours, une seule fois)\u202f: http");
    const invitee = server.client();
    const accepted = await invitee.fetch(path, {
      method: "POST",
      body: new URLSearchParams({ displayName: "Chloé Dubois", password: "une phrase de passe assez longue", confirmPassword: "une phrase de passe assez longue" }),
      headers: { "content-type": "application/x-www-form-urlencoded", "Accept-Language": "fr-FR,fr;q=0.9" },
    });
    expect(accepted.status).toBe(302);
    const [created] = await server.database.sql<{ language: string | null }[]>`SELECT language FROM users WHERE email = 'chloe.dubois@example.org'`;
    expect(created?.language).toBe("fr");
    await setUserLanguage(secretariat, null);
  });

  it("remembers at sign-in the language the browser asks for, for the e-mail of one who follows it", async () => {
    const person = await buildUser({ delegation: "ca" });
    const client = server.client();
    const signedIn = await client.fetch("/login", {
      method: "POST",
      body: new URLSearchParams({ email: person.email, password: TEST_PASSWORD }),
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url, "Accept-Language": "fr-CA,fr;q=0.9" },
    });
    expect(signedIn.status).toBe(302);
    const [row] = await server.database.sql<{ language: string | null; browser_language: string | null }[]>`SELECT language, browser_language FROM users WHERE id = ${person.id}`;
    expect(row).toEqual({ language: null, browser_language: "fr" });
  });

  it("writes the audit trail's CSV headers, and its refusals, in the secretariat's language", async () => {
    const person = await buildUser({ role: "secretariat", language: "fr" });
    const client = await signedInClient(server, person);
    const csv = await (await client.get("/admin/audit.csv")).text();
    expect(csv.split("\r\n")[0]).toBe("date et heure (UTC),auteur,identifiant de l’auteur,délégation,action,type d’objet,identifiant de l’objet,détails (JSON)");
    const refused = await client.get("/admin/audit.csv?from=hier");
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/^from\u202f: /);
  });

  it("gives form errors in the reader's language, though the form's rules were made at start-up", async () => {
    const english = await page(await server.client().post("/login", { email: "", password: "" }));
    expect(english.html).toContain("This field is required.");
    const frenchClient = server.client();
    await frenchClient.post("/language", { language: "fr" });
    const french = await page(await frenchClient.post("/login", { email: "", password: "" }));
    expect(french.lang).toBe("fr");
    expect(french.html).not.toContain("This field is required.");
    expect(french.html).toContain("Ce champ est obligatoire.");
  });
});

describe("the draft's own language", () => {
  it("is chosen when the draft is created (the interface's by default), shown, and marks its text", async () => {
    const client = await signedInClient(server, secretariat);
    const form = (await page(await client.get("/drafts"))).html;
    expect(form).toMatch(/<select id="field-language" name="language"[^>]*>.*<option value="en" selected="">English<\/option><option value="fr">French<\/option>/s);
    const created = await client.post("/drafts", { title: "Code de conduite", language: "fr" });
    expect(created.status).toBe(302);
    const slug = created.headers.get("location")?.split("/").pop() ?? "";
    const french = await findDraftBySlug(slug);
    expect(french?.language).toBe("fr");

    const list = (await page(await client.get("/drafts"))).html;
    expect(list).toMatch(new RegExp(`lang="fr"[^>]* href="/drafts/${slug}">Code de conduite</a><span class="muted">Text in French</span>`));
    const draftPage = (await page(await client.get(`/drafts/${slug}`))).html;
    expect(draftPage).toContain('<h1 id="draft-title" lang="fr">Code de conduite</h1>');
    expect(draftPage).toContain("Text in French");

    // A language Accord does not offer is refused with the form's error, and nothing is created.
    const refused = await client.post("/drafts", { title: "Kodex", language: "de" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Choose one of the options.");
    expect(await findDraftBySlug("kodex")).toBeNull();
    // A client that sends no language (the form's select always does) gets the interface's.
    await client.post("/language", { language: "fr", redirectTo: "/drafts" });
    const unsaid = await client.post("/drafts", { title: "Sans langue" });
    expect(unsaid.status).toBe(302);
    expect((await findDraftBySlug("sans-langue"))?.language).toBe("fr");
    await setUserLanguage(secretariat, null);
  });

  it("labels the published text with it on the public site, marks it with lang, and carries it into the downloads", async () => {
    const french = await createDraft({ actor: secretariat, title: "Code de conduite publié", language: "fr", content: codeOfConductOpeningText("Code de conduite") });
    await saveVersion(server.live, { actor: secretariat, draftId: french.id, name: "Première lecture", kind: "manual" });
    await publishVersion(server.live, { actor: secretariat, draftId: french.id, versionNumber: 1, publicTitle: "Code de conduite", statusLabel: "Projet", summary: "", attribution: "anonymous" });

    const english = (await page(await get(`/en/p/${french.slug}/v/1`))).html;
    expect(english).toContain("Language of the text: French");
    expect(english).toMatch(/<div class="published__text" lang="fr">/);
    expect(english).toContain('<h1 id="published-title" lang="fr">Code de conduite</h1>');
    const inFrench = (await page(await get(`/fr/p/${french.slug}/v/1`))).html;
    expect(inFrench).toContain("Langue du texte\u202f: français");
    // An English text read in French is marked English.
    expect((await page(await get(`/fr/p/${draft.slug}/v/1`))).html).toMatch(/<div class="published__text" lang="en">/);
    expect((await page(await get("/en"))).html).toMatch(new RegExp(`lang="fr"[^>]* href="/en/p/${french.slug}">Code de conduite</a>`));

    const html = await (await get(`/en/p/${french.slug}/v/1.html`)).text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<header lang="en">');
    const pdf = Buffer.from(await (await get(`/en/p/${french.slug}/v/1.pdf`)).arrayBuffer()).toString("latin1");
    expect(pdf).toContain("/Lang (fr)");
  });
});
