import { SOCKET_PATH, type SeatsUpdate, type SubscribeAck } from "@rush/contracts";
import { type Socket, io } from "socket.io-client";

/** A socket.io client that records what it receives, for assertions. */
export interface LiveClient {
  socket: Socket;
  seats: SeatsUpdate[];
  orders: { orderId: string; status: string }[];
  /** The latest status of each seat of `sessionId` seen in deltas. */
  seatStatus(sessionId: string, seatId: string): string | undefined;
  subscribe(sessionId: string): Promise<SubscribeAck>;
  close(): void;
}

export async function connectLive(baseUrl: string, token: string): Promise<LiveClient> {
  const socket = io(baseUrl, { path: SOCKET_PATH, auth: { token }, transports: ["websocket"], reconnection: false });
  const seats: SeatsUpdate[] = [];
  const orders: { orderId: string; status: string }[] = [];
  socket.on("seats", (update: SeatsUpdate) => seats.push(update));
  socket.on("order", (update: { orderId: string; status: string }) => orders.push(update));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return {
    socket,
    seats,
    orders,
    seatStatus(sessionId, seatId) {
      let status: string | undefined;
      for (const update of seats) {
        if (update.sessionId !== sessionId) continue;
        for (const change of update.changes) if (change.id === seatId) status = change.status;
      }
      return status;
    },
    subscribe: (sessionId) => socket.emitWithAck("subscribe", { sessionId }) as Promise<SubscribeAck>,
    close: () => socket.close(),
  };
}
