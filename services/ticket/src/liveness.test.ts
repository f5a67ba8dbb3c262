import { describe, expect, it } from "vitest";
import { GoneWorkers } from "./liveness.ts";

describe("leases: gone workers", () => {
  it("leases: a worker is gone only after answering no responders over the confirm time, and a live answer clears it", () => {
    const suspects = new GoneWorkers(2_000);
    expect(suspects.update(new Map([["w1", true], ["w2", false]]), 0)).toEqual({ gone: new Set(), suspected: true });
    // A NATS reconnect: w1 answers again before the confirm time, and is never gone.
    expect(suspects.update(new Map([["w1", false]]), 500)).toEqual({ gone: new Set(), suspected: false });
    expect(suspects.update(new Map([["w1", true]]), 1_000)).toEqual({ gone: new Set(), suspected: true });
    expect(suspects.update(new Map([["w1", true]]), 2_500)).toEqual({ gone: new Set(), suspected: false });
    expect(suspects.update(new Map([["w1", true]]), 3_000)).toEqual({ gone: new Set(["w1"]), suspected: false });
    // A worker no longer seen anywhere is forgotten: seen again, it starts from suspicion.
    suspects.update(new Map(), 3_100);
    expect(suspects.update(new Map([["w1", true]]), 9_000)).toEqual({ gone: new Set(), suspected: true });
  });
});
