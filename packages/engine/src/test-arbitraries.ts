import type { SeatAreaConfig, SeatCommand } from "@rush/contracts";
import fc from "fast-check";
import { range, SESSION, seatDefs, uuid } from "./test-fixtures.ts";

/**
 * Test-only: random command streams over a small partition (two areas of one session, three
 * buyers), so holds collide, repeat, expire, get extended and get confirmed late.
 */

export const PROPERTY_CONFIG: SeatAreaConfig = {
  holdTtlMs: 1_000,
  maxSeatsPerHold: 4,
  maxSeatsPerBuyer: 6,
  maxHoldExtensionMs: 1_500,
};

type Rows = readonly (readonly [string, readonly number[]])[];
const LAYOUT: Record<string, { rows: Rows; extra: Rows }> = {
  A: {
    rows: [
      ["1", range(1, 6)],
      ["2", range(1, 8)],
      ["3", [1, 2, 3, 4, 6, 7, 8, 9]],
    ],
    extra: [["4", range(1, 5)]],
  },
  B: {
    rows: [
      ["1", range(1, 4)],
      ["2", range(1, 4)],
    ],
    extra: [["1", [5, 6]]],
  },
};

/** A seat of the command's own area (or, rarely, of the other one); may not exist. */
const seat = fc.record({
  row: fc.integer({ min: 1, max: 4 }),
  number: fc.integer({ min: 1, max: 8 }),
  foreign: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});
type SeatPick = { row: number; number: number; foreign: boolean };
const seats = (minLength: number): fc.Arbitrary<SeatPick[]> =>
  minLength > 0
    ? fc.array(seat, { minLength, maxLength: 4 })
    : fc.oneof(
        { weight: 15, arbitrary: fc.array(seat, { minLength: 1, maxLength: 4 }) },
        { weight: 1, arbitrary: fc.constant<SeatPick[]>([]) },
      );
/** Which hold a command names: the `back`-th most recent hold id, or (rarely) one never used. */
const target = fc.oneof({ weight: 12, arbitrary: fc.nat({ max: 3 }) }, { weight: 1, arbitrary: fc.constant(-1) });
/** New hold requests mostly mint a fresh id; some repeat a recent one (a retried request). */
const fresh = fc.oneof({ weight: 5, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat({ max: 3 }) });
const buyer = fc.constantFrom("b0", "b1", "b2");

const action = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("load" as const), extra: fc.boolean(), ttl: fc.constantFrom(1_000, 700) }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("hold" as const), reuse: fresh, buyer, seats: seats(0) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("best" as const),
      reuse: fresh,
      buyer,
      quantity: fc.integer({ min: 1, max: 5 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("release" as const), target, buyer }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("extend" as const),
      target,
      buyer: fc.option(buyer),
      byMs: fc.integer({ min: 1, max: 2_000 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("expire" as const), target }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("confirm" as const), target, payment: fc.constantFrom("p0", "p1") }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("revoke" as const), target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("block" as const), seats: seats(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("unblock" as const), seats: seats(1) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("join" as const), reuse: fresh, buyer, quantity: fc.integer({ min: 1, max: 3 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("leave" as const), buyer }) },
);

const step = fc.record({
  dt: fc.integer({ min: 0, max: 300 }),
  area: fc.oneof({ weight: 5, arbitrary: fc.constant("A") }, { weight: 1, arbitrary: fc.constant("B") }),
  action,
});

/** A stream of commands that starts by loading area A; `now` never goes backwards. */
export const commandStream = (maxLength = 50): fc.Arbitrary<SeatCommand[]> =>
  fc.array(step, { minLength: 1, maxLength, size: "max" }).map((steps) => {
    let now = 1_000;
    const issued: string[] = [];
    const recent = (back: number): string =>
      back < 0 || issued.length === 0 ? uuid(9_999) : issued[Math.max(0, issued.length - 1 - back)]!;
    const mint = (reuse: number, i: number): string => {
      const id = reuse < 0 || issued.length === 0 ? uuid(100 + i) : recent(reuse);
      issued.push(id);
      return id;
    };
    const seatIds = (areaId: string, list: readonly SeatPick[]) =>
      list.map((s) => `${s.foreign ? (areaId === "A" ? "B" : "A") : areaId}-${s.row}-${s.number}`);
    const commands: SeatCommand[] = [
      {
        type: "LoadInventory",
        commandId: "c-load",
        sessionId: SESSION,
        areaId: "A",
        now,
        seats: seatDefs("A", LAYOUT.A!.rows),
        config: PROPERTY_CONFIG,
      },
    ];
    steps.forEach(({ dt, area: areaId, action: a }, i) => {
      now += dt;
      const base = { commandId: `c${i}`, sessionId: SESSION, areaId, now };
      switch (a.kind) {
        case "load": {
          const { rows, extra } = LAYOUT[areaId]!;
          const config = { ...PROPERTY_CONFIG, holdTtlMs: a.ttl };
          commands.push({
            ...base,
            type: "LoadInventory",
            seats: seatDefs(areaId, a.extra ? [...rows, ...extra] : rows),
            config,
          });
          return;
        }
        case "hold":
          commands.push({
            ...base,
            type: "HoldSeats",
            holdId: mint(a.reuse, i),
            buyerId: a.buyer,
            seatIds: seatIds(areaId, a.seats),
          });
          return;
        case "best":
          commands.push({
            ...base,
            type: "HoldBestAvailable",
            holdId: mint(a.reuse, i),
            buyerId: a.buyer,
            quantity: a.quantity,
          });
          return;
        case "release":
          commands.push({ ...base, type: "ReleaseHold", holdId: recent(a.target), buyerId: a.buyer });
          return;
        case "extend": {
          const holdId = recent(a.target);
          commands.push(
            a.buyer === null
              ? { ...base, type: "ExtendHold", holdId, byMs: a.byMs }
              : { ...base, type: "ExtendHold", holdId, byMs: a.byMs, buyerId: a.buyer },
          );
          return;
        }
        case "expire":
          commands.push({ ...base, type: "ExpireHold", holdId: recent(a.target) });
          return;
        case "confirm":
          commands.push({ ...base, type: "ConfirmHold", holdId: recent(a.target), paymentId: a.payment });
          return;
        case "revoke":
          commands.push({ ...base, type: "RevokeHold", holdId: recent(a.target), reason: "fence" });
          return;
        case "block":
          commands.push({ ...base, type: "BlockSeats", seatIds: seatIds(areaId, a.seats) });
          return;
        case "unblock":
          commands.push({ ...base, type: "UnblockSeats", seatIds: seatIds(areaId, a.seats) });
          return;
        case "join":
          // The entry id becomes the offer's hold id, so later commands may target it.
          commands.push({ ...base, type: "JoinWaitlist", entryId: mint(a.reuse, i), buyerId: a.buyer, quantity: a.quantity, offerTtlMs: 1_000 });
          return;
        case "leave":
          commands.push({ ...base, type: "LeaveWaitlist", buyerId: a.buyer });
          return;
      }
    });
    return commands;
  });
