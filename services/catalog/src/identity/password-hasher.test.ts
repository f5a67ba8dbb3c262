import { HttpProblem } from "@rush/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PasswordHasher, createPasswordHasher } from "./password-hasher.ts";

describe("password hasher", () => {
  let hasher: PasswordHasher;
  beforeAll(async () => {
    // One thread and a budget of a few hashes: a burst of 30 must overflow it.
    hasher = await createPasswordHasher({ threads: 1, logN: 14, waitBudgetMs: 150 });
  });
  afterAll(() => hasher.close());

  it("password hasher: a burst is served in arrival order, and what would wait past the budget is refused at once with Retry-After", async () => {
    const finished: number[] = [];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, async (_, i) => {
        const hash = await hasher.hash(`password number ${i}`);
        finished.push(i);
        return hash;
      }),
    );
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
    expect(finished.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(HttpProblem);
      expect(reason).toMatchObject({ status: 503 });
      expect(Number((reason as HttpProblem).headers["retry-after"])).toBeGreaterThanOrEqual(1);
    }
    // First in, first out: the admitted ones finish in the order they came.
    expect(finished).toEqual([...finished].sort((a, b) => a - b));
    // Once the queue has drained, a new request is admitted again.
    await expect(hasher.verify("password number 0", (outcomes[0] as PromiseFulfilledResult<string>).value)).resolves.toBe(true);
  });
});
