import { DEFAULT_PARTITIONS } from "@rush/contracts";
import { BaseConfig, DEV_JWT_SECRET, DEV_TICKET_SEED, DEV_URLS, loadConfig, refuseDevDefaults } from "@rush/service";
import { z } from "zod";

export const OrderConfig = BaseConfig.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8102),
  JWT_SECRET: z.string().min(16).default(DEV_JWT_SECRET),
  /** Ed25519 private key of the ticket QR codes: base64 of its 32-byte seed. */
  TICKET_SIGNING_KEY: z.string().min(40).default(DEV_TICKET_SEED),
  /**
   * Rotation: public keys (base64 SPKI, i.e. a PEM's body; comma-separated) of earlier signing
   * keys whose QR codes still verify. Move the old key's public half here when replacing it.
   */
  TICKET_PREVIOUS_PUBLIC_KEYS: z.string().default(""),
  /** A QR code stops verifying this long after its session ends. */
  TICKET_QR_GRACE_HOURS: z.coerce.number().int().min(0).max(24 * 365).default(12),
  /** Prices of a session are read from Postgres at most this often. */
  PRICE_CACHE_MS: z.coerce.number().int().min(0).default(5_000),
  /** The repair pass (paid orders without tickets, orders that missed their payment's end) runs this often. */
  REPAIR_EVERY_MS: z.coerce.number().int().min(100).default(30_000),
  /** Payments changed more recently are left to the normal flow. */
  REPAIR_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  /** How far back the repair pass looks (its scan grows with the payments in this window). */
  REPAIR_LOOKBACK_MS: z.coerce.number().int().min(1).default(86_400_000),
  /** How long a buyer's resale order holds its listing before it is on offer again (pay extends it). */
  RESALE_HOLD_MS: z.coerce.number().int().min(1_000).default(600_000),
  /** Abandoned resale orders (their window over, never paid) are expired this often. */
  RESALE_SWEEP_EVERY_MS: z.coerce.number().int().min(100).default(15_000),
  /** Seat partitions (the same everywhere): where to send the release of a hold that can have no order. */
  PARTITIONS: z.coerce.number().int().min(1).max(1024).default(DEFAULT_PARTITIONS),
  /** Seat and payment events handled at once (events of one hold or order stay in order). */
  CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
}).superRefine((config, ctx) => {
  refuseDevDefaults(ctx, config, { ...DEV_URLS, JWT_SECRET: DEV_JWT_SECRET, TICKET_SIGNING_KEY: DEV_TICKET_SEED });
});
export type OrderConfig = z.infer<typeof OrderConfig>;

export const readConfig = (env: NodeJS.ProcessEnv = process.env): OrderConfig => loadConfig(OrderConfig, env);
