import { BaseConfig, DEV_JWT_SECRET, DEV_URLS, loadConfig, refuseDevDefaults } from "@rush/service";
import { z } from "zod";

export const NotificationConfig = BaseConfig.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8104),
  JWT_SECRET: z.string().min(16).default(DEV_JWT_SECRET),
  /** At most one seat delta per session this often (the first change of a quiet session goes at once). */
  COALESCE_MS: z.coerce.number().int().min(1).max(10_000).default(100),
  /** How often waiting-room positions are recomputed for the buyers watching them. */
  QUEUE_TICK_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
}).superRefine((config, ctx) => {
  refuseDevDefaults(ctx, config, { ...DEV_URLS, JWT_SECRET: DEV_JWT_SECRET });
});
export type NotificationConfig = z.infer<typeof NotificationConfig>;

export const readConfig = (env: NodeJS.ProcessEnv = process.env): NotificationConfig => loadConfig(NotificationConfig, env);
