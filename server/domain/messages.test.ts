import { describe, expect, it } from "vitest";
import { t } from "../../i18n/translate";
import { AmendmentClosedError } from "./amendments";
import { DomainError, failureMessage, isMessage, message, storedMessage } from "./messages";
import { MotionClosedError, MotionInputError } from "./motions";
import { RoundInputError } from "./rounds";

describe("the domain's refusals", () => {
  it("carry a key and its parameters, which the interface translates; their message is the English, for logs", () => {
    const error = new RoundInputError("startsAt", "error.round.overlaps", { name: "First reading" });
    expect(error).toBeInstanceOf(DomainError);
    expect([error.field, error.key, error.params]).toEqual(["startsAt", "error.round.overlaps", { name: "First reading" }]);
    expect(t(error.key, error.params)).toBe("This round would overlap “First reading”. Rounds of a draft follow one another.");
    expect(error.message).toBe(t(error.key, error.params));
  });

  it.each([
    [new MotionInputError("explanation", "error.motion.explanationTooLong", { max: 2000 }), "An explanation of vote has at most 2,000 characters."],
    [new MotionInputError("amendment", "error.motion.amendmentNotOpen", { status: "adopted" }), "This amendment is adopted: only an open amendment is put to a vote."],
    [new AmendmentClosedError("withdrawn"), "The amendment is already withdrawn."],
    [new MotionClosedError(), "This motion is closed and takes no more ballots."],
  ])("read with their parameters: %s", (error, english) => {
    expect(t(error.key, error.params)).toBe(english);
  });
});

describe("messages the domain stores", () => {
  it("keep what went wrong: a refusal's own message, or an unexpected error's text as its detail", () => {
    expect(failureMessage(new AmendmentClosedError("rejected"))).toEqual({ key: "error.amendment.closed", params: { status: "rejected" } });
    const unexpected = failureMessage(new Error("connection reset"));
    expect(unexpected).toEqual({ key: "error.unexpected", params: { detail: "connection reset" } });
    expect(t(unexpected.key, unexpected.params)).toBe("An unexpected error: connection reset");
  });

  it("are read back from their columns, a key the catalogue no longer has shown as its detail", () => {
    expect(storedMessage(null, null)).toBeNull();
    expect(storedMessage("versions.restorePointName", { number: 3 })).toEqual(message("versions.restorePointName", { number: 3 }));
    expect(storedMessage("versionName.gone", {})).toEqual({ key: "error.unexpected", params: { detail: "versionName.gone" } });
  });

  it("are told from other JSON values in free-form records", () => {
    expect(isMessage({ key: "versionName.roundsEnded", params: {} })).toBe(true);
    expect(isMessage({ key: "versionName.phaseStarted", params: { phase: "review", round: "R1" } })).toBe(true);
    expect(isMessage("Start of drafting: R1")).toBe(false);
    expect(isMessage({ key: "not.a.key", params: {} })).toBe(false);
    expect(isMessage({ key: "versionName.roundsEnded", params: { nested: {} } })).toBe(false);
  });

  it("name the versions the server saves, in English by default", () => {
    expect(t("versionName.phaseStarted", { phase: "drafting", round: "Round 1" })).toBe("Start of Drafting: Round 1");
    expect(t("versionName.phaseChanged", { phase: "consultation" })).toBe("Phase changed to public consultation");
    expect(t("versionName.adoptedByMotion", { amendment: 3, motion: 12 })).toBe("A-3 adopted by motion M-12");
  });

  it("read in French from the same key and parameters", () => {
    expect(t("versionName.phaseStarted", { phase: "review", round: "Premier examen" }, "fr")).toBe("Début de la phase d’examen par les délégations\u202f: Premier examen");
    const error = new MotionInputError("explanation", "error.motion.explanationTooLong", { max: 2000 });
    expect(t(error.key, error.params, "fr")).toBe("Une explication de vote compte au plus 2\u202f000 caractères.");
    expect(t("error.amendment.closed", { status: "withdrawn" }, "fr")).toBe("L’amendement est déjà retiré.");
  });
});
