import { ACCESS_TOKEN, AccessTokenClaims, SOCKET_EVENTS, SOCKET_PATH, SocketAuth, type SubscribeAck, SubscribeRequest, socketRooms } from "@rush/contracts";
import { createAdapter } from "@socket.io/redis-adapter";
import { createVerifier } from "fast-jwt";
import type { Server as HttpServer } from "node:http";
import type { Redis } from "ioredis";
import { Server } from "socket.io";
import type { createQueuePositions } from "./queue-positions.ts";
import { createMessageBudget } from "./message-budget.ts";
import type { SeatDeltas } from "./seat-deltas.ts";
import type { SessionLookup } from "./session-lookup.ts";

export interface SocketDeps {
  httpServer: HttpServer;
  jwtSecret: string;
  /** Two connections for the adapter's pub/sub (a subscribed connection can do nothing else). */
  pub: Redis;
  sub: Redis;
  deltas: SeatDeltas;
  queue: ReturnType<typeof createQueuePositions>;
  sessions: SessionLookup;
  limits: SocketLimits;
  now?: () => number;
}

export interface SocketLimits {
  /** Sessions one socket may watch at once. */
  maxSubscriptions: number;
  /** Messages per second per socket after a burst; a socket that keeps pushing past it is disconnected. */
  messagesPerSecond: number;
  messageBurst: number;
}

type Ack = (answer: SubscribeAck) => void;
const refuse = (ack: Ack | undefined, error: string) => ack?.({ ok: false, error });

/**
 * socket.io on the service's own HTTP server at `/socket.io`, with the Redis adapter so a
 * broadcast from any instance reaches every instance's sockets. The handshake must carry a
 * valid access token (`auth: {token}`); each socket joins its buyer's order room at once and a
 * session's seat room on `subscribe`. One socket costs bounded work: at most
 * `maxSubscriptions` sessions, only sessions that exist (looked up through a bounded cache),
 * and a message budget; a socket that keeps sending past its budget is disconnected.
 */
export function createSocketServer(deps: SocketDeps): Server {
  const verify = createVerifier({
    key: deps.jwtSecret,
    algorithms: ["HS256"],
    allowedIss: ACCESS_TOKEN.issuer,
    allowedAud: ACCESS_TOKEN.audience,
  });
  const io = new Server(deps.httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    adapter: createAdapter(deps.pub, deps.sub),
    // Seat deltas are small; a slow client must not hold megabytes.
    maxHttpBufferSize: 16 * 1024,
  });

  io.use((socket, next) => {
    const auth = SocketAuth.safeParse(socket.handshake.auth);
    if (!auth.success) return next(new Error("unauthorized: send auth {token}"));
    try {
      socket.data.user = AccessTokenClaims.parse(verify(auth.data.token));
      next();
    } catch {
      next(new Error("unauthorized: the token does not verify"));
    }
  });

  const now = deps.now ?? Date.now;
  const { limits } = deps;
  io.on("connection", (socket) => {
    const user = socket.data.user as AccessTokenClaims;
    void socket.join(socketRooms.userOrders(user.sub));
    const watched = new Map<string, Parameters<SocketDeps["queue"]["watch"]>[1]>();
    const budget = createMessageBudget({ perSecond: limits.messagesPerSecond, burst: limits.messageBurst }, now());

    socket.use((packet, next) => {
      if (budget.take(now())) return next();
      const ack = packet.at(-1);
      if (typeof ack === "function") refuse(ack as Ack, "rate limited: slow down");
      // Well past its budget and still sending: not a browser tab, cut it off.
      if (budget.refusedInARow >= limits.messageBurst * 5) socket.disconnect(true);
    });

    socket.on(SOCKET_EVENTS.subscribe, async (payload: unknown, ack?: Ack) => {
      const request = SubscribeRequest.safeParse(payload);
      if (!request.success) return refuse(ack, "send {sessionId} (a UUID)");
      const { sessionId } = request.data;
      const full = () => !watched.has(sessionId) && watched.size >= limits.maxSubscriptions;
      const tooMany = `at most ${limits.maxSubscriptions} subscriptions per connection: unsubscribe first`;
      if (full()) return refuse(ack, tooMany);
      try {
        if (!(await deps.sessions.get(sessionId))) return refuse(ack, "no such session");
      } catch {
        return refuse(ack, "temporarily unavailable");
      }
      // Again: this socket's other subscribes may have taken the last slot while the lookup waited.
      if (socket.disconnected || full()) return refuse(ack, tooMany);
      if (!watched.has(sessionId)) {
        const watcher = { userId: user.sub, send: (update: Parameters<typeof socket.emit>[1]) => socket.emit(SOCKET_EVENTS.queue, update) };
        watched.set(sessionId, watcher);
        deps.queue.watch(sessionId, watcher);
      }
      await socket.join(socketRooms.sessionSeats(sessionId));
      try {
        ack?.({ ok: true, sessionId, ...(await deps.deltas.position(sessionId)) });
      } catch {
        refuse(ack, "temporarily unavailable");
      }
    });

    socket.on(SOCKET_EVENTS.unsubscribe, async (payload: unknown) => {
      const request = SubscribeRequest.safeParse(payload);
      if (!request.success) return;
      // The slot is free at once: a subscribe sent right after must find it.
      const watcher = watched.get(request.data.sessionId);
      if (watcher) deps.queue.unwatch(request.data.sessionId, watcher);
      watched.delete(request.data.sessionId);
      await socket.leave(socketRooms.sessionSeats(request.data.sessionId));
    });

    socket.on("disconnect", () => {
      for (const [sessionId, watcher] of watched) deps.queue.unwatch(sessionId, watcher);
      watched.clear();
    });
  });
  return io;
}
