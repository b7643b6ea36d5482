import { describe, expect, it } from "vitest";
import { can, type Actor } from "../policy";

const draft = { type: "draft", id: "d1" } as const;
const secretariat: Actor = { id: "s", role: "secretariat", delegationCode: null };
const head: Actor = { id: "h", role: "head", delegationCode: "fr" };
const delegate: Actor = { id: "d", role: "delegate", delegationCode: "no" };
const observer: Actor = { id: "o", role: "observer", delegationCode: null };
// An observer attached to a delegation still speaks for none.
const attachedObserver: Actor = { id: "a", role: "observer", delegationCode: "ca" };

describe("session rules", () => {
  it("let only the secretariat chair and keep the record", () => {
    for (const action of ["meeting.chair", "meeting.manage-record"] as const) {
      expect(can(secretariat, action, draft)).toBe(true);
      for (const actor of [head, delegate, observer, attachedObserver]) expect(can(actor, action, draft), `${actor.role} ${action}`).toBe(false);
      expect(can(null, action, draft)).toBe(false);
    }
  });

  it("let everyone signed in follow, observers included, and no one signed out", () => {
    for (const actor of [secretariat, head, delegate, observer]) expect(can(actor, "meeting.follow", draft)).toBe(true);
    expect(can(null, "meeting.follow", draft)).toBe(false);
  });

  it("give the floor to delegations' heads and delegates only: observers follow but never ask", () => {
    expect(can(head, "meeting.request-floor", draft)).toBe(true);
    expect(can(delegate, "meeting.request-floor", draft)).toBe(true);
    for (const actor of [secretariat, observer, attachedObserver]) expect(can(actor, "meeting.request-floor", draft), actor.role).toBe(false);
    expect(can({ id: "x", role: "delegate", delegationCode: null }, "meeting.request-floor", draft)).toBe(false);
  });

  it("let a delegation withdraw its own request, the chair strike any, and no one else", () => {
    const french = { type: "speaker-request", delegationCode: "fr" } as const;
    expect(can(head, "meeting.withdraw-request", french)).toBe(true);
    expect(can(delegate, "meeting.withdraw-request", french)).toBe(false);
    expect(can(secretariat, "meeting.withdraw-request", french)).toBe(true);
    expect(can({ id: "c", role: "observer", delegationCode: "fr" }, "meeting.withdraw-request", french)).toBe(false);
  });
});
