import type { Bus, Consumption } from "@rush/bus";
import { SOCKET_EVENTS, socketRooms } from "@rush/contracts";
import type { Db } from "@rush/db";
import { type Logger, consumerMetrics, createServiceApp, natsCheck, postgresCheck, redisCheck } from "@rush/service";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { Registry } from "prom-client";
import type { Server } from "socket.io";
import type { NotificationConfig } from "./config.ts";
import { followOrders, followWaitlist } from "./feeds.ts";
import { createQueuePositions } from "./queue-positions.ts";
import { createSeatDeltas } from "./seat-deltas.ts";
import { type SessionLookup, createSessionLookup } from "./session-lookup.ts";
import { createSocketServer } from "./sockets.ts";

export interface NotificationDeps {
  config: NotificationConfig;
  bus: Bus;
  db: Db;
  /** Commands (read model, deltas); `pub`/`sub` are the adapter's own connections. */
  redis: Redis;
  pub: Redis;
  sub: Redis;
  logger: Logger;
  metrics: Registry;
}

export interface NotificationService {
  app: FastifyInstance;
  io: Server;
  sessions: SessionLookup;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the live-update service: HTTP (health, metrics) and socket.io on one server. */
export async function buildNotificationService(deps: NotificationDeps): Promise<NotificationService> {
  const { config, bus, logger } = deps;
  const app = createServiceApp({
    logger,
    metrics: deps.metrics,
    checks: { nats: natsCheck(bus), redis: redisCheck(deps.redis), postgres: postgresCheck(deps.db.sql) },
  });
  let io: Server | undefined;
  const deltas = createSeatDeltas(deps.redis, {
    coalesceMs: config.COALESCE_MS,
    broadcast: (update) => io?.to(socketRooms.sessionSeats(update.sessionId)).emit(SOCKET_EVENTS.seats, update),
    onError: (error) => logger.warn({ err: error }, "seat delta not sent"),
  });
  const sessions = createSessionLookup(deps.db.db, { ttlMs: config.SESSION_CACHE_MS, maxEntries: config.SESSION_CACHE_MAX });
  const queue = createQueuePositions({
    redis: deps.redis,
    sessions,
    tickMs: config.QUEUE_TICK_MS,
    onError: (error) => logger.warn({ err: error }, "waiting-room positions not read"),
  });
  io = createSocketServer({
    httpServer: app.server,
    jwtSecret: config.JWT_SECRET,
    pub: deps.pub,
    sub: deps.sub,
    deltas,
    queue,
    sessions,
    limits: {
      maxSubscriptions: config.SOCKET_MAX_SUBSCRIPTIONS,
      messagesPerSecond: config.SOCKET_MESSAGES_PER_SECOND,
      messageBurst: config.SOCKET_MESSAGE_BURST,
    },
  });
  const consumptions: Consumption[] = [];
  const outcomes = consumerMetrics(deps.metrics);
  const hooks = (consumer: string) => outcomes.of(consumer);

  return {
    app,
    io,
    sessions,
    async start() {
      // The adapter subscribes without waiting or retrying; a PING on the subscriber connection
      // is answered only after the queued (P)SUBSCRIBEs were applied, so from here on
      // broadcasts from other instances reach this one.
      await deps.sub.ping();
      deltas.start();
      consumptions.push(
        await followWaitlist(bus, logger, (buyerId, update) => io?.to(socketRooms.userOrders(buyerId)).emit(SOCKET_EVENTS.waitlist, update), hooks),
        // Each instance reads every order event and tells only its own sockets (see followOrders).
        await followOrders(
          bus,
          {
            order: (buyerId, update) => io?.local.to(socketRooms.userOrders(buyerId)).emit(SOCKET_EVENTS.order, update),
            session: (sessionId, update) => io?.local.to(socketRooms.sessionSeats(sessionId)).emit(SOCKET_EVENTS.session, update),
            watched: (target) =>
              io?.of("/").adapter.rooms.has("buyerId" in target ? socketRooms.userOrders(target.buyerId) : socketRooms.sessionSeats(target.sessionId)) ?? false,
          },
          logger,
          hooks,
        ),
      );
    },
    async stop() {
      await Promise.all(consumptions.map((c) => c.stop()));
      deltas.close();
      queue.close();
      await new Promise<void>((resolve) => io?.close(() => resolve()) ?? resolve());
    },
  };
}
