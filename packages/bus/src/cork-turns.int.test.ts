import type { Writable } from "node:stream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type NatsServer, startNats } from "@rush/testkit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Bus, connectBus, socketOf } from "./connection.ts";

/** Counts the writes a socket hands the kernel (`_write` for one chunk, `_writev` for several). */
function countWrites(socket: Writable): { readonly count: number } {
  const counter = { count: 0 };
  const internal = socket as unknown as { _write: (...a: unknown[]) => void; _writev?: (...a: unknown[]) => void };
  const one = internal._write;
  internal._write = function (...args: unknown[]) {
    counter.count++;
    return one.apply(this, args);
  };
  const many = internal._writev;
  if (many) {
    internal._writev = function (...args: unknown[]) {
      counter.count++;
      return many.apply(this, args);
    };
  }
  return counter;
}

/**
 * Publishes `count` messages from as many callbacks of one turn (each its own macrotask, so
 * nats.js flushes after each) and waits until a listener on another connection has them all;
 * answers how many writes the publisher's socket made and what the listener heard, in order.
 */
async function publishInOneTurn(publisher: NatsConnection, listener: NatsConnection, subject: string, count = 20) {
  const heard: string[] = [];
  const sub = listener.subscribe(subject, {
    max: count,
    callback: (_err, msg) => {
      heard.push(msg.string());
    },
  });
  await listener.flush();
  const writes = countWrites(socketOf(publisher)!);
  const before = writes.count;
  await new Promise<void>((done) => {
    for (let i = 0; i < count; i++) setImmediate(() => publisher.publish(subject, String(i)));
    setImmediate(done);
  });
  await vi.waitFor(() => expect(heard).toHaveLength(count), { timeout: 5_000 });
  await sub.closed;
  return { writes: writes.count - before, heard };
}

describe("a bus connection's writes of one turn", () => {
  let server: NatsServer;
  let bus: Bus;
  let listener: NatsConnection;

  beforeAll(async () => {
    server = await startNats();
    bus = await connectBus({ servers: server.url, name: "cork-test" });
    listener = await connect({ servers: server.url, name: "cork-test-listener", maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  });
  afterAll(async () => {
    await listener?.close();
    await bus?.close();
    await server?.dispose();
  });

  it("twenty publishes from twenty callbacks of one turn leave in one write, all heard in order; a plain connection writes each alone", async () => {
    const corked = await publishInOneTurn(bus.nc, listener, "cork.a");
    expect(corked.heard).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(corked.writes).toBe(1);
    const plain = await connect({ servers: server.url, name: "cork-test-plain" });
    try {
      const alone = await publishInOneTurn(plain, listener, "cork.b");
      expect(alone.heard).toEqual(corked.heard);
      expect(alone.writes).toBe(20);
    } finally {
      await plain.close();
    }
  });

  it("after nats-server restarts, the socket the connection dials anew is corked too", async () => {
    const first = socketOf(bus.nc);
    await server.stop();
    await server.start();
    await vi.waitFor(
      async () => {
        expect(socketOf(bus.nc)).not.toBe(first);
        await bus.nc.flush();
        await listener.flush();
      },
      { timeout: 15_000, interval: 100 },
    );
    const again = await publishInOneTurn(bus.nc, listener, "cork.c");
    expect(again.heard).toHaveLength(20);
    expect(again.writes).toBe(1);
  });
});
