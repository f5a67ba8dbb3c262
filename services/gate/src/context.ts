import type { FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import type { Clock } from "./clock.ts";
import type { GateConfig } from "./config.ts";
import type { LiveHolds } from "./holds/live-holds.ts";
import type { GateMetrics } from "./metrics.ts";
import type { SeatCommands } from "./holds/seat-commands.ts";
import type { SessionSettingsStore } from "./sessions/session-settings.ts";
import type { AdmissionTokens } from "./waiting-room/admission-token.ts";
import type { WaitingRoom } from "./waiting-room/waiting-room.ts";

/** What the route plugins share, built once by `buildApp`. */
export interface GateContext {
  readonly config: GateConfig;
  readonly redis: Redis;
  readonly clock: Clock;
  readonly sessions: SessionSettingsStore;
  readonly seatCommands: SeatCommands;
  readonly liveHolds: LiveHolds;
  readonly waitingRoom: WaitingRoom;
  readonly admission: AdmissionTokens;
  /** The caller for per-IP limits and bot signals: its address, an IPv6 one widened to its /64. */
  readonly clientIp: (request: FastifyRequest) => string;
  readonly metrics: GateMetrics;
}
