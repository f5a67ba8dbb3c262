import type { JsMsg } from "@nats-io/jetstream";
import { type Bus, REPLY_TO_HEADER, createAsyncPublisher, decodeSeatCommands, headersFor, traceContextOf } from "@rush/bus";
import { type SeatReply, STREAMS, seatCommandSubject } from "@rush/contracts";
import { AckTracker } from "../src/ack-tracker.ts";
import { type Outgoing, groupRejections } from "../src/outgoing.ts";

const encoder = new TextEncoder();

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
  const tracker = new AckTracker((error) => {
    console.error("no-op actor: an event was not stored", error);
    process.exit(1);
  });
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
      // Answers per message: a lone command gets its reply, a batch one array of replies.
      const replies: [string, string][] = [];
      const acks: Promise<unknown>[] = [];
      for (const msg of batch) {
        const read = decodeSeatCommands(msg.data);
        const trace = traceContextOf(msg.headers);
        const texts: string[] = [];
        const events: Outgoing[] = [];
        for (const { command } of read.entries) {
          const reply: SeatReply = { commandId: command.commandId, partition, seq: msg.seq, events: [] };
          const text = JSON.stringify(reply);
          texts.push(text);
          // Stands in for the command's refusal event, grouped per command message as the actor does.
          events.push({ subject: `seat.lock.failed.${partition}`, type: "HoldRejected", text, msgId: `${reply.commandId}:0`, trace });
        }
        for (const out of read.batch ? groupRejections(events) : events) {
          acks.push(publisher.publish(out.subject, encoder.encode(out.text), { msgId: out.msgId, headers: headersFor(out.trace, out.type) }));
        }
        const to = msg.headers?.get(REPLY_TO_HEADER);
        if (to && texts.length > 0) replies.push([to, read.batch ? `[${texts.join(",")}]` : texts[0]!]);
      }
      // As the actor: the reply does not wait for the PubAcks, the stream is given a bound instead.
      for (const [to, text] of replies) bus.nc.publish(to, text);
      tracker.track(acks);
      if (tracker.full) await tracker.confirmed();
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
