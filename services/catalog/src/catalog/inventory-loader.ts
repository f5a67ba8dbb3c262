import type { SeatCommandClient } from "@rush/bus";
import type { LoadInventory } from "@rush/contracts";
import { HttpProblem } from "@rush/service";
import type { AreaLoadPlan } from "./inventory-plan.ts";

/** Sends a session's loads and resolves once the seat engine has answered every one. */
export interface InventoryLoader {
  load(plan: readonly AreaLoadPlan[]): Promise<void>;
}

export interface InventoryLoaderOptions {
  seatCommands: SeatCommandClient;
  /** Overall deadline: past it, `load` fails with a 504 problem (publishing again resumes). */
  timeoutMs: number;
  /** How long one send waits for its reply before asking again. */
  sendTimeoutMs?: number;
  /** Areas loading at once. */
  concurrency?: number;
  clock?: () => number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createInventoryLoader(options: InventoryLoaderOptions): InventoryLoader {
  const clock = options.clock ?? Date.now;
  const sendTimeoutMs = options.sendTimeoutMs ?? 5000;

  // Re-sending the same command id is safe: JetStream dedupes it, the actor's load is idempotent,
  // and a duplicate is answered from the result store once the actor has written it.
  async function loadOne(command: LoadInventory, deadline: number): Promise<void> {
    for (;;) {
      const remaining = deadline - clock();
      if (remaining <= 0) {
        throw new HttpProblem(504, "publish_timeout", "Gateway Timeout", `the seat engine did not load area ${command.areaId} in time; publish again to resume`);
      }
      let outcome: Awaited<ReturnType<SeatCommandClient["send"]>>;
      try {
        outcome = await options.seatCommands.send(command, { timeoutMs: Math.min(sendTimeoutMs, remaining) });
      } catch (error) {
        throw new HttpProblem(503, "seat_engine_unavailable", "Service Unavailable", `could not send to the seat engine: ${(error as Error).message}`);
      }
      if (outcome.status === "done") {
        const rejected = outcome.reply.events.find((event) => event.type === "InventoryRejected");
        // We built and validated this command ourselves: a rejection is a bug on one side or the other.
        if (rejected) throw new Error(`seat engine rejected ${command.commandId}: ${rejected.detail}`);
        return;
      }
      await sleep(Math.min(250, Math.max(0, deadline - clock())));
    }
  }

  return {
    async load(plan) {
      const deadline = clock() + options.timeoutMs;
      const queue = [...plan];
      const worker = async () => {
        for (let area = queue.shift(); area; area = queue.shift()) {
          for (const command of area.commands) await loadOne(command, deadline);
        }
      };
      await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 16, queue.length) }, worker));
    },
  };
}
