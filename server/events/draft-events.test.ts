import { describe, expect, it } from "vitest";
import { DraftEventBus, type DraftEvent } from "./draft-events";

function listener() {
  const heard: DraftEvent[] = [];
  let closed = 0;
  return { heard, closed: () => closed, subscriber: { deliver: (event: DraftEvent) => heard.push(event), close: () => (closed += 1) } };
}

const event: DraftEvent = { type: "notification", recipientId: "someone" };

describe("the draft event bus", () => {
  it("ends the open streams on closeAll and keeps those that start after it", () => {
    const bus = new DraftEventBus();
    const before = listener();
    bus.subscribe(before.subscriber);
    bus.closeAll();
    expect(before.closed()).toBe(1);
    const after = listener();
    bus.subscribe(after.subscriber);
    bus.publish(event);
    expect(after.heard).toEqual([event]);
    expect(after.closed()).toBe(0);
  });

  it("ends every stream that starts after shutDown at once, so that its browser reconnects to another instance", async () => {
    const bus = new DraftEventBus();
    const open = listener();
    bus.subscribe(open.subscriber);
    bus.shutDown();
    expect(open.closed()).toBe(1);
    const late = listener();
    bus.subscribe(late.subscriber);
    await Promise.resolve();
    expect(late.closed()).toBe(1);
    bus.publish(event);
    expect(late.heard).toEqual([]);
  });

  it("tells other instances what is published, and tells only its own listeners what they publish", () => {
    const bus = new DraftEventBus();
    const relayed: DraftEvent[] = [];
    bus.shared.relayTo((message) => relayed.push(message));
    const here = listener();
    bus.subscribe(here.subscriber);
    bus.publish(event);
    const fromElsewhere: DraftEvent = { type: "notification", recipientId: "another" };
    bus.shared.receive(fromElsewhere);
    expect(here.heard).toEqual([event, fromElsewhere]);
    expect(relayed).toEqual([event]);
  });
});
