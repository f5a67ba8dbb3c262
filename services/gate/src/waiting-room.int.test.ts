import { randomUUID } from "node:crypto";
import type { ServiceProcess, TestDatabase } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "./clock.ts";
import { type Stack, accessToken, browserHeaders, gateApp, seedSession, spawnGate, startStack } from "./test-stack.ts";
import { waitingRoomKeys } from "./waiting-room/waiting-room.ts";

interface QueueAnswer {
  position: number;
  admitted: boolean;
  admissionToken?: string;
  estimatedWaitSeconds?: number;
}

/** Runs `work` over `items`, `width` at a time, keeping the order of the results. */
async function inBatches<T, R>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width) {
    results.push(...(await Promise.all(items.slice(i, i + width).map((item, j) => work(item, i + j)))));
  }
  return results;
}

describe("waiting room (real Redis, Postgres, NATS, ticket worker)", () => {
  let database: TestDatabase;
  let stack: Stack;
  const buyers = Array.from({ length: 1000 }, () => {
    const id = randomUUID();
    return { id, token: accessToken(id) };
  });

  beforeAll(async () => {
    database = await testDatabase("gatewr");
    stack = await startStack(database);
  });
  afterAll(async () => {
    await stack?.close();
    await database?.drop();
  });

  describe("admission rate and order (controlled clock)", () => {
    const saleStartsAt = Date.now() + 3_600_000;
    let now = saleStartsAt - 60_000;
    const clock: Clock = { now: () => now };
    let app: FastifyInstance;
    let sessionId: string;
    const queue = (gate: FastifyInstance, token: string, method: "GET" | "POST" = "GET") =>
      gate.inject({ method, url: `/v1/sessions/${sessionId}/queue`, headers: browserHeaders(token) });
    const everyone = (gate: FastifyInstance) =>
      inBatches(buyers, 100, async (b) => {
        const res = await queue(gate, b.token);
        expect(res.statusCode).toBe(200);
        return res.json() as QueueAnswer;
      });

    beforeAll(async () => {
      sessionId = await seedSession(stack, {
        areas: [{ id: "A", rows: 10, perRow: 10 }],
        saleStartsAt: new Date(saleStartsAt),
        saleEndsAt: new Date(saleStartsAt + 3_600_000),
        waitingRoom: { enabled: true, admitPerSecond: 50, shuffle: false },
      });
      app = await gateApp(stack, {}, clock);
    });
    afterAll(async () => {
      await app?.close();
    });

    it("waiting room: 1,000 buyers join before the sale; nobody is admitted yet, places follow arrival", async () => {
      for (const [i, b] of buyers.entries()) {
        const res = await queue(app, b.token, "POST");
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ position: i + 1, admitted: false, waitingRoom: true });
        expect(res.json().admissionToken).toBeUndefined();
      }
      // Joining again keeps one's place.
      expect((await queue(app, buyers[10]!.token, "POST")).json().position).toBe(11);
      expect(await stack.redis.zcard(waitingRoomKeys(sessionId).queue)).toBe(1000);
    });

    it("waiting room: admission follows admitPerSecond and arrival order", async () => {
      for (const [seconds, expected] of [[0, 0], [2, 100], [10, 500]] as const) {
        now = saleStartsAt + seconds * 1000;
        const answers = await everyone(app);
        answers.forEach((answer, i) => {
          expect(answer.admitted).toBe(i < expected);
          expect(answer.position).toBe(i < expected ? 0 : i - expected + 1);
          expect(Boolean(answer.admissionToken)).toBe(i < expected);
        });
      }
      expect((await queue(app, buyers[999]!.token)).json().estimatedWaitSeconds).toBe(10);
    });

    it("waiting room: another gate instance (or a restarted one) sees the same places", async () => {
      const other = await gateApp(stack, {}, clock);
      try {
        now = saleStartsAt + 12_000;
        const [mine, theirs] = [await everyone(app), await everyone(other)];
        const places = (answers: QueueAnswer[]) => answers.map(({ position, admitted }) => ({ position, admitted }));
        expect(places(theirs)).toEqual(places(mine));
        expect(theirs.filter((a) => a.admitted)).toHaveLength(600);
      } finally {
        await other.close();
      }
    });

    it("waiting room: an admitted buyer holds with the admission token; a waiting one gets 403", async () => {
      const first = (await queue(app, buyers[0]!.token)).json() as QueueAnswer;
      const held = await app.inject({
        method: "POST",
        url: `/v1/sessions/${sessionId}/holds`,
        headers: { ...browserHeaders(buyers[0]!.token), "idempotency-key": randomUUID(), "x-admission-token": first.admissionToken! },
        payload: { areaId: "A", quantity: 2 },
      });
      expect(held.statusCode, held.body).toBe(201);
      const waiting = await app.inject({
        method: "POST",
        url: `/v1/sessions/${sessionId}/holds`,
        headers: { ...browserHeaders(buyers[999]!.token), "idempotency-key": randomUUID() },
        payload: { areaId: "A", quantity: 2 },
      });
      expect(waiting.statusCode).toBe(403);
      expect(waiting.json().code).toBe("admission_required");
    });

    it("waiting room: with the shuffle on, everyone present at the start is in random order, later arrivals after them", async () => {
      now = saleStartsAt - 30_000;
      const shuffled = await seedSession(stack, {
        areas: [{ id: "A", rows: 1, perRow: 10 }],
        saleStartsAt: new Date(saleStartsAt),
        saleEndsAt: new Date(saleStartsAt + 3_600_000),
        waitingRoom: { enabled: true, admitPerSecond: 1, shuffle: true },
      });
      const url = `/v1/sessions/${shuffled}/queue`;
      const early = buyers.slice(0, 200);
      const late = buyers.slice(200, 220);
      for (const b of early) expect((await app.inject({ method: "POST", url, headers: browserHeaders(b.token) })).statusCode).toBe(200);
      now = saleStartsAt + 100;
      for (const b of late) expect((await app.inject({ method: "POST", url, headers: browserHeaders(b.token) })).statusCode).toBe(200);
      const positions = await inBatches([...early, ...late], 100, async (b) => (await app.inject({ method: "GET", url, headers: browserHeaders(b.token) })).json().position as number);
      const earlyPositions = positions.slice(0, 200);
      expect([...earlyPositions].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(earlyPositions).not.toEqual([...earlyPositions].sort((a, b) => a - b));
      expect(positions.slice(200)).toEqual(Array.from({ length: 20 }, (_, i) => 201 + i));
    });
  });

  describe("gate restart (real processes, real time)", () => {
    let gate: ServiceProcess;
    let sessionId: string;
    const status = async (url: string, token: string, method = "GET") => {
      const res = await fetch(`${url}/v1/sessions/${sessionId}/queue`, { method, headers: browserHeaders(token) });
      expect(res.status).toBe(200);
      return (await res.json()) as QueueAnswer;
    };
    /**
     * The admission cursor each answer implies (admitted ones: at least their rank + 1). The
     * cursor moves while we poll, so answers agree within a range, and every admitted buyer is
     * ahead of every waiting one at the same moment.
     */
    const cursorRange = async (url: string, ranked: { token: string }[]) => {
      const started = Date.now();
      const answers = await inBatches(ranked, 100, (b) => status(url, b.token));
      const seconds = (Date.now() - started) / 1000;
      const implied = answers.map((a, rank) => (a.admitted ? undefined : rank - a.position + 1)).filter((k) => k !== undefined);
      const lastAdmitted = answers.findLastIndex((a) => a.admitted);
      const min = Math.min(...implied);
      const max = Math.max(...implied);
      expect(lastAdmitted).toBeLessThan(max);
      expect(max - min).toBeLessThanOrEqual(Math.ceil(20 * seconds) + 21); // 20/s while we poll, plus one second's burst
      return { min, max };
    };

    afterAll(async () => {
      await gate?.kill();
    });

    it("waiting room: a gate killed with SIGKILL and started again loses nobody's place", async () => {
      sessionId = await seedSession(stack, {
        areas: [{ id: "A", rows: 1, perRow: 10 }],
        saleStartsAt: new Date(Date.now() - 1000),
        waitingRoom: { enabled: true, admitPerSecond: 20, shuffle: false },
      });
      gate = await spawnGate(stack, { LOG_LEVEL: "warn" });
      await inBatches(buyers, 50, (b) => status(gate.url, b.token, "POST"));
      const order = await stack.redis.zrange(waitingRoomKeys(sessionId).queue, 0, -1);
      expect(order).toHaveLength(1000);
      const byId = new Map<string, (typeof buyers)[number]>(buyers.map((b) => [b.id, b]));
      const ranked = order.map((id) => byId.get(id)!);
      const before = await cursorRange(gate.url, ranked);

      await gate.kill();
      gate = await spawnGate(stack, { LOG_LEVEL: "warn" });
      expect(await stack.redis.zrange(waitingRoomKeys(sessionId).queue, 0, -1)).toEqual(order);
      const after = await cursorRange(gate.url, ranked);
      // Admission went on from where it was: no reset to zero, nobody pushed back.
      expect(after.min).toBeGreaterThanOrEqual(before.max);
      expect(after.max).toBeLessThan(1000);
    });
  });
});
