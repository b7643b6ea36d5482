import { describe, expect, it } from "vitest";
import { can, type Actor } from "./policy";

const secretariat: Actor = { id: "s", role: "secretariat", delegationCode: null };
const frHead: Actor = { id: "h", role: "head", delegationCode: "fr" };
const frDelegate: Actor = { id: "d", role: "delegate", delegationCode: "fr" };
const observer: Actor = { id: "o", role: "observer", delegationCode: null };

describe("the permission policy", () => {
  it("lets nobody signed out do anything", () => {
    expect(can(null, "draft.list", { type: "site" })).toBe(false);
    expect(can(null, "draft.read", { type: "draft" })).toBe(false);
  });

  it("lets only the secretariat create drafts and administer", () => {
    expect(can(secretariat, "draft.create", { type: "site" })).toBe(true);
    for (const actor of [frHead, frDelegate, observer]) {
      expect(can(actor, "draft.create", { type: "site" })).toBe(false);
      expect(can(actor, "admin.view", { type: "site" })).toBe(false);
    }
  });

  it("lets the secretariat invite any role, with a delegation where the role needs one", () => {
    expect(can(secretariat, "invitation.create", { type: "invitation", role: "head", delegationCode: "ca" })).toBe(true);
    expect(can(secretariat, "invitation.create", { type: "invitation", role: "observer", delegationCode: null })).toBe(true);
    expect(can(secretariat, "invitation.create", { type: "invitation", role: "delegate", delegationCode: null })).toBe(false);
    expect(can(secretariat, "invitation.create", { type: "invitation", role: "secretariat", delegationCode: "fr" })).toBe(false);
    expect(can(secretariat, "invitation.create", { type: "invitation", role: "secretariat", delegationCode: null })).toBe(true);
  });

  it("lets a head invite delegates of their own delegation only", () => {
    expect(can(frHead, "invitation.create", { type: "invitation", role: "delegate", delegationCode: "fr" })).toBe(true);
    expect(can(frHead, "invitation.create", { type: "invitation", role: "delegate", delegationCode: "ca" })).toBe(false);
    expect(can(frHead, "invitation.create", { type: "invitation", role: "head", delegationCode: "fr" })).toBe(false);
    expect(can(frDelegate, "invitation.create", { type: "invitation", role: "delegate", delegationCode: "fr" })).toBe(false);
  });

  it("lets the secretariat manage other accounts but not lock itself out", () => {
    const account = { type: "account", id: "d", role: "delegate", delegationCode: "fr" } as const;
    expect(can(secretariat, "account.disable", account)).toBe(true);
    expect(can(secretariat, "account.disable", { ...account, id: "s" })).toBe(false);
    expect(can(frHead, "account.disable", account)).toBe(false);
    expect(can(secretariat, "account.change-role", { ...account, id: "s" })).toBe(false);
  });
});
