import type { JsMsg } from "@nats-io/jetstream";
import { type Bus, REPLY_TO_HEADER, createAsyncPublisher, decode, encode, headersFor, traceContextOf } from "@rush/bus";
import { SeatCommand, SeatReply, STREAMS, seatCommandSubject } from "@rush/contracts";

/**
 * The architecture's ceiling: the same consume → publish an event → reply loop as the actor,
 * batched and published the same way, with no engine and no Redis. What the real actor reaches of this
 * figure is what the seat logic and the fence cost.
 */
export async function startNoopActor(bus: Bus, partition: number, batchMax: number): Promise<{ stop(): void }> {
  const consumer = await bus.js.consumers.get(STREAMS.seatCommands, { filter_subjects: seatCommandSubject(partition) });
  const queue: JsMsg[] = [];
  let wake: (() => void) | undefined;
  let stopped = false;
  // The same publishing path as the real actor: one shared PubAck inbox, traced headers.
  const publisher = createAsyncPublisher(bus);
  const messages = await consumer.consume({
    max_messages: batchMax * 2,
    callback: (m) => {
      queue.push(m);
      wake?.();
    },
  });
  void (async () => {
    while (!stopped) {
      if (queue.length === 0) {
        await new Promise<void>((r) => {
          wake = r;
        });
        continue;
      }
      const batch = queue.splice(0, batchMax);
      const replies: [string, SeatReply][] = [];
      await Promise.all(
        batch.map((msg) => {
          const decoded = decode(SeatCommand, msg.data);
          if (!decoded.ok) return undefined;
          const reply: SeatReply = { commandId: decoded.value.commandId, partition, seq: msg.seq, events: [] };
          const to = msg.headers?.get(REPLY_TO_HEADER);
          if (to) replies.push([to, reply]);
          return publisher.publish(`seat.lock.failed.${partition}`, encode(SeatReply, reply), {
            msgId: `${reply.commandId}:0`,
            headers: headersFor(traceContextOf(msg.headers), "HoldRejected"),
          });
        }),
      );
      for (const [to, reply] of replies) bus.nc.publish(to, encode(SeatReply, reply));
    }
  })();
  return {
    stop: () => {
      stopped = true;
      publisher.close();
      messages.stop();
      wake?.();
    },
  };
}
