import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage } from "./messages";

describe("what instances tell each other", () => {
  it("carries the reason writing closed as a message, which each instance tells its editors in their language", () => {
    const sent = {
      kind: "close-writing",
      from: "a",
      request: "r1",
      draftId: "d1",
      reason: { key: "draft.editingClosedInPhase", params: { phase: "voting" } },
    } as const;
    expect(decodeMessage(encodeMessage(sent))).toEqual(sent);
  });

  it("refuses a close-writing frame whose reason is prose, an unknown key or not JSON (Redis is shared)", () => {
    for (const reason of ['"Editing is closed."', '{"key":"no.such.key","params":{}}', '{"key":"draft.editingClosed","params":{"x":{}}}', "{not json"]) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 3);
      for (const part of ["a", "r1", "d1", reason]) encoding.writeVarString(encoder, part);
      expect(() => decodeMessage(encoding.toUint8Array(encoder)), reason).toThrow();
    }
  });
});
