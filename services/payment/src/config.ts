import { DEFAULT_PARTITIONS } from "@rush/contracts";
import { BaseConfig, DEV_JWT_SECRET, DEV_URLS, devDefaultsAllowed, loadConfig, refuseDevDefaults } from "@rush/service";
import { z } from "zod";

const DEV_MOCK_WEBHOOK_SECRET = "rush-dev-mock-webhook-secret";

export const PaymentConfig = BaseConfig.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8103),
  JWT_SECRET: z.string().min(16).default(DEV_JWT_SECRET),
  /** Seat engine partitions: must match the ticket workers'. */
  PARTITIONS: z.coerce.number().int().positive().default(DEFAULT_PARTITIONS),
  /** How long pay waits for the order of a hold granted a moment ago. */
  PAY_ORDER_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(5_000),
  /** How far a running payment stretches its hold (capped by the session's maxHoldExtensionMs). */
  PAY_HOLD_EXTENSION_MS: z.coerce.number().int().min(1).max(3_600_000).default(300_000),
  /**
   * How long pay waits for the seat engine to stretch the hold before answering 503. 3 s (the
   * old fixed wait) was under the engine's answer time at the tail of a 2,000-buyer sale on
   * two cores (hold p95 4.9 s): a healthy stack told paying buyers to retry. 6 s keeps the
   * order wait + this + the confirm wait inside the gate's 15 s upstream timeout in practice.
   */
  PAY_EXTEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(6_000),
  CONFIRM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  RECONCILE_EVERY_MS: z.coerce.number().int().min(100).default(5_000),
  /** A captured payment unsettled this long is run again. */
  RECONCILE_AFTER_MS: z.coerce.number().int().min(0).default(15_000),
  /** A payment still open (`created`, `pending`) this long is checked with its provider (a lost webhook, a failed call). */
  RECONCILE_OPEN_AFTER_MS: z.coerce.number().int().min(0).default(60_000),
  /** A payment the reconciler could not finish waits this long, doubling per attempt up to the max. */
  RECONCILE_BACKOFF_MS: z.coerce.number().int().min(1).default(5_000),
  RECONCILE_BACKOFF_MAX_MS: z.coerce.number().int().min(1).default(300_000),

  /** The mock takes no money: on by default only in development and test; elsewhere it must be asked for. */
  MOCK_PROVIDER: z.enum(["on", "off"]).optional(),
  MOCK_WEBHOOK_SECRET: z.string().min(16).default(DEV_MOCK_WEBHOOK_SECRET),
  /** `method: "slow"`: the mock's webhook comes this much later. */
  MOCK_SLOW_MS: z.coerce.number().int().min(0).default(2_000),
  /** Where the mock posts its webhooks; this service's own address unless set. */
  MOCK_WEBHOOK_URL: z.url().optional(),

  /** Stripe is on when both are set. */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Another Stripe API origin (stripe-mock, recorded answers in tests); Stripe's own unless set. */
  STRIPE_API_BASE: z.url().optional(),
}).superRefine((config, ctx) => {
  refuseDevDefaults(ctx, config, { ...DEV_URLS, JWT_SECRET: DEV_JWT_SECRET });
  if (config.MOCK_PROVIDER === "on") refuseDevDefaults(ctx, config, { MOCK_WEBHOOK_SECRET: DEV_MOCK_WEBHOOK_SECRET });
});
export type PaymentConfig = z.infer<typeof PaymentConfig>;

/** Whether `provider: "mock"` is accepted: never by accident outside development (it would hand out seats for free). */
export const mockEnabled = (config: PaymentConfig): boolean => config.MOCK_PROVIDER === "on" || (config.MOCK_PROVIDER === undefined && devDefaultsAllowed(config));

export const readConfig = (env: NodeJS.ProcessEnv = process.env): PaymentConfig => loadConfig(PaymentConfig, env);
