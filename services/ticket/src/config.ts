import { hostname } from "node:os";
import { DEFAULT_PARTITIONS } from "@rush/contracts";
import { BaseConfig, DEV_URLS, loadConfig, refuseDevDefaults } from "@rush/service";
import { z } from "zod";

export const TicketConfig = BaseConfig.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8101),
  /** Unique per process; shows in leases (`nats kv ls partition_leases`). */
  WORKER_ID: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.#-]+$/).default(`${hostname()}-${process.pid}`),
  /** Logical partitions; fixed per deployment (changing it moves every area). */
  PARTITIONS: z.coerce.number().int().min(1).max(1024).default(DEFAULT_PARTITIONS),
  /** Most commands one actor applies before doing the batch's I/O. */
  BATCH_MAX: z.coerce.number().int().min(1).max(10_000).default(512),
  SNAPSHOT_EVERY_COMMANDS: z.coerce.number().int().min(1).default(2_000),
  SNAPSHOT_EVERY_MS: z.coerce.number().int().min(100).default(5_000),
  /**
   * The least time between two partitions' snapshot encodes in one worker (each holds its thread
   * ~1–20 ms): partitions due together take turns this far apart instead of in one burst. 0: one
   * per event-loop turn only. Sixty-four partitions at 25 ms take 1.6 s, well inside SNAPSHOT_EVERY_MS.
   */
  SNAPSHOT_SPACING_MS: z.coerce.number().int().min(0).max(1_000).default(25),
  /**
   * `spread`: every live worker runs its fair share of the partitions (workers on machines of
   * their own). `pack`: one worker runs them all and the others stand by to take over (workers
   * sharing one small machine, where a second active worker adds only wake-ups and context
   * switches: ./scripts/start).
   */
  PARTITION_PLACEMENT: z.enum(["spread", "pack"]).default("spread"),
  /** How often leases are renewed and the partition set rebalanced; a third of the bucket TTL or less. */
  LEASE_RENEW_MS: z.coerce.number().int().min(100).default(1_500),
}).superRefine((config, ctx) => refuseDevDefaults(ctx, config, { ...DEV_URLS }));
export type TicketConfig = z.infer<typeof TicketConfig>;

export const readConfig = (env: NodeJS.ProcessEnv = process.env): TicketConfig => loadConfig(TicketConfig, env);
