import { DEFAULT_PARTITIONS } from "@rush/contracts";
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
  /** Seat partitions (the same everywhere): where to send the release of a hold that can have no order. */
  PARTITIONS: z.coerce.number().int().min(1).max(1024).default(DEFAULT_PARTITIONS),
  /** Seat and payment events handled at once (events of one hold or order stay in order). */
  CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
}).superRefine((config, ctx) => {
  if (config.NODE_ENV !== "production") return;
  if (config.JWT_SECRET === DEV_JWT_SECRET) ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "required in production" });
  if (config.TICKET_SIGNING_KEY === DEV_TICKET_SEED) {
    ctx.addIssue({ code: "custom", path: ["TICKET_SIGNING_KEY"], message: "required in production" });
  }
});
export type OrderConfig = z.infer<typeof OrderConfig>;

export const readConfig = (env: NodeJS.ProcessEnv = process.env): OrderConfig => loadConfig(OrderConfig, env);
