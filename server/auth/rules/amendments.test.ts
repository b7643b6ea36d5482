import { describe, expect, it } from "vitest";
import { OPEN_STAGE } from "../phases";
import { can, type Actor } from "../policy";
import type { AmendmentResource } from "./amendments";

const secretariat: Actor = { id: "s", role: "secretariat", delegationCode: null };
const ukHead: Actor = { id: "h", role: "head", delegationCode: "uk" };
const ukDelegate: Actor = { id: "u", role: "delegate", delegationCode: "uk" };
const frDelegate: Actor = { id: "f", role: "delegate", delegationCode: "fr" };
const noHead: Actor = { id: "n", role: "head", delegationCode: "no" };
const ukObserver: Actor = { id: "o", role: "observer", delegationCode: "uk" };
const observer: Actor = { id: "x", role: "observer", delegationCode: null };

const british: AmendmentResource = { type: "amendment", draftId: "d", delegationCode: "uk", cosponsors: ["fr"], status: "open", stage: OPEN_STAGE };
const closed = (status: AmendmentResource["status"]): AmendmentResource => ({ ...british, status });

describe("the amendment rules", () => {
  it("let heads and delegates table amendments, not the secretariat or observers", () => {
    const draft = { type: "draft", id: "d", stage: OPEN_STAGE } as const;
    for (const actor of [ukHead, ukDelegate, frDelegate]) expect(can(actor, "amendment.table", draft)).toBe(true);
    for (const actor of [secretariat, ukObserver, observer]) expect(can(actor, "amendment.table", draft)).toBe(false);
    expect(can(null, "amendment.table", draft)).toBe(false);
    // Only while the phase allows amending: drafting and review.
    for (const phase of ["drafting", "review"] as const) expect(can(ukHead, "amendment.table", { ...draft, stage: { phase, observersComment: false } })).toBe(true);
    for (const phase of ["consultation", "voting", "closed"] as const) {
      expect(can(ukHead, "amendment.table", { ...draft, stage: { phase, observersComment: false } })).toBe(false);
    }
  });

  it("show every amendment to everyone who reads the draft", () => {
    for (const actor of [secretariat, ukHead, frDelegate, noHead, ukObserver, observer]) {
      expect(can(actor, "amendment.view", british)).toBe(true);
      expect(can(actor, "amendment.view", closed("withdrawn"))).toBe(true);
    }
    expect(can(null, "amendment.view", british)).toBe(false);
  });

  it("let other delegations co-sponsor an open amendment once, and withdraw their co-sponsorship", () => {
    expect(can(noHead, "amendment.cosponsor", british)).toBe(true);
    // The tabling delegation does not co-sponsor its own amendment; France already does.
    expect(can(ukDelegate, "amendment.cosponsor", british)).toBe(false);
    expect(can(frDelegate, "amendment.cosponsor", british)).toBe(false);
    for (const actor of [secretariat, ukObserver, observer]) expect(can(actor, "amendment.cosponsor", british)).toBe(false);
    expect(can(noHead, "amendment.cosponsor", closed("adopted"))).toBe(false);

    expect(can(frDelegate, "amendment.withdraw-cosponsorship", british)).toBe(true);
    expect(can(noHead, "amendment.withdraw-cosponsorship", british)).toBe(false);
    expect(can(frDelegate, "amendment.withdraw-cosponsorship", closed("rejected"))).toBe(false);
  });

  it("let the tabling delegation withdraw while the amendment is open", () => {
    expect(can(ukDelegate, "amendment.withdraw", british)).toBe(true);
    expect(can(ukHead, "amendment.withdraw", british)).toBe(true);
    for (const actor of [frDelegate, noHead, secretariat, ukObserver]) expect(can(actor, "amendment.withdraw", british)).toBe(false);
    for (const status of ["withdrawn", "adopted", "rejected"] as const) expect(can(ukDelegate, "amendment.withdraw", closed(status))).toBe(false);
  });

  it("let the secretariat alone adopt or reject an open amendment", () => {
    expect(can(secretariat, "amendment.decide", british)).toBe(true);
    for (const actor of [ukHead, ukDelegate, frDelegate, noHead, ukObserver, observer]) expect(can(actor, "amendment.decide", british)).toBe(false);
    for (const status of ["withdrawn", "adopted", "rejected"] as const) expect(can(secretariat, "amendment.decide", closed(status))).toBe(false);
  });

  it("let delegations co-sponsor and withdraw only while the phase allows amending; the secretariat decides in any phase", () => {
    for (const phase of ["consultation", "voting", "closed"] as const) {
      const frozen: AmendmentResource = { ...british, cosponsors: [], stage: { phase, observersComment: false } };
      expect(can(frDelegate, "amendment.cosponsor", frozen)).toBe(false);
      expect(can(ukHead, "amendment.withdraw", frozen)).toBe(false);
      expect(can(frDelegate, "amendment.withdraw-cosponsorship", { ...frozen, cosponsors: ["fr"] })).toBe(false);
      expect(can(secretariat, "amendment.decide", frozen)).toBe(true);
    }
    const review: AmendmentResource = { ...british, cosponsors: [], stage: { phase: "review", observersComment: false } };
    expect(can(frDelegate, "amendment.cosponsor", review)).toBe(true);
    expect(can(ukHead, "amendment.withdraw", review)).toBe(true);
  });
});
