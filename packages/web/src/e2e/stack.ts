import { runMigrations } from "@rush/db";
import { type ServiceProcess, type TestDatabase, spawnService, startNats, startRedis } from "@rush/testkit";

/** Shared by every service of the stack, so tokens the catalog signs verify everywhere. */
export const E2E_JWT_SECRET = "rush-web-e2e-jwt-secret-0123456789";
const PARTITIONS = 8;

/** Every process behind the browser: the whole platform, each service a real child process. */
export interface Stack {
  gate: ServiceProcess;
  catalog: ServiceProcess;
  order: ServiceProcess;
  payment: ServiceProcess;
  notification: ServiceProcess;
  /** The mail worker, when asked for: it keeps every message in `outboxDir` (the dev outbox). */
  mail?: ServiceProcess;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Also run the mail worker, writing to this folder, with its `/dev/outbox` page on the gate. */
  outboxDir?: string;
  /** Extra environment per service, e.g. a faster payment reconciler for a cancellation. */
  env?: Partial<Record<"ticket" | "catalog" | "order" | "payment" | "notification" | "gate" | "mail", Record<string, string>>>;
}

export async function startStack(database: TestDatabase, options: StackOptions = {}): Promise<Stack> {
  const [nats, redis] = await Promise.all([startNats(), startRedis(), runMigrations(database.url)]);
  const env = {
    NATS_URL: nats.url,
    NATS_REPLICAS: String(nats.replicas),
    REDIS_URL: redis.url,
    DATABASE_URL: database.url,
    PARTITIONS: String(PARTITIONS),
    JWT_SECRET: E2E_JWT_SECRET,
    // TEST_SERVICE_LOG_LEVEL=info (with TEST_SERVICE_LOG_DIR) to read every request of a failed run.
    LOG_LEVEL: process.env.TEST_SERVICE_LOG_LEVEL ?? "warn",
  };
  const processes: ServiceProcess[] = [];
  const spawn = async (name: string, extra: Record<string, string> = {}) => {
    const service = await spawnService(name, { ...env, ...extra }, { readyTimeoutMs: 240_000 });
    processes.push(service);
    return service;
  };
  try {
    const extra = options.env ?? {};
    const [, catalog, order, payment, notification, mail] = await Promise.all([
      spawn("ticket", { WORKER_ID: "w1", LEASE_RENEW_MS: "300", ...extra.ticket }),
      // Cheap password hashing: sign-ups in a test need not resist a GPU farm.
      spawn("catalog", { SCRYPT_LOG_N: "10", PASSWORD_HASH_THREADS: "1", ...extra.catalog }),
      spawn("order", extra.order),
      spawn("payment", extra.payment),
      spawn("notification", extra.notification),
      options.outboxDir ? spawn("mail", { OUTBOX_DIR: options.outboxDir, ...extra.mail }) : undefined,
    ]);
    // Where the gate forwards what it does not answer itself. The catalog is wired today; the
    // other names are what we ask the gate to read for orders, payments and live updates.
    const gate = await spawn("gate", {
      CATALOG_URL: catalog.url,
      ORDER_URL: order.url,
      PAYMENT_URL: payment.url,
      NOTIFICATION_URL: notification.url,
      // The seat-map page always carries its data here, however loaded the machine: the tests check what it carries.
      PAGE_DATA_TIMEOUT_MS: "30000",
      ...(mail ? { MAIL_URL: mail.url } : {}),
      ...extra.gate,
    });
    return {
      gate,
      catalog,
      order,
      payment,
      notification,
      ...(mail ? { mail } : {}),
      async close() {
        await Promise.all(processes.map((p) => p.stop()));
        await Promise.all([nats.dispose(), redis.dispose()]);
      },
    };
  } catch (error) {
    await Promise.all(processes.map((p) => p.kill()));
    await Promise.all([nats.dispose(), redis.dispose()]);
    throw error;
  }
}
