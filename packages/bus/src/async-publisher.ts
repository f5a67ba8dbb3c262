import type { PubAck } from "@nats-io/jetstream";
import { type MsgHdrs, type Subscription, headers as natsHeaders } from "@nats-io/transport-node";
import type { Bus } from "./connection.ts";
import { BusError } from "./errors.ts";

/**
 * JetStream publishing with acks, without a request per message: every publish names one
 * shared inbox as its reply subject and the stream's PubAcks are matched there by a single
 * subscription (as Go's PublishAsync does). An actor publishing hundreds of events per batch
 * spends its CPU on the events, not on per-request timers, inboxes and promises.
 */
export interface AsyncPublisher {
  publish(subject: string, data: Uint8Array, options: { msgId?: string; headers?: MsgHdrs }): Promise<PubAck>;
  close(): void;
}

interface Waiting {
  resolve(ack: PubAck): void;
  reject(error: Error): void;
  deadline: number;
}

export function createAsyncPublisher(bus: Bus, options: { timeoutMs?: number } = {}): AsyncPublisher {
  const timeoutMs = options.timeoutMs ?? 5000;
  const prefix = `_INBOX.${bus.nc.info?.client_id ?? "x"}.${Math.random().toString(36).slice(2)}`;
  const waiting = new Map<number, Waiting>();
  let next = 0;
  const decoder = new TextDecoder();

  const sub: Subscription = bus.nc.subscribe(`${prefix}.*`, {
    callback: (error, msg) => {
      if (error) return;
      const id = Number(msg.subject.slice(prefix.length + 1));
      const entry = waiting.get(id);
      if (!entry) return;
      waiting.delete(id);
      try {
        const body = JSON.parse(decoder.decode(msg.data)) as PubAck & { error?: { code: number; description: string } };
        if (body.error) entry.reject(new BusError("BUS_PUBLISH_REJECTED", `${body.error.code}: ${body.error.description}`));
        else entry.resolve(body);
      } catch (cause) {
        entry.reject(new BusError("BUS_PUBLISH_REJECTED", "unreadable PubAck", { cause }));
      }
    },
  });

  // One sweep for every pending ack instead of a timer per message.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, entry] of waiting) {
      if (entry.deadline > now) continue;
      waiting.delete(id);
      entry.reject(new BusError("BUS_PUBLISH_REJECTED", `no PubAck within ${timeoutMs} ms`));
    }
  }, Math.max(50, Math.floor(timeoutMs / 4)));
  sweep.unref();

  return {
    publish(subject, data, publishOptions) {
      const id = next++;
      const headers = publishOptions.headers ?? (publishOptions.msgId ? natsHeaders() : undefined);
      if (publishOptions.msgId) headers?.set("Nats-Msg-Id", publishOptions.msgId);
      return new Promise<PubAck>((resolve, reject) => {
        waiting.set(id, { resolve, reject, deadline: Date.now() + timeoutMs });
        try {
          bus.nc.publish(subject, data, { reply: `${prefix}.${id}`, ...(headers ? { headers } : {}) });
        } catch (error) {
          waiting.delete(id);
          reject(error as Error);
        }
      });
    },
    close() {
      clearInterval(sweep);
      sub.unsubscribe();
      for (const entry of waiting.values()) entry.reject(new BusError("BUS_NOT_CONNECTED", "publisher closed"));
      waiting.clear();
    },
  };
}

/**
 * One shared publisher per connection, for services that publish events one by one from many
 * places (the order and payment services): a request per event (its own inbox, timer and
 * pre-built errors) was an eighth of the order service's CPU in a flash sale. Tied to the
 * connection, so it lives exactly as long as the bus does.
 */
const shared = new WeakMap<Bus, AsyncPublisher>();
export function sharedPublisher(bus: Bus): AsyncPublisher {
  let publisher = shared.get(bus);
  if (!publisher) {
    publisher = createAsyncPublisher(bus);
    shared.set(bus, publisher);
  }
  return publisher;
}
