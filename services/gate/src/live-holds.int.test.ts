import { randomUUID } from "node:crypto";
import { commandIdFor, holdIdFor } from "@rush/contracts";
import type { TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readHold } from "./holds/hold-read-model.ts";
import { type Stack, accessToken, browserHeaders, gateApp, seedSession, startStack } from "./test-stack.ts";

/**
 * Issue 13 item 2: live-hold bookkeeping that heals. The cap on a buyer's live holds must never
 * refuse a buyer for holds they do not have — not after a nats-server restart swallowed the
 * commands in flight, not after a refusal, not after a grant that ended.
 */
describe("live holds (gate + ticket worker, real NATS/Redis/Postgres)", () => {
  let database: TestDatabase;
  let stack: Stack;
  let app: FastifyInstance;
  let sessionId: string;
  const CAP = 2;

  const hold = (token: string, seatIds: string[], key = randomUUID()) =>
    app.inject({
      method: "POST",
      url: `/v1/sessions/${sessionId}/holds`,
      headers: { ...browserHeaders(token), "idempotency-key": key },
      payload: { seatIds },
    });
  /** How many of these holds the read model says are live now. */
  const liveIn = async (holdIds: string[]) => {
    const views = await Promise.all(holdIds.map((id) => readHold(stack.redis, id)));
    return views.filter((v) => v?.status === "held" && (v.expiresAt ?? 0) > Date.now()).length;
  };

  beforeAll(async () => {
    database = await testDatabase("liveholds");
    stack = await startStack(database);
    app = await gateApp(stack, { MAX_LIVE_HOLDS_PER_BUYER: String(CAP), HOLD_WAIT_MS: "400", LIVE_HOLD_GRACE_MS: "1000" });
    sessionId = await seedSession(stack, { areas: [{ id: "A", rows: 10, perRow: 10 }] });
  });
  afterAll(async () => {
    await app?.close();
    await stack?.close();
    await database?.drop();
  });

  it("holds: refused holds free their slot at once, granted ones count until released", async () => {
    const buyer = randomUUID();
    const token = accessToken(buyer);
    expect((await hold(token, ["A-1-1"])).statusCode).toBe(201);
    const rival = accessToken();
    // Three refusals (seat taken) in a row never add up to a cap of two.
    for (let i = 0; i < 3; i++) expect((await hold(rival, ["A-1-1"])).json().code).toBe("unavailable");
    expect((await hold(rival, ["A-1-2"])).statusCode).toBe(201);
    expect((await hold(token, ["A-1-3"])).statusCode).toBe(201);
    expect((await hold(token, ["A-1-4"])).json()).toMatchObject({ code: "too_many_holds", max: CAP });
  });

  it("holds: a nats-server crash mid-flight leaves no phantom holds — once holds are granted again, the buyer holds within seconds unless they really have the cap", async () => {
    const buyer = randomUUID();
    const token = accessToken(buyer);
    const sent: string[] = [];
    const send = (seatIds: string[]) => {
      const key = randomUUID();
      sent.push(holdIdFor(commandIdFor(buyer, key)));
      return hold(token, seatIds, key);
    };

    await stack.nats.kill();
    // The buyer's clicks while NATS is gone fill the cap with commands of unknown fate.
    const during = await Promise.all([send(["A-3-1"]), send(["A-3-2"])]);
    expect(during.map((r) => r.statusCode).filter((s) => s === 201)).toEqual([]);
    await stack.nats.start();

    // Another buyer tells when the engine grants again.
    const restarted = Date.now();
    const other = accessToken();
    let back = false;
    for (let i = 0; Date.now() - restarted < 30_000 && !back; i++) {
      back = (await hold(other, [`A-5-${(i % 10) + 1}`])).statusCode === 201;
      if (!back) await new Promise((r) => setTimeout(r, 200));
    }
    expect(back).toBe(true);

    // Seconds, not forever: a phantom would refuse the buyer until the hold's TTL (minutes). Not
    // 3 s either: right after a restart the engine can answer slower than HOLD_WAIT_MS (400 ms
    // here) for a few seconds, and each such 202 keeps a slot for its unknown fate (≤ 1.4 s), so
    // a buyer asking in that stretch met 202 and too_many_holds in turn for 3 s (once in ~10 runs).
    const answered = Date.now();
    const answers: string[] = [];
    let settled = false;
    for (let i = 0; Date.now() - answered < 10_000 && !settled; i++) {
      // A seat of its own each time (rows 4 and 6-10: the outage took row 3, the other buyer row 5).
      const res = await send([`A-${[4, 6, 7, 8, 9, 10][Math.floor(i / 10)]}-${(i % 10) + 1}`]);
      // Status and code both: a 202 (no answer from the engine in time) has no code to show.
      answers.push(res.statusCode === 201 ? "201" : `${res.statusCode} ${res.json().code ?? res.json().status ?? ""}`.trim());
      // Granted, or refused because the outage's commands really became the buyer's holds.
      settled = res.statusCode === 201 || (await liveIn(sent)) >= CAP;
      if (!settled) await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`live holds: engine back ${answered - restarted} ms after NATS; then the buyer's answers ${answers.join(", ")}`);
    expect(settled).toBe(true);
  }, 60_000);
});
