import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { pollDelayMs } from "./buyer.ts";
import { createPowSolver } from "./proof-of-work.ts";

describe("loadtest buyer", () => {
  const solver = createPowSolver();
  afterAll(() => solver.close());

  it("loadtest: a 428's proof of work is solved off the event loop, as the gate checks it", async () => {
    const token = "p1.buyer.session.12.1764640000000.salt.sig";
    const nonce = await solver.solve(token, 12);
    const digest = createHash("sha256").update(`${token}:${nonce}`).digest();
    // 12 leading zero bits: the first byte and the high nibble of the second.
    expect(digest[0]).toBe(0);
    expect(digest[1]! >> 4).toBe(0);
    await expect(solver.solve(token, 40)).rejects.toThrow(/unsolvable difficulty 40/);
  });

  it("loadtest: a challenge still queued when the run's deadline passes is dropped, not solved", async () => {
    const busy = createPowSolver();
    // 32 zero bits: ~4 billion hashes, far longer than the test; it holds the one worker.
    const endless = busy.solve("p1.endless", 32);
    const late = await busy.solve("p1.late", 8, performance.now() + 50);
    expect(late).toBeUndefined();
    await busy.close();
    expect(await endless).toBeUndefined();
  });

  it("loadtest: the waiting room is asked every ~3 s as the web app asks it, sooner when the wait ends sooner", () => {
    for (let i = 0; i < 20; i++) {
      expect(pollDelayMs(30)).toBeGreaterThanOrEqual(2700);
      expect(pollDelayMs(30)).toBeLessThanOrEqual(3300);
      expect(pollDelayMs(undefined)).toBeGreaterThanOrEqual(2700);
      expect(pollDelayMs(1)).toBeLessThanOrEqual(1100);
      expect(pollDelayMs(0)).toBeGreaterThanOrEqual(450);
    }
  });
});
