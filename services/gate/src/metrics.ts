import { Counter, Histogram, type Registry } from "prom-client";

/** The gate's own Prometheus series, next to the shell's default ones on `/metrics`. */
export interface GateMetrics {
  /** Hold and release requests by outcome: `held`, `rejected:<code>`, `pending`, `released`. */
  commands: Counter<"kind" | "outcome">;
  /** Time from request to the engine's answer (or the 202). */
  commandSeconds: Histogram<"kind">;
  queueJoins: Counter<"outcome">;
  rateLimited: Counter<"class" | "by">;
  /** How many holds each linger let go together (HOLD_LINGER_MS). */
  holdLingerBatch: Histogram;
}

export function createGateMetrics(registry: Registry): GateMetrics {
  return {
    commands: new Counter({
      name: "gate_seat_commands_total",
      help: "Hold and release requests by outcome",
      labelNames: ["kind", "outcome"],
      registers: [registry],
    }),
    commandSeconds: new Histogram({
      name: "gate_seat_command_seconds",
      help: "Seconds from a hold or release request to the seat engine's answer (or the 202)",
      labelNames: ["kind"],
      // Fine below 100 ms: the bench reads the half-load tail (bar: p99 < 50 ms) from these.
      buckets: [0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2, 5],
      registers: [registry],
    }),
    queueJoins: new Counter({
      name: "gate_queue_joins_total",
      help: "Waiting room joins: joined, challenged (proof of work asked), no_room",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: "gate_rate_limited_total",
      help: "Requests refused with 429, by route class and by what was counted (ip or user)",
      labelNames: ["class", "by"],
      registers: [registry],
    }),
    holdLingerBatch: new Histogram({
      name: "gate_hold_linger_batch",
      help: "Hold requests let go together after the hold linger (HOLD_LINGER_MS)",
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers: [registry],
    }),
  };
}
