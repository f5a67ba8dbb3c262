import type { Bus, SeatCommandClient } from "@rush/bus";
import type { PaymentProviderName } from "@rush/contracts";
import type { Db } from "@rush/db";
import { type Logger, createServiceApp, installApi, natsCheck, postgresCheck, redisCheck } from "@rush/service";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { Registry } from "prom-client";
import { type PaymentConfig, mockEnabled } from "./config.ts";
import { grantedTo, payRoute } from "./payments/pay-route.ts";
import { payStepTimer } from "./payments/pay-steps.ts";
import { createPaymentStore } from "./payments/payment-store.ts";
import { startReconciler } from "./payments/reconciler.ts";
import { refundRoute } from "./payments/refund-route.ts";
import { createSettlement } from "./payments/settlement.ts";
import { webhookRoute } from "./payments/webhook-route.ts";
import { MOCK_SIGNATURE_HEADER, createMockProvider } from "./providers/mock-provider.ts";
import type { PaymentProvider } from "./providers/provider.ts";
import { createStripeProvider } from "./providers/stripe-provider.ts";
import { createPayouts } from "./resale/payouts.ts";
import { resaleConfirmer } from "./resale/resale-confirm-client.ts";
import { createResalePaymentStore } from "./resale/resale-payment-store.ts";

export interface PaymentDeps {
  config: PaymentConfig;
  bus: Bus;
  db: Db;
  seats: SeatCommandClient;
  /** The seat actors' result store (confirms asked again are answered from it): checked for readiness. */
  redis?: Redis;
  logger: Logger;
  metrics: Registry;
  /** Overrides the configured providers (tests). */
  providers?: Partial<Record<PaymentProviderName, PaymentProvider>>;
  clock?: () => number;
}

export interface PaymentService {
  app: FastifyInstance;
  start(): void;
  stop(): Promise<void>;
}

/** Where the mock provider sends its webhooks: this service's own route. */
function postWebhook(baseUrl: () => string) {
  return async (body: string, signature: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(`${baseUrl()}/v1/payments/webhooks/mock`, {
          method: "POST",
          headers: { "content-type": "application/json", [MOCK_SIGNATURE_HEADER]: signature },
          body,
        });
        if (response.ok || response.status === 400) return;
      } catch {
        // retried below
      }
      if (attempt >= 5) throw new Error("mock webhook not delivered");
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  };
}

export async function buildPaymentService(deps: PaymentDeps): Promise<PaymentService> {
  const { config, bus, db, logger } = deps;
  const clock = deps.clock ?? Date.now;
  const app = createServiceApp({
    logger,
    metrics: deps.metrics,
    checks: { nats: natsCheck(bus), postgres: postgresCheck(db.sql), ...(deps.redis ? { redis: redisCheck(deps.redis) } : {}) },
  });
  await installApi(app, { jwtSecret: config.JWT_SECRET, secondFactorRoles: config.SECOND_FACTOR_ROLES });

  const selfUrl = () => {
    const address = app.server.address();
    return typeof address === "object" && address ? `http://127.0.0.1:${address.port}` : `http://127.0.0.1:${config.PORT}`;
  };
  const providers: Partial<Record<PaymentProviderName, PaymentProvider>> = deps.providers ?? {
    ...(mockEnabled(config)
      ? {
          mock: createMockProvider({
            webhookSecret: config.MOCK_WEBHOOK_SECRET,
            slowMs: config.MOCK_SLOW_MS,
            deliver: postWebhook(() => config.MOCK_WEBHOOK_URL ?? selfUrl()),
          }),
        }
      : {}),
    ...(config.STRIPE_SECRET_KEY && config.STRIPE_WEBHOOK_SECRET
      ? {
          stripe: createStripeProvider({
            secretKey: config.STRIPE_SECRET_KEY,
            webhookSecret: config.STRIPE_WEBHOOK_SECRET,
            ...(config.STRIPE_API_BASE ? { apiBase: config.STRIPE_API_BASE } : {}),
          }),
        }
      : {}),
  };
  const store = createPaymentStore(db.db);
  const resale = createResalePaymentStore(db.db);
  const payouts = createPayouts({ store: resale, providers, logger, clock });
  const timed = payStepTimer(deps.metrics);
  const settlement = createSettlement({
    resale,
    payouts,
    confirmResale: resaleConfirmer(bus),
    bus,
    store,
    seats: deps.seats,
    providers,
    logger,
    confirmTimeoutMs: config.CONFIRM_TIMEOUT_MS,
    holdExtensionMs: config.PAY_HOLD_EXTENSION_MS,
    clock,
    timed,
  });

  await app.register(payRoute, {
    bus,
    store,
    seats: deps.seats,
    settlement,
    resale,
    providers,
    orderWaitMs: config.PAY_ORDER_WAIT_MS,
    extendTimeoutMs: config.PAY_EXTEND_TIMEOUT_MS,
    ...(deps.redis ? { grantedTo: grantedTo(deps.redis) } : {}),
    holdExtensionMs: config.PAY_HOLD_EXTENSION_MS,
    clock,
    timed,
  });
  await app.register(webhookRoute, { store, settlement, providers });
  await app.register(refundRoute, { store, settlement });

  let reconciler: ReturnType<typeof startReconciler> | undefined;
  return {
    app,
    start() {
      reconciler = startReconciler({
        store,
        resale,
        payouts,
        settlement,
        logger,
        everyMs: config.RECONCILE_EVERY_MS,
        afterMs: config.RECONCILE_AFTER_MS,
        openAfterMs: config.RECONCILE_OPEN_AFTER_MS,
        backoff: { baseMs: config.RECONCILE_BACKOFF_MS, maxMs: config.RECONCILE_BACKOFF_MAX_MS },
        clock,
      });
    },
    async stop() {
      await reconciler?.stop();
    },
  };
}
