import { describe, expect, it } from "vitest";
import { OPEN_STAGE } from "../phases";
import { can, type Actor } from "../policy";

const secretariat: Actor = { id: "s", role: "secretariat", delegationCode: null };
const head: Actor = { id: "h", role: "head", delegationCode: "no" };
const delegate: Actor = { id: "d", role: "delegate", delegationCode: "fr" };
const observer: Actor = { id: "o", role: "observer", delegationCode: null };
const draft = { type: "draft", id: "d1", stage: OPEN_STAGE } as const;

describe("the version rules", () => {
  it("let those who edit or annotate, and the secretariat, save a version; not observers", () => {
    for (const actor of [secretariat, head, delegate]) expect(can(actor, "version.save", draft)).toBe(true);
    expect(can(observer, "version.save", draft)).toBe(false);
    expect(can(null, "version.save", draft)).toBe(false);
    // In a phase where they neither edit nor annotate, delegations do not save versions.
    const voting = { ...draft, stage: { phase: "voting", observersComment: false } } as const;
    expect(can(delegate, "version.save", voting)).toBe(false);
    expect(can(secretariat, "version.save", voting)).toBe(true);
  });

  it("let whoever reads the draft read and compare its versions", () => {
    for (const actor of [secretariat, head, delegate, observer]) expect(can(actor, "version.view", draft)).toBe(true);
    expect(can(null, "version.view", draft)).toBe(false);
  });

  it("let only the secretariat restore a version", () => {
    expect(can(secretariat, "version.restore", draft)).toBe(true);
    for (const actor of [head, delegate, observer]) expect(can(actor, "version.restore", draft)).toBe(false);
  });
});
