/**
 * `pnpm bench snapshot`: what a ticket worker's snapshot of a flash-sale partition costs its one
 * thread. A 20,000-seat area (100 rows of 200) fills with 2-seat holds by best-available, 50
 * commands a batch as the actor applies them; every 40 batches (2,000 commands, the worker's
 * SNAPSHOT_EVERY_COMMANDS) the state is encoded by the worker's encoder (`createSnapshotEncoder`,
 * reused as the worker reuses it): the milliseconds it holds the thread by the area's live holds,
 * and the text's size. CPU-bound, in-process, no servers; a few seconds.
 */
import { randomUUID } from "node:crypto";
import type { SeatCommand } from "@rush/contracts";
import { apply, createPartitionState, createSnapshotEncoder, toSnapshot } from "../src/index.ts";

const SESSION = randomUUID();
const ROWS = 100;
const PER_ROW = 200;
const BATCH = 50;
const EVERY = 2_000;

const state = createPartitionState();
const seats = Array.from({ length: ROWS }, (_, r) => Array.from({ length: PER_ROW }, (_, i) => ({ id: `A-R${r + 1}-${i + 1}`, row: `R${r + 1}`, number: i + 1 }))).flat();
const base = (now: number) => ({ commandId: randomUUID(), sessionId: SESSION, areaId: "A", now });
const load: SeatCommand = { ...base(0), type: "LoadInventory", seats, config: { holdTtlMs: 600_000, maxSeatsPerHold: 6, maxSeatsPerBuyer: 8, maxHoldExtensionMs: 300_000 } };
apply(state, load);

const encode = createSnapshotEncoder();
const time = (run: () => string) => {
  const from = performance.now();
  const text = run();
  return { ms: performance.now() - from, text };
};

console.log(`snapshot bench: one ${ROWS * PER_ROW}-seat area, 2-seat holds by best-available in batches of ${BATCH}, encoded every ${EVERY} commands`);
console.log("  live holds │ encode ms │ MB");
let now = 1_000;
for (let command = 0; command < (ROWS * PER_ROW) / 2; ) {
  for (let i = 0; i < BATCH; i++, command++) apply(state, { ...base(now++), type: "HoldBestAvailable", holdId: randomUUID(), buyerId: randomUUID(), quantity: 2 });
  if (command % EVERY !== 0) continue;
  const { ms, text } = time(() => encode(state));
  // The encoder keeps unchanged areas' text: what it writes must still be the state's snapshot.
  if (text !== JSON.stringify(toSnapshot(state))) throw new Error("the encoder's text differs from toSnapshot's JSON");
  const holds = [...state.areas.values()][0]!.holds.size;
  console.log(`  ${String(holds).padStart(10)} │ ${ms.toFixed(1).padStart(9)} │ ${(text.length / 1e6).toFixed(2)}`);
}
