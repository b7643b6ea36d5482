import { describe, expect, it } from "vitest";
import { can, type Actor } from "../policy";
import { OPEN_STAGE } from "../phases";
import type { ThreadResource } from "./annotations";

const secretariat: Actor = { id: "s", role: "secretariat", delegationCode: null };
const noHead: Actor = { id: "h", role: "head", delegationCode: "no" };
const noDelegate: Actor = { id: "n", role: "delegate", delegationCode: "no" };
const frDelegate: Actor = { id: "f", role: "delegate", delegationCode: "fr" };
const noObserver: Actor = { id: "o", role: "observer", delegationCode: "no" };

const shared: ThreadResource = { type: "thread", draftId: "d", visibility: "all", delegationCode: "no", stage: OPEN_STAGE };
const norwegianNote: ThreadResource = { ...shared, visibility: "delegation" };
const secretariatThread: ThreadResource = { ...shared, delegationCode: null };

describe("the annotation rules", () => {
  it("let delegations and the secretariat annotate, observers not; private notes only for a delegation", () => {
    for (const actor of [secretariat, noHead, frDelegate]) expect(can(actor, "annotation.create", { type: "draft", id: "d", visibility: "all", stage: OPEN_STAGE })).toBe(true);
    expect(can(noObserver, "annotation.create", { type: "draft", id: "d", visibility: "all", stage: OPEN_STAGE })).toBe(false);
    expect(can(frDelegate, "annotation.create", { type: "draft", id: "d", visibility: "delegation", stage: OPEN_STAGE })).toBe(true);
    expect(can(secretariat, "annotation.create", { type: "draft", id: "d", visibility: "delegation", stage: OPEN_STAGE })).toBe(false);
    expect(can(null, "annotation.create", { type: "draft", id: "d", visibility: "all", stage: OPEN_STAGE })).toBe(false);
  });

  it("show a private note to its delegation alone: not another delegation, its observers or the secretariat", () => {
    for (const actor of [secretariat, noHead, noDelegate, frDelegate, noObserver]) expect(can(actor, "annotation.view", shared)).toBe(true);
    expect(can(noHead, "annotation.view", norwegianNote)).toBe(true);
    expect(can(noDelegate, "annotation.view", norwegianNote)).toBe(true);
    for (const actor of [secretariat, frDelegate, noObserver]) {
      expect(can(actor, "annotation.view", norwegianNote)).toBe(false);
      expect(can(actor, "annotation.reply", norwegianNote)).toBe(false);
      expect(can(actor, "annotation.resolve", norwegianNote)).toBe(false);
    }
  });

  it("let those who see a thread reply, except observers", () => {
    expect(can(frDelegate, "annotation.reply", shared)).toBe(true);
    expect(can(secretariat, "annotation.reply", shared)).toBe(true);
    expect(can(noObserver, "annotation.reply", shared)).toBe(false);
  });

  it("let the secretariat or the thread's delegation resolve and reopen", () => {
    expect(can(secretariat, "annotation.resolve", shared)).toBe(true);
    expect(can(noDelegate, "annotation.resolve", shared)).toBe(true);
    expect(can(frDelegate, "annotation.resolve", shared)).toBe(false);
    expect(can(noObserver, "annotation.resolve", shared)).toBe(false);
    expect(can(secretariat, "annotation.resolve", secretariatThread)).toBe(true);
    expect(can(noDelegate, "annotation.resolve", secretariatThread)).toBe(false);
  });

  it("let people edit and delete only their own comments, in threads they still see", () => {
    const own = { type: "comment", authorId: "n", thread: norwegianNote } as const;
    expect(can(noDelegate, "annotation.edit-comment", own)).toBe(true);
    expect(can(noDelegate, "annotation.delete-comment", own)).toBe(true);
    expect(can(noHead, "annotation.edit-comment", own)).toBe(false);
    expect(can(noHead, "annotation.delete-comment", own)).toBe(false);
    // Moved to another delegation: the old private notes are out of reach.
    const moved: Actor = { ...noDelegate, delegationCode: "fr" };
    expect(can(moved, "annotation.edit-comment", own)).toBe(false);
  });
});
