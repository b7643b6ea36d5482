import { describe, expect, it } from "vitest";
import { can, type Actor } from "../policy";

const draft = { type: "draft", id: "d1" } as const;

describe("publication rules", () => {
  it("let only the secretariat publish a version", () => {
    const actors: [Actor, boolean][] = [
      [{ id: "s", role: "secretariat", delegationCode: null }, true],
      [{ id: "h", role: "head", delegationCode: "fr" }, false],
      [{ id: "d", role: "delegate", delegationCode: "no" }, false],
      [{ id: "o", role: "observer", delegationCode: null }, false],
    ];
    for (const [actor, allowed] of actors) expect(can(actor, "publication.create", draft), actor.role).toBe(allowed);
    expect(can(null, "publication.create", draft)).toBe(false);
  });
});
