import { ACCESS_TOKEN, AccessTokenClaims, SOCKET_EVENTS, SOCKET_PATH, SocketAuth, type SubscribeAck, SubscribeRequest, socketRooms } from "@rush/contracts";
import { createAdapter } from "@socket.io/redis-adapter";
import { createVerifier } from "fast-jwt";
import type { Server as HttpServer } from "node:http";
import type { Redis } from "ioredis";
import { Server } from "socket.io";
import type { createQueuePositions } from "./queue-positions.ts";
import type { SeatDeltas } from "./seat-deltas.ts";

export interface SocketDeps {
  httpServer: HttpServer;
  jwtSecret: string;
  /** Two connections for the adapter's pub/sub (a subscribed connection can do nothing else). */
  pub: Redis;
  sub: Redis;
  deltas: SeatDeltas;
  queue: ReturnType<typeof createQueuePositions>;
}

/**
 * socket.io on the service's own HTTP server at `/socket.io`, with the Redis adapter so a
 * broadcast from any instance reaches every instance's sockets. The handshake must carry a
 * valid access token (`auth: {token}`); each socket joins its buyer's order room at once and a
 * session's seat room on `subscribe`.
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

  io.on("connection", (socket) => {
    const user = socket.data.user as AccessTokenClaims;
    void socket.join(socketRooms.userOrders(user.sub));
    const watched = new Map<string, Parameters<SocketDeps["queue"]["watch"]>[1]>();

    socket.on(SOCKET_EVENTS.subscribe, async (payload: unknown, ack?: (answer: SubscribeAck) => void) => {
      const request = SubscribeRequest.safeParse(payload);
      if (!request.success) {
        ack?.({ ok: false, error: "send {sessionId} (a UUID)" });
        return;
      }
      const { sessionId } = request.data;
      await socket.join(socketRooms.sessionSeats(sessionId));
      if (!watched.has(sessionId)) {
        const watcher = { userId: user.sub, send: (update: Parameters<typeof socket.emit>[1]) => socket.emit(SOCKET_EVENTS.queue, update) };
        watched.set(sessionId, watcher);
        deps.queue.watch(sessionId, watcher);
      }
      try {
        ack?.({ ok: true, sessionId, ...(await deps.deltas.position(sessionId)) });
      } catch {
        ack?.({ ok: false, error: "temporarily unavailable" });
      }
    });

    socket.on(SOCKET_EVENTS.unsubscribe, async (payload: unknown) => {
      const request = SubscribeRequest.safeParse(payload);
      if (!request.success) return;
      await socket.leave(socketRooms.sessionSeats(request.data.sessionId));
      const watcher = watched.get(request.data.sessionId);
      if (watcher) deps.queue.unwatch(request.data.sessionId, watcher);
      watched.delete(request.data.sessionId);
    });

    socket.on("disconnect", () => {
      for (const [sessionId, watcher] of watched) deps.queue.unwatch(sessionId, watcher);
      watched.clear();
    });
  });
  return io;
}
