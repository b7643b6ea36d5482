import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clause, documentJson, section } from "../../schema/content";
import { eventually } from "../../test/collab-client";
import { openEventStream } from "../../test/event-stream";
import { buildUser } from "../../test/factories";
import { sendJson, startTestServer, type TestClient, type TestServer } from "../../test/server";
import { loadTextSnapshot } from "../../server/domain/annotation-anchors";
import { createDraft, type Draft } from "../../server/domain/drafts";

import { rangeOf } from "../../test/text-ranges";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const TEXT = "Participating States shall assess the risk of serious violations of human rights.";

async function newDraft(): Promise<Draft> {
  const secretariat = await buildUser({ role: "secretariat" });
  return createDraft({ actor: secretariat, title: "Amendments", content: documentJson("Amendments", ["Preamble."], [section("One", clause(TEXT))]) });
}

async function storedText(draftId: string): Promise<string> {
  const text = await loadTextSnapshot(draftId);
  text.destroy();
  return text.node.textContent;
}

async function signedIn(options: Parameters<typeof buildUser>[0]) {
  const user = await buildUser(options);
  const client = server.client();
  await client.signIn(user.email);
  return { user, client };
}

async function counts(): Promise<number[]> {
  const [row] = await server.database.sql<{ a: number; c: number; e: number; u: number }[]>`
    SELECT (SELECT count(*)::int FROM amendments) AS a, (SELECT count(*)::int FROM amendment_cosponsors) AS c,
           (SELECT count(*)::int FROM audit_events) AS e, (SELECT count(*)::int FROM draft_updates) AS u`;
  return [row?.a ?? 0, row?.c ?? 0, row?.e ?? 0, row?.u ?? 0];
}

interface AmendmentBody {
  number: number;
  label: string;
  status: string;
  quote: string;
  cosponsors: string[];
  can: Record<string, boolean>;
}

