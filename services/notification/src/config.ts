import { BaseConfig, DEV_JWT_SECRET, DEV_URLS, loadConfig, refuseDevDefaults } from "@rush/service";
import { z } from "zod";

export const NotificationConfig = BaseConfig.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8104),
  JWT_SECRET: z.string().min(16).default(DEV_JWT_SECRET),
  /** At most one seat delta per session this often (the first change of a quiet session goes at once). */
  COALESCE_MS: z.coerce.number().int().min(1).max(10_000).default(100),
  /** How often waiting-room positions are recomputed for the buyers watching them. */
  QUEUE_TICK_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** Sessions one socket may watch at once (a buyer has a tab or two open, not hundreds). */
  SOCKET_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(1_000).default(10),
  /** Messages a socket may send per second, after a burst of `SOCKET_MESSAGE_BURST`. */
  SOCKET_MESSAGES_PER_SECOND: z.coerce.number().min(0.1).max(1_000).default(5),
  SOCKET_MESSAGE_BURST: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Sessions (and unknown ids) remembered for subscribe checks and waiting rooms: how long, and how many. */
  SESSION_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  SESSION_CACHE_MAX: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
}).superRefine((config, ctx) => {
  refuseDevDefaults(ctx, config, { ...DEV_URLS, JWT_SECRET: DEV_JWT_SECRET });
});
export type NotificationConfig = z.infer<typeof NotificationConfig>;

export const readConfig = (env: NodeJS.ProcessEnv = process.env): NotificationConfig => loadConfig(NotificationConfig, env);
