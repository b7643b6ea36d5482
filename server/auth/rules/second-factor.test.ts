import { describe, expect, it } from "vitest";
import { can, type Actor } from "../policy";

const secretariat: Actor = { id: "s", role: "secretariat", delegationCode: null };
const frHead: Actor = { id: "h", role: "head", delegationCode: "fr" };
const frDelegate: Actor = { id: "d", role: "delegate", delegationCode: "fr" };
const observer: Actor = { id: "o", role: "observer", delegationCode: null };
const account = (actor: Actor) => ({ type: "account", ...actor }) as const;

describe("second-factor rules", () => {
  it("lets only the secretariat set which roles need a second factor", () => {
    expect(can(secretariat, "second-factor.set-policy", { type: "site" })).toBe(true);
    for (const actor of [frHead, frDelegate, observer]) expect(can(actor, "second-factor.set-policy", { type: "site" })).toBe(false);
  });

  it("lets the secretariat reset anyone's factors but its own", () => {
    for (const owner of [frHead, frDelegate, observer, { ...secretariat, id: "s2" }]) {
      expect(can(secretariat, "second-factor.reset", account(owner))).toBe(true);
    }
    expect(can(secretariat, "second-factor.reset", account(secretariat))).toBe(false);
  });

  it("lets a head reset their own delegates' factors, and nobody else's", () => {
    expect(can(frHead, "second-factor.reset", account(frDelegate))).toBe(true);
    expect(can(frHead, "second-factor.reset", account({ ...frDelegate, delegationCode: "ca" }))).toBe(false);
    expect(can(frHead, "second-factor.reset", account({ ...frHead, id: "h2" }))).toBe(false);
    expect(can(frHead, "second-factor.reset", account(observer))).toBe(false);
    expect(can(frHead, "second-factor.reset", account(frHead))).toBe(false);
    expect(can(frDelegate, "second-factor.reset", account({ ...frDelegate, id: "d2" }))).toBe(false);
    expect(can(observer, "second-factor.reset", account(frDelegate))).toBe(false);
  });
});