describe("the amendments API", () => {
  it("answers signed-out requests with 401 JSON", async () => {
    const draft = await newDraft();
    const anonymous = server.client();
    for (const response of [
      await anonymous.get(`/drafts/${draft.slug}/amendments`),
      await sendJson(anonymous, `/drafts/${draft.slug}/amendments`, "POST", { kind: "delete", from: 1, to: 3, rationale: "x" }),
      await sendJson(anonymous, `/drafts/${draft.slug}/amendments/1`, "POST", { intent: "withdraw" }),
    ]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "Sign in first." });
    }
  });

  it("tables amendments from JSON or a form, numbered A-1, A-2, and lists and filters them", async () => {
    const draft = await newDraft();
    const { user, client } = await signedIn({ delegation: "uk" });
    const french = await signedIn({ delegation: "fr" });
    const base = `/drafts/${draft.slug}/amendments`;
    const created = await sendJson(client, base, "POST", { kind: "replace", ...(await rangeOf(draft.id, "shall")), proposed: "must", rationale: "Binding." });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { amendment: unknown }).amendment).toMatchObject({
      number: 1,
      label: "A-1",
      kind: "replace",
      status: "open",
      quote: "shall",
      proposed: "must",
      current: "shall",
      changed: false,
      delegation: "uk",
      cosponsors: [],
      author: { id: user.id },
      can: { cosponsor: false, withdrawCosponsorship: false, withdraw: true, decide: false },
    });
    const point = (await rangeOf(draft.id, "violations")).from;
    const form = await french.client.post(base, { kind: "insert", from: String(point), to: "", proposed: "gross ", rationale: "Precision." });
    expect(form.status).toBe(201);
    expect(((await form.json()) as { amendment: AmendmentBody }).amendment).toMatchObject({ label: "A-2", quote: "" });

    const list = await client.get(base);
    expect(list.headers.get("cache-control")).toContain("no-store");
    const { amendments } = (await list.json()) as { amendments: AmendmentBody[] };
    expect(amendments.map((amendment) => [amendment.label, amendment.can.cosponsor])).toEqual([
      ["A-1", false],
      ["A-2", true],
    ]);
    const labels = async (query: string) =>
      ((await (await client.get(`${base}${query}`)).json()) as { amendments: AmendmentBody[] }).amendments.map((amendment) => amendment.label);
    expect(await labels("?delegation=fr")).toEqual(["A-2"]);
    expect(await labels("?status=open&delegation=uk")).toEqual(["A-1"]);
    expect(await labels("?status=adopted")).toEqual([]);
    expect(await labels("?status=")).toEqual(["A-1", "A-2"]);
    const badFilter = await client.get(`${base}?status=maybe`);
    expect(badFilter.status).toBe(400);
    expect(await badFilter.json()).toEqual({ error: "Filter by open, withdrawn, adopted or rejected.", fields: { status: "Filter by open, withdrawn, adopted or rejected." } });
    const one = await client.get(`${base}/A-2`);
    expect(((await one.json()) as { amendment: AmendmentBody }).amendment.label).toBe("A-2");
  });

  it("refuses bad input with 400 or 404 and a clear message, and tabling by the secretariat or observers with 403, writing nothing", async () => {
    const draft = await newDraft();
    const { client } = await signedIn({ delegation: "uk" });
    const secretariat = await signedIn({ role: "secretariat" });
    const observer = await signedIn({ role: "observer" });
    const range = await rangeOf(draft.id, "serious");
    const base = `/drafts/${draft.slug}/amendments`;
    const before = await counts();
    const cases: [string, unknown, number, RegExp, string?][] = [
      [base, { kind: "rewrite", ...range, proposed: "x", rationale: "r" }, 400, /Choose replace, insert or delete/, "kind"],
      [base, { kind: "replace", ...range, proposed: "", rationale: "r" }, 400, /Write the text you propose/, "proposed"],
      [base, { kind: "replace", ...range, proposed: "one\ntwo", rationale: "r" }, 400, /one paragraph/, "proposed"],
      [base, { kind: "replace", ...range, proposed: "x".repeat(5001), rationale: "r" }, 400, /at most 5000 characters/, "proposed"],
      [base, { kind: "delete", ...range, proposed: "words", rationale: "r" }, 400, /A deletion proposes no new text/, "proposed"],
      [base, { kind: "replace", ...range, proposed: "grave", rationale: "  " }, 400, /Give the rationale/, "rationale"],
      [base, { kind: "replace", ...range, proposed: "grave" }, 400, /Give the rationale/, "rationale"],
      [base, { kind: "replace", from: 2, to: 100_000, proposed: "x", rationale: "r" }, 400, /Select text within one paragraph/, "from"],
      [base, { kind: "replace", from: 9, to: 9, proposed: "x", rationale: "r" }, 400, /Select text within one paragraph/, "from"],
      [base, { kind: "delete", from: 1, to: range.to, rationale: "r" }, 400, /Select text within one paragraph/, "from"],
      [base, { kind: "insert", from: range.from, to: range.to, proposed: "x", rationale: "r" }, 400, /Choose a point/, "from"],
      [base, { kind: "replace", from: "a", to: 4, proposed: "x", rationale: "r" }, 400, /Select text/, "from"],
      ["/drafts/no-such-draft/amendments", { kind: "replace", ...range, proposed: "x", rationale: "r" }, 404, /no such draft/],
      [`${base}/1`, { intent: "withdraw" }, 404, /no such amendment/],
      [`${base}/A-0`, { intent: "withdraw" }, 404, /no such amendment/],
      [`${base}/not-a-number`, { intent: "withdraw" }, 404, /no such amendment/],
    ];
    for (const [path, body, status, message, field] of cases) {
      const response = await sendJson(client, path, "POST", body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      const answer = (await response.json()) as { error: string; fields?: Record<string, string> };
      expect(answer.error).toMatch(message);
      if (field) expect(answer.fields?.[field]).toMatch(message);
    }
    for (const who of [secretariat, observer]) {
      const refused = await sendJson(who.client, base, "POST", { kind: "replace", ...range, proposed: "grave", rationale: "r" });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: "Only delegates and heads of delegation table amendments." });
    }
    const broken = await client.fetch(base, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(broken.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it("lets other delegations co-sponsor, the tabling delegation withdraw, and only the secretariat decide", async () => {
    const draft = await newDraft();
    const british = await signedIn({ delegation: "uk" });
    const french = await signedIn({ delegation: "fr" });
    const secretariat = await signedIn({ role: "secretariat" });
    const base = `/drafts/${draft.slug}/amendments`;
    await sendJson(british.client, base, "POST", { kind: "delete", ...(await rangeOf(draft.id, " of human rights")), rationale: "Redundant." });
    await sendJson(british.client, base, "POST", { kind: "replace", ...(await rangeOf(draft.id, "shall")), proposed: "should", rationale: "Voluntary." });

    const before = await counts();
    const refusals: [TestClient, string, unknown, number, RegExp][] = [
      [british.client, "A-1", { intent: "cosponsor" }, 403, /Only another delegation/],
      [french.client, "A-1", { intent: "withdraw" }, 403, /Only the tabling delegation/],
      [french.client, "A-1", { intent: "withdraw-cosponsorship" }, 403, /does not co-sponsor/],
      [british.client, "A-1", { intent: "adopt" }, 403, /Only the secretariat/],
      [secretariat.client, "A-1", { intent: "cosponsor" }, 403, /Only another delegation/],
      [french.client, "A-1", { intent: "vote" }, 400, /Unknown intent/],
    ];
    for (const [client, number, body, status, message] of refusals) {
      const response = await sendJson(client, `${base}/${number}`, "POST", body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
    }
    expect(await counts()).toEqual(before);

    const cosponsored = await sendJson(french.client, `${base}/A-1`, "PATCH", { intent: "cosponsor" });
    expect(((await cosponsored.json()) as { amendment: AmendmentBody }).amendment).toMatchObject({ cosponsors: ["fr"], can: { withdrawCosponsorship: true, cosponsor: false } });
    const form = await french.client.post(`${base}/1`, { intent: "withdraw-cosponsorship" });
    expect(((await form.json()) as { amendment: AmendmentBody }).amendment.cosponsors).toEqual([]);

    const withdrawn = await sendJson(british.client, `${base}/A-2`, "POST", { intent: "withdraw" });
    expect(((await withdrawn.json()) as { amendment: AmendmentBody }).amendment.status).toBe("withdrawn");
    const again = await sendJson(secretariat.client, `${base}/A-2`, "POST", { intent: "reject" });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: "A-2 is already withdrawn." });

    const adopted = await sendJson(secretariat.client, `${base}/A-1`, "POST", { intent: "adopt" });
    expect(adopted.status).toBe(200);
    expect(((await adopted.json()) as { amendment: AmendmentBody }).amendment.status).toBe("adopted");
    expect(await storedText(draft.id)).toContain("assess the risk of serious violations.");
  });

  it("asks the secretariat to confirm against a side-by-side when the words changed since tabling, and streams each change", async () => {
    const draft = await newDraft();
    const british = await signedIn({ delegation: "uk" });
    const secretariat = await signedIn({ role: "secretariat" });
    const observer = await signedIn({ role: "observer" });
    const { stream } = openEventStream(observer.client, `/drafts/${draft.slug}/events`);
    await eventually(() => stream.raw.includes(": connected"), 3000, "the stream to open");
    const base = `/drafts/${draft.slug}/amendments`;
    await sendJson(british.client, base, "POST", { kind: "replace", ...(await rangeOf(draft.id, "serious violations")), proposed: "gross violations", rationale: "Stronger." });
    await eventually(() => stream.raw.includes("event: amendment"), 2000, "the tabled amendment to be streamed");
    expect(stream.raw).toMatch(/event: amendment\ndata: \{"change":"tabled","amendment":\{"number":1,"label":"A-1"/);

    await server.accord.collab.texts.editDocument({
      draftId: draft.id,
      author: { userId: british.user.id, delegationCode: "dk" },
      edit: (doc) => {
        // doc → section → clause → paragraph → its text
        const sectionElement = doc.getXmlFragment("prosemirror").get(2) as Y.XmlElement;
        const paragraph = (sectionElement.get(1) as Y.XmlElement).get(0) as Y.XmlElement;
        const text = paragraph.get(0) as Y.XmlText;
        text.insert(text.toString().indexOf("violations"), "and systematic ");
      },
    });
    const before = await counts();
    const refused = await sendJson(secretariat.client, `${base}/A-1`, "POST", { intent: "adopt" });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({
      error: "The text of A-1 has changed since it was tabled. Compare and confirm to adopt it anyway.",
      changed: { quote: "serious violations", current: "serious and systematic violations", proposed: "gross violations" },
    });
    expect(await counts()).toEqual(before);

    const confirmed = await secretariat.client.post(`${base}/A-1`, { intent: "adopt", confirm: "true" });
    expect(confirmed.status).toBe(200);
    expect(await storedText(draft.id)).toContain("assess the risk of gross violations of human rights.");
    await eventually(() => stream.raw.includes('"change":"adopted"'), 2000, "the adoption to be streamed");
    stream.close();
  });
});

describe("the draft page's amendment forms (without JavaScript)", () => {
  it("table, co-sponsor and decide through the page's action, with field errors and the side-by-side on refusal", async () => {
    const draft = await newDraft();
    const british = await signedIn({ delegation: "uk" });
    const norwegian = await signedIn({ role: "head", delegation: "no" });
    const secretariat = await signedIn({ role: "secretariat" });
    const observer = await signedIn({ role: "observer" });
    const page = `/drafts/${draft.slug}`;
    const range = await rangeOf(draft.id, "serious violations");

    const before = await counts();
    const bad = await british.client.post(page, { intent: "amendment-table", kind: "replace", from: String(range.from), to: String(range.to), proposed: "", rationale: "" });
    expect(bad.status).toBe(400);
    const refusedObserver = await observer.client.post(page, { intent: "amendment-table", kind: "delete", from: String(range.from), to: String(range.to), rationale: "r" });
    expect(refusedObserver.status).toBe(403);
    expect(await counts()).toEqual(before);

    const tabled = await british.client.post(page, { intent: "amendment-table", kind: "replace", from: String(range.from), to: String(range.to), proposed: "grave violations", rationale: "Stronger." });
    expect(tabled.status).toBe(200);
    const cosponsored = await norwegian.client.post(page, { intent: "amendment-cosponsor", number: "1" });
    expect(cosponsored.status).toBe(200);
    const unknown = await norwegian.client.post(page, { intent: "amendment-cosponsor", number: "7" });
    expect(unknown.status).toBe(404);
    const notHers = await norwegian.client.post(page, { intent: "amendment-adopt", number: "1" });
    expect(notHers.status).toBe(403);

    await server.accord.collab.texts.editDocument({
      draftId: draft.id,
      author: { userId: british.user.id, delegationCode: "uk" },
      edit: (doc) => {
        const sectionElement = doc.getXmlFragment("prosemirror").get(2) as Y.XmlElement;
        const text = ((sectionElement.get(1) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;
        text.insert(text.toString().indexOf("violations"), "and systematic ");
      },
    });
    const changed = await secretariat.client.post(page, { intent: "amendment-adopt", number: "A-1" });
    // The page asks the secretariat to compare and confirm, without JavaScript too.
    expect(changed.status).toBe(200);
    const html = await changed.text();
    expect(html).toContain("Compare before adopting A-1");
    expect(html).toContain("serious and systematic violations");
    expect(html).toContain("Adopt A-1 as proposed");
    expect(await storedText(draft.id)).toContain("serious and systematic violations");
    const confirmed = await secretariat.client.post(page, { intent: "amendment-adopt", number: "1", confirm: "true" });
    expect(confirmed.status).toBe(200);
    expect(await storedText(draft.id)).toContain("assess the risk of grave violations of human rights.");
    const [row] = await server.database.sql<{ status: string; cosponsors: string[] }[]>`
      SELECT a.status, array(SELECT delegation_code FROM amendment_cosponsors c WHERE c.amendment_id = a.id) AS cosponsors
      FROM amendments a WHERE a.draft_id = ${draft.id}`;
    expect(row).toEqual({ status: "adopted", cosponsors: ["no"] });
  });
});
