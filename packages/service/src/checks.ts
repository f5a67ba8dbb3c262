import type { Bus } from "@rush/bus";
import type { Redis } from "ioredis";
import type { Sql } from "postgres";

/** A readiness check: resolves when the dependency answers, throws when it doesn't. */
export type Check = () => Promise<void>;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const natsCheck = (bus: Bus, ms = 1000): Check => async () => {
  if (bus.nc.isClosed()) throw new Error("nats: connection closed");
  await withTimeout(bus.nc.rtt(), ms, "nats");
};

export const redisCheck = (redis: Redis, ms = 1000): Check => async () => {
  const pong = await withTimeout(redis.ping(), ms, "redis");
  if (pong !== "PONG") throw new Error(`redis: answered ${pong}`);
};

export const postgresCheck = (sql: Sql, ms = 1000): Check => async () => {
  await withTimeout(sql`select 1`.execute(), ms, "postgres");
};
