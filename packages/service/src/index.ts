export { createMetricsApp, createServiceApp, type ServiceAppOptions } from "./app.ts";
export { type Check, natsCheck, postgresCheck, redisCheck } from "./checks.ts";
export { BaseConfig, ConfigError, DEV_JWT_SECRET, DEV_URLS, devDefaultsAllowed, loadConfig, refuseDevDefaults } from "./config.ts";
export { type Running, bootConfig, runService } from "./lifecycle.ts";
export { createLogger, type Logger } from "./logger.ts";
export { consumerMetrics } from "./consumer-metrics.ts";
export { EVENT_LOOP_SAMPLE_MS, createMetrics } from "./metrics.ts";
export { type Periodic, runEvery } from "./periodic.ts";
export { connectRedisSubscriber, createRedis, isRedisCluster, redisNodesOf } from "./redis.ts";
export { coalesceWrites } from "./redis-coalesce.ts";
export { type PipelineResult, type SlotPipeline, getMany, hashSlot, slotPipeline } from "./slot-pipeline.ts";
export { seatReplyLookup } from "./seat-replies.ts";
export { type TrustedProxies, reachedOverTls, trustedProxies, trustedProxyProblem } from "./trusted-proxies.ts";
export { ipGroup } from "./ip-group.ts";
export { installApi } from "./http/api.ts";
export { type RouteAuth, authPlugin } from "./http/auth.ts";
export { accessTokenSigner } from "./http/access-token-signer.ts";
export { HttpProblem, installProblemHandlers, problemBody, sendHttpProblem, sendProblem } from "./http/problem.ts";
export {
  DEV_TICKET_SEED,
  type QrTicket,
  type TicketClaims,
  type TicketKey,
  type TicketSigner,
  createTicketSigner,
  keyIdOf,
  publicKeyOf,
  ticketQr,
  verifyTicketQr,
} from "./ticket-qr.ts";
