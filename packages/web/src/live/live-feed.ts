import type { OrderUpdate, QueueUpdate, SeatsUpdate, SubscribeAck, WaitlistOfferUpdate } from "@rush/contracts";
import type { Socket, io as ioFunction } from "socket.io-client";
import { accessToken } from "../api/http.ts";

/** Mirrors `SOCKET_PATH` and `SOCKET_EVENTS` of `@rush/contracts` (its index pulls node-only code into a bundle). */
const SOCKET_PATH = "/socket.io";

export type FeedState = "connecting" | "live" | "offline";

export interface FeedHandlers {
  /** Subscribed (first time or after a reconnect): deltas after `ack.seq` follow. */
  onSubscribed?(ack: { version: number; seq: number }, reconnected: boolean): void;
  onSeats?(update: SeatsUpdate): void;
  onOrder?(update: OrderUpdate): void;
  onQueue?(update: QueueUpdate): void;
  /** Seats came back and are held for this buyer (waiting list). */
  onWaitlist?(update: WaitlistOfferUpdate): void;
  onState?(state: FeedState, detail?: string): void;
}

export interface LiveFeed {
  close(): void;
}

/**
 * One session's live updates over socket.io, same origin (the gate proxies `/socket.io`).
 * WebSocket first (no sticky sessions needed behind several notification instances), long
 * polling if WebSockets are blocked. The token is read at every (re)connect, so a rotated
 * access token is used; a refused handshake is retried with a refreshed one.
 */
export function openLiveFeed(sessionId: string | undefined, handlers: FeedHandlers): LiveFeed {
  let closed = false;
  let socket: Socket | undefined;
  handlers.onState?.("connecting");
  // socket.io-client is a chunk of its own, loaded beside the map's first requests rather than
  // parsed before the first frame (a third of the app's script on a slow phone).
  import("socket.io-client").then(
    ({ io }) => {
      if (!closed) socket = connect(io, sessionId, handlers, () => closed);
    },
    () => handlers.onState?.("offline", "live updates could not be loaded: check your connection and reload"),
  );
  return {
    close() {
      closed = true;
      socket?.removeAllListeners();
      socket?.disconnect();
    },
  };
}

function connect(io: typeof ioFunction, sessionId: string | undefined, handlers: FeedHandlers, isClosed: () => boolean): Socket {
  let connectedOnce = false;
  const socket: Socket = io({
    path: SOCKET_PATH,
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    auth: (cb) => {
      void accessToken().then((token) => cb({ token: token ?? "" }), () => cb({ token: "" }));
    },
  });

  socket.on("connect", async () => {
    const reconnected = connectedOnce;
    connectedOnce = true;
    if (!sessionId) {
      handlers.onState?.("live");
      return;
    }
    try {
      const ack = (await socket.timeout(5000).emitWithAck("subscribe", { sessionId })) as SubscribeAck;
      if (!ack.ok) throw new Error(ack.error);
      handlers.onState?.("live");
      handlers.onSubscribed?.({ version: ack.version, seq: ack.seq }, reconnected);
    } catch (error) {
      handlers.onState?.("offline", `live updates unavailable: ${(error as Error).message}`);
      // Try again on a fresh connection rather than showing a map that silently stopped updating.
      if (!isClosed()) setTimeout(() => socket.disconnect().connect(), 2000);
    }
  });
  socket.on("disconnect", () => handlers.onState?.("connecting"));
  socket.on("connect_error", async (error) => {
    handlers.onState?.("offline", error.message);
    // A middleware refusal (e.g. an expired token) stops socket.io's own retries.
    if (!socket.active && !isClosed()) {
      await accessToken(true).catch(() => null);
      setTimeout(() => !isClosed() && socket.connect(), 1500);
    }
  });
  socket.on("seats", (update: SeatsUpdate) => handlers.onSeats?.(update));
  socket.on("order", (update: OrderUpdate) => handlers.onOrder?.(update));
  socket.on("queue", (update: QueueUpdate) => handlers.onQueue?.(update));
  socket.on("waitlist", (update: WaitlistOfferUpdate) => handlers.onWaitlist?.(update));
  return socket;
}
