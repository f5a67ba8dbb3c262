import { BaseConfig, DEV_JWT_SECRET, DEV_URLS, loadConfig, refuseDevDefaults, trustedProxyProblem } from "@rush/service";
import { WEB_DIST } from "@rush/web/server";
import { z } from "zod";
import { ACCEPT_HANDLES } from "./accept-handles.ts";

const DEV_ADMISSION_SECRET = "rush-dev-admission-secret-change-me";

/** Requests allowed per window, per caller, for one class of routes. */
const Limit = z.object({ user: z.int().min(1), ip: z.int().min(1) });

/** The route classes and their default limits (per 10 s window unless RATE_LIMIT_WINDOW_MS says otherwise). */
export const DEFAULT_RATE_LIMITS = {
  /** Identity: login and register attempts (brute force). */
  auth: { user: 20, ip: 50 },
  /** Reads: seat maps, holds, commands, proxied catalog reads. */
  read: { user: 100, ip: 1000 },
  /** Waiting room joins and polls. */
  queue: { user: 20, ip: 500 },
  /** Hold and release commands. */
  hold: { user: 10, ip: 300 },
  /** Organizer writes forwarded to the catalog. */
  write: { user: 50, ip: 200 },
} as const;
export type RateClass = keyof typeof DEFAULT_RATE_LIMITS;

const RateLimits = z.object({
  auth: Limit.default(DEFAULT_RATE_LIMITS.auth),
  read: Limit.default(DEFAULT_RATE_LIMITS.read),
  queue: Limit.default(DEFAULT_RATE_LIMITS.queue),
  hold: Limit.default(DEFAULT_RATE_LIMITS.hold),
  write: Limit.default(DEFAULT_RATE_LIMITS.write),
});

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const json = <S extends z.ZodType>(schema: S) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "not JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);

