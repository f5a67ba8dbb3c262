import { BaseConfig, loadConfig } from "@rush/service";
import { z } from "zod";
import { DEV_TICKET_SEED } from "./tickets/ticket-qr.ts";

const DEV_JWT_SECRET = "rush-dev-jwt-secret-change-me";

export const OrderConfig = BaseConfig.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8102),
  JWT_SECRET: z.string().min(16).default(DEV_JWT_SECRET),
  /** Ed25519 private key of the ticket QR codes: base64 of its 32-byte seed. */
  TICKET_SIGNING_KEY: z.string().min(40).default(DEV_TICKET_SEED),
  /** Prices of a session are read from Postgres at most this often. */
  PRICE_CACHE_MS: z.coerce.number().int().min(0).default(5_000),
  /** The repair pass (paid orders without tickets, orders that missed their payment's end) runs this often. */
  REPAIR_EVERY_MS: z.coerce.number().int().min(100).default(30_000),
  /** Payments changed more recently are left to the normal flow. */
  REPAIR_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  /** How far back the repair pass looks (its scan grows with the payments in this window). */
  REPAIR_LOOKBACK_MS: z.coerce.number().int().min(1).default(86_400_000),
}).superRefine((config, ctx) => {
  if (config.NODE_ENV !== "production") return;
  if (config.JWT_SECRET === DEV_JWT_SECRET) ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "required in production" });
  if (config.TICKET_SIGNING_KEY === DEV_TICKET_SEED) {
    ctx.addIssue({ code: "custom", path: ["TICKET_SIGNING_KEY"], message: "required in production" });
  }
});
export type OrderConfig = z.infer<typeof OrderConfig>;

export const readConfig = (env: NodeJS.ProcessEnv = process.env): OrderConfig => loadConfig(OrderConfig, env);
