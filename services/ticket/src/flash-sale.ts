import { randomUUID } from "node:crypto";
import type { SeatCommandClient } from "@rush/bus";
import type { SeatCommand, SeatReply } from "@rush/contracts";

/** A small seeded PRNG (mulberry32): the same seed gives the same flash sale. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FlashSaleOptions {
  sessionId: string;
  areaId: string;
  rows: number;
  perRow: number;
  commands: number;
  /** Commands in flight at once. */
  concurrency: number;
  seed: number;
  timeoutMs: number;
  /** Share of best-available holds (the rest name seats); 0.5 unless given. */
  bestAvailableShare?: number;
  /**
   * How long, after the last command was sent, the unanswered ones are looked up in the result
   * store (`timeoutMs` unless given). With a short `timeoutMs` (the gate waits 2 s, then answers
   * 202 and the buyer asks again), a command caught in a fault does not hold its lane.
   */
  settleMs?: number;
  /** Called after each answered command with how many were sent so far. */
  onProgress?: (sent: number) => void | Promise<void>;
}

/**
 * A hot-area flash sale: explicit holds of 1–4 neighbouring seats mixed 50/50 with
 * best-available holds of 1–4, every command from its own buyer.
 */
export function flashSaleCommands(options: FlashSaleOptions): SeatCommand[] {
  const random = prng(options.seed);
  const commands: SeatCommand[] = [];
  for (let i = 0; i < options.commands; i++) {
    const base = { commandId: randomUUID(), sessionId: options.sessionId, areaId: options.areaId, now: 0, holdId: randomUUID(), buyerId: `buyer-${i}` };
    const quantity = 1 + Math.floor(random() * 4);
    if (random() < (options.bestAvailableShare ?? 0.5)) {
      commands.push({ ...base, type: "HoldBestAvailable", quantity });
    } else {
      const row = 1 + Math.floor(random() * options.rows);
      const first = 1 + Math.floor(random() * (options.perRow - quantity + 1));
      const seatIds = Array.from({ length: quantity }, (_, k) => `${options.areaId}-${row}-${first + k}`);
      commands.push({ ...base, type: "HoldSeats", seatIds });
    }
  }
  return commands;
}

export interface FlashSaleResult {
  replies: Map<string, SeatReply>;
  /** Commands with no answer even from the result store. */
  unanswered: string[];
  latenciesMs: number[];
  elapsedMs: number;
}

/**
 * Sends every command through the client with bounded concurrency; a command not answered in
 * time is asked again from the result store until `timeoutMs` more have passed.
 */
export async function runFlashSale(
  client: SeatCommandClient,
  commands: SeatCommand[],
  options: Pick<FlashSaleOptions, "concurrency" | "timeoutMs" | "settleMs" | "onProgress">,
  lookup: (commandId: string) => Promise<SeatReply | null>,
): Promise<FlashSaleResult> {
  const replies = new Map<string, SeatReply>();
  const pending: string[] = [];
  const latenciesMs: number[] = [];
  const started = performance.now();
  let next = 0;
  let sent = 0;
  const lane = async () => {
    while (next < commands.length) {
      const command = commands[next++]!;
      const t0 = performance.now();
      const outcome = await sendUntilStored(client, command, options.timeoutMs, t0 + (options.settleMs ?? options.timeoutMs));
      sent++;
      if (outcome.status === "done") {
        replies.set(command.commandId, outcome.reply);
        latenciesMs.push(performance.now() - t0);
      } else pending.push(command.commandId);
      await options.onProgress?.(sent);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  const deadline = Date.now() + (options.settleMs ?? options.timeoutMs);
  let unanswered = pending;
  while (unanswered.length > 0 && Date.now() < deadline) {
    const still: string[] = [];
    for (const commandId of unanswered) {
      const reply = await lookup(commandId);
      if (reply) replies.set(commandId, reply);
      else still.push(commandId);
    }
    unanswered = still;
    if (unanswered.length > 0) await new Promise((r) => setTimeout(r, 250));
  }
  return { replies, unanswered, latenciesMs, elapsedMs: performance.now() - started };
}

/**
 * One send; if the command could not even be put in the log (no stream leader mid-failover: the
 * gate answers that 503 and the buyer asks again), the same command again until `until`.
 */
async function sendUntilStored(client: SeatCommandClient, command: SeatCommand, timeoutMs: number, until: number) {
  for (;;) {
    try {
      return await client.send({ ...command, now: Date.now() }, { timeoutMs });
    } catch (error) {
      if (performance.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Seat → holdId of every hold the replies granted; throws if a seat was granted twice. */
export function grantedSeats(replies: Iterable<SeatReply>): Map<string, string> {
  const granted = new Map<string, string>();
  for (const reply of replies) {
    for (const event of reply.events) {
      if (event.type !== "SeatsHeld") continue;
      for (const seatId of event.seatIds) {
        const other = granted.get(seatId);
        if (other && other !== event.holdId) throw new Error(`seat ${seatId} granted to ${other} and ${event.holdId}`);
        granted.set(seatId, event.holdId);
      }
    }
  }
  return granted;
}

export const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