export const GateConfig = BaseConfig.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /**
   * Connections the kernel keeps ready for the gate to accept (capped by net.core.somaxconn).
   * Node (libuv ≥ 1.45) accepts one connection per event-loop turn, so a busy gate takes a few
   * dozen new connections a second; in a 2,000-buyer burst Node's 511 filled, every SYN past it
   * was dropped, and each buyer's TCP tried again after 1, 3, 7, 15, 31 s (the queue joins'
   * 7 s and 49 s p99). Queued here instead, a connection waits only until the gate gets to it.
   */
  LISTEN_BACKLOG: z.coerce.number().int().min(1).max(65535).default(4096),
  /**
   * Gate processes sharing the port (processes.ts), each accepting on GATE_ACCEPT_HANDLES copies of the
   * socket the primary binds (accept-handles.ts), so a burst of new connections drains 8 per
   * process per loop turn. 1 (without GATE_ACCEPT_HANDLES) runs the gate in this process alone, one
   * accept per turn: behind a proxy that keeps its connections (k8s), new connections are rare.
   */
  GATE_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * Copies of the listening socket each gate process accepts on (accept-handles.ts). Unset: 8 with
   * several processes; one process alone listens on its port itself (one accept per turn). Set with
   * GATE_PROCESSES=1, the one process runs under a primary that binds the port and hands it the
   * copies, as with several: `./scripts/start` runs one process with 16, since at half the
   * saturated rate one event loop gathers twice the holds per linger (HOLD_LINGER_MS) that each of
   * two did: the stack spent ~10 % less CPU a hold, at saturation and at half load, and carried
   * more holds in all seven pairs (docs/benchmarks.md, `## http`, 5 Dec 2026 10:25).
   */
  GATE_ACCEPT_HANDLES: z.coerce.number().int().min(1).max(64).optional(),
  /** `/metrics` is served here only, not on the public port: PORT + 100 (8180) unless set. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The metrics listener's address: loopback unless a deployment lets Prometheus in. */
  METRICS_HOST: z.string().default("127.0.0.1"),
  /** Names this instance in logs and in the NATS reply subject. */
  INSTANCE_ID: z.string().regex(/^[A-Za-z0-9_#-]+$/).optional(),
  JWT_SECRET: z.string().min(16).default(DEV_JWT_SECRET),
  /** Signs admission tokens and proof-of-work challenges (the gate's own, not identity's). */
  ADMISSION_SECRET: z.string().min(16).default(DEV_ADMISSION_SECRET),
  CATALOG_URL: z.url().default("http://127.0.0.1:8105"),
  CATALOG_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * How long a seat-map page (`/sessions/:id`) waits for its first data (session, seat states) to
   * carry in its HTML before going out without it. Waiting pays while it is shorter than the
   * script's download plus one round trip, which is what the app would spend asking itself.
   */
  PAGE_DATA_TIMEOUT_MS: z.coerce.number().int().min(0).default(1000),
  /** Publishing a large session waits for every area to load (the catalog gives up at 120 s). */
  PUBLISH_TIMEOUT_MS: z.coerce.number().int().positive().default(130_000),
  ORDER_URL: z.url().default("http://127.0.0.1:8102"),
  PAYMENT_URL: z.url().default("http://127.0.0.1:8103"),
  /** socket.io (live updates), reached on the gate's origin at `/socket.io`. */
  NOTIFICATION_URL: z.url().default("http://127.0.0.1:8104"),
  /**
   * The mail worker (development only): its outbox page is proxied at `/dev/outbox` when
   * NODE_ENV is development or test; with production rules it is never served.
   */
  MAIL_URL: z.url().optional(),
  /**
   * Pays in flight to the payment service at once, per gate process (the rest queue in the gate,
   * where no upstream timeout runs yet). When the machine is the limit, every pay in flight shares
   * the payment service's CPU: with 128 per process (256 with two) a pay took 4.0–4.6 s inside it
   * at a flash sale's peak, the slowest over UPSTREAM_TIMEOUT_MS (17 × 504), and all finished
   * late together. With 32, 1.0–1.3 s inside, no 504, and pay p50 3–4 s sooner for the same
   * buyers (docs/benchmarks.md, `## load run`, 3 Dec 12:00). A provider with real network latency
   * (Stripe) keeps a pay in flight longer: raise it there (in-flight = pays/s × seconds a pay takes).
   */
  PAYMENT_CONNECTIONS: z.coerce.number().int().min(1).max(4096).default(32),
  /** Orders, payments, notifications: how long the gate waits for them. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** The browser app's build (`pnpm --filter @rush/web build`); empty serves the API only. */
  WEB_DIST: z.string().default(WEB_DIST),
  /** Seat engine partitions: must match the ticket workers'. */
  PARTITIONS: z.coerce.number().int().positive().default(64),
  /** How long a hold request waits for the actor before answering 202 with a command id. */
  HOLD_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2000),
  /**
   * Hold requests arriving within this many milliseconds of each other start together, so each hop
   * after the gate carries them as one batch (plugins/hold-linger.ts): at half the saturated rate
   * a hold cost the machine ~13 % less CPU with 4 ms; with one gate process, 6 ms cost ~15 % less
   * than 4 and kept the half-load p99 under 50 ms in three runs of three, p50 about the same.
   * 0 turns it off.
   */
  HOLD_LINGER_MS: z.coerce.number().int().min(0).max(60_000).default(6),
  /** Holds gathered that go at once without waiting out HOLD_LINGER_MS. */
  HOLD_LINGER_MAX: z.coerce.number().int().min(1).max(1024).default(32),
  /** How long seats offered to a waiting-list buyer stay held for them before passing to the next. */
  WAITLIST_OFFER_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
  /** Unauthenticated identity routes (login, register, refresh, logout): anyone can send them. */
  SMALL_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(16 * 1024),
  /** Venue uploads only (a seat map can be large); every other route has `BODY_LIMIT_BYTES`. */
  PROXY_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  /**
   * A seat map is served up to this long after it changed (0: always the latest). A buyer's own
   * holds are always shown as they are; the live feed (socket.io) carries every change at once.
   */
  SEAT_MAP_REFRESH_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Sale settings read from Postgres are reused this long. */
  SESSION_CACHE_MS: z.coerce.number().int().min(0).default(2000),
  /** Trust `X-Forwarded-For` from a load balancer in front (true, or a hop count / CIDR list). */
  TRUST_PROXY: z.string().default("false"),
  /**
   * A `Server-Timing` header on hold answers (201, 202) saying where the gate's milliseconds went:
   * `pre` (receipt → handler: the IP limit, the body, auth), `begin` (the buyer's Redis script),
   * `engine` (command sent → the actor's answer) and `total`. Off unless set: it tells any caller
   * how long the gate's insides took. `pnpm bench http` turns it on to say where slow holds waited.
   */
  SERVER_TIMING: bool.default(false),

  ADMISSION_TTL_SECONDS: z.coerce.number().int().positive().default(600),
  /** Shuffle everyone who joined before the sale starts (a fair draw instead of a race). */
  WAITING_ROOM_SHUFFLE: bool.default(true),

  RATE_LIMIT_ENABLED: bool.default(true),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().positive().default(10_000),
  /** Per class `{user, ip}` overrides, as JSON, e.g. `{"hold":{"user":5,"ip":100}}`. */
  RATE_LIMITS: json(RateLimits).default(RateLimits.parse({})),

  /** Live holds one buyer may have in one session at once. */
  MAX_LIVE_HOLDS_PER_BUYER: z.coerce.number().int().positive().default(3),
  /** How long after HOLD_WAIT_MS a hold whose fate is still unknown counts against that cap. */
  LIVE_HOLD_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
  /** A queue join scoring this much (0–100) must solve a proof-of-work challenge; above 100 disables it. */
  BOT_CHALLENGE_SCORE: z.coerce.number().int().min(0).default(50),
  /** Leading zero bits asked of a proof of work (each bit doubles the work; 20 ≈ a second in a browser). */
  BOT_POW_DIFFICULTY: z.coerce.number().int().min(0).max(32).default(18),
  BOT_POW_TTL_SECONDS: z.coerce.number().int().positive().default(120),
  /**
   * Distinct accounts seen from one IP within an hour before it counts against the score. A
   * flash sale brings households, offices, campuses and mobile carriers' NATs (many buyers
   * behind one address) all at once: 5 challenged a third of a 2,000-buyer burst from 249
   * addresses. 16 still flags an account farm behind one address.
   */
  BOT_ACCOUNTS_PER_IP: z.coerce.number().int().positive().default(16),
  /** Queue requests by one user within 10 s before it counts against the score. */
  BOT_CADENCE_MAX: z.coerce.number().int().positive().default(15),
}).superRefine((config, ctx) => {
  const trust = trustProxyOf(config.TRUST_PROXY);
  for (const entry of typeof trust === "object" ? trust : []) {
    const problem = trustedProxyProblem(entry);
    if (problem) ctx.addIssue({ code: "custom", path: ["TRUST_PROXY"], message: problem });
  }
  refuseDevDefaults(ctx, config, { ...DEV_URLS, JWT_SECRET: DEV_JWT_SECRET, ADMISSION_SECRET: DEV_ADMISSION_SECRET });
});
export type GateConfig = z.infer<typeof GateConfig>;

