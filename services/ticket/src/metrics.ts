import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** The seat engine's own figures (issue 3): throughput, batching, latency, conflicts, fence, snapshots. */
export function createTicketMetrics(registry: Registry) {
  return {
    commands: new Counter({
      name: "seat_commands_total",
      help: "Commands applied, by type",
      labelNames: ["type"],
      registers: [registry],
    }),
    poison: new Counter({ name: "seat_commands_poison_total", help: "Commands that failed their schema (skipped)", registers: [registry] }),
    batchSize: new Histogram({
      name: "seat_batch_size",
      help: "Commands per actor batch",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
      registers: [registry],
    }),
    holdLatency: new Histogram({
      name: "seat_hold_latency_seconds",
      help: "From the gate stamping a hold command to the actor's reply",
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers: [registry],
    }),
    conflicts: new Counter({
      name: "seat_hold_conflicts_total",
      help: "Holds rejected because a seat was taken",
      registers: [registry],
    }),
    fenceRefusals: new Counter({
      name: "seat_fence_refusals_total",
      help: "Holds memory granted but the Redis fence refused (another owner raced)",
      registers: [registry],
    }),
    snapshotAge: new Gauge({
      name: "seat_snapshot_age_seconds",
      help: "Age of each owned partition's last snapshot",
      labelNames: ["partition"],
      registers: [registry],
    }),
    snapshotBytes: new Gauge({ name: "seat_snapshot_bytes", help: "Size of the last snapshot", labelNames: ["partition"], registers: [registry] }),
    ownedPartitions: new Gauge({ name: "seat_owned_partitions", help: "Partitions this worker runs", registers: [registry] }),
    consumerRenewals: new Counter({
      name: "seat_command_consumer_renewals_total",
      help: "Command consumers replaced: after a NATS reconnect, or missed heartbeats (their node died)",
      registers: [registry],
    }),
    recoverySeconds: new Histogram({
      name: "seat_recovery_seconds",
      help: "From taking a partition to having replayed its log",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
  };
}

export type TicketMetrics = ReturnType<typeof createTicketMetrics>;
