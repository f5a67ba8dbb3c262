import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Fine below 100 ms: the half-load bar is a p99 under 50 ms, and the tail is read from these. */
const HOLD_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.2, 0.5, 1, 2, 5];

/** The seat engine's own figures (issue 3): throughput, batching, latency, conflicts, fence, snapshots. */
export function createTicketMetrics(registry: Registry) {
  /** Partition → when its actor last took (or tried) a snapshot, unix ms, for the partitions this worker runs. */
  const snapshotTakenAt = new Map<number, number>();
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
      buckets: HOLD_BUCKETS,
      registers: [registry],
    }),
    holdDelivery: new Histogram({
      name: "seat_hold_delivery_seconds",
      help: "From the gate stamping a hold command to the message reaching the actor's worker (publish, JetStream, consumer)",
      buckets: HOLD_BUCKETS,
      registers: [registry],
    }),
    holdStored: new Histogram({
      name: "seat_hold_stored_seconds",
      help: "From the gate stamping a hold command to JetStream storing its message (the gate's Redis script and publish, the server's ingest); the rest of seat_hold_delivery_seconds is the server's delivery to the worker",
      buckets: HOLD_BUCKETS,
      registers: [registry],
    }),
    holdQueued: new Histogram({
      name: "seat_hold_queued_seconds",
      help: "From a hold command reaching the worker to its actor's batch beginning (waiting behind the batch before)",
      buckets: HOLD_BUCKETS,
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
    snapshotTakenAt,
    /**
     * Read when scraped, from `snapshotTakenAt`. It was set after every batch: prom-client's label
     * hashing was ~15 % of the snapshot path's time in the worker, and an idle partition's age stood still.
     */
    snapshotAge: new Gauge({
      name: "seat_snapshot_age_seconds",
      help: "Age of each owned partition's last snapshot",
      labelNames: ["partition"],
      registers: [registry],
      collect() {
        this.reset();
        const now = Date.now();
        for (const [partition, at] of snapshotTakenAt) this.set({ partition: String(partition) }, Math.max(0, now - at) / 1000);
      },
    }),
    snapshotBytes: new Gauge({ name: "seat_snapshot_bytes", help: "Size of the last snapshot", labelNames: ["partition"], registers: [registry] }),
    ownedPartitions: new Gauge({ name: "seat_owned_partitions", help: "Partitions this worker runs", registers: [registry] }),
    consumerRenewals: new Counter({
      name: "seat_command_consumer_renewals_total",
      help: "Command consumers replaced: after a NATS reconnect, or missed heartbeats (their node died)",
      registers: [registry],
    }),
    consumerStarved: new Counter({
      name: "seat_command_consumer_starved_total",
      help: "Command consumers replaced after a quiet spell because the server held no pull of theirs, kept commands from them, or had lost them",
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