/**
 * How the gate runs: alone in this process (listening on its port), or as `processes` workers
 * under a primary that binds the port once and hands each `acceptHandles` copies of it.
 */
export function gateProcessesOf(config: Pick<GateConfig, "GATE_PROCESSES" | "GATE_ACCEPT_HANDLES">): { supervised: boolean; processes: number; acceptHandles: number } {
  const acceptHandles = config.GATE_ACCEPT_HANDLES ?? (config.GATE_PROCESSES > 1 ? ACCEPT_HANDLES : 1);
  return { supervised: config.GATE_PROCESSES > 1 || config.GATE_ACCEPT_HANDLES !== undefined, processes: config.GATE_PROCESSES, acceptHandles };
}

/** Parses the environment once at boot; throws naming every bad key. */
/** Where `/metrics` is served: METRICS_PORT, else the public port + 100 (none when the port is picked by the system). */
export const metricsPortOf = (config: Pick<GateConfig, "PORT" | "METRICS_PORT">): number =>
  config.METRICS_PORT ?? (config.PORT === 0 ? 0 : config.PORT + 100);

export function loadGateConfig(env: NodeJS.ProcessEnv = process.env): GateConfig {
  return loadConfig(GateConfig, env);
}

/** Fastify's `trustProxy` from `TRUST_PROXY`: a boolean, a hop count, or a list of addresses and CIDR ranges. */
export function trustProxyOf(value: string): boolean | number | string[] {
  if (value === "true") return true;
  if (value === "false" || value === "") return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}
