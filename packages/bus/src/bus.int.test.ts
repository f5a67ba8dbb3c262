import { STREAMS, seatCommandSubject } from "@rush/contracts";
import { type NatsServer, startNats } from "@rush/testkit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { type Bus, connectBus } from "./connection.ts";
import { consume } from "./consume.ts";
import { type ConsumeBatchesOptions, consumeBatches } from "./consume-batches.ts";
import { decode } from "./codec.ts";
import { headersFor, newTraceContext } from "./headers.ts";
import { publish } from "./publish.ts";
import { ensureTopology, loadTopology } from "./topology.ts";

const Ping = z.object({ n: z.number().int() });

describe("bus", () => {
  let server: NatsServer;
  let bus: Bus;

  beforeAll(async () => {
    server = await startNats();
    bus = await connectBus({ servers: server.url, name: "bus-int-test" });
    await ensureTopology(bus, await loadTopology());
  });
  afterAll(async () => {
    await bus?.close();
    await server?.dispose();
  });

  it("bus: topology creates every stream and bucket from nats/, and applying it again changes nothing", async () => {
    const topology = await loadTopology();
    const names: string[] = [];
    for await (const s of bus.jsm.streams.list()) names.push(s.config.name);
    for (const stream of topology.streams) expect(names).toContain(stream.name);
    for (const kv of topology.kv) expect(names).toContain(`KV_${kv.bucket}`);
    expect(Object.values(STREAMS).every((s) => names.includes(s))).toBe(true);

    const before = await bus.jsm.streams.info(STREAMS.seatCommands);
    await ensureTopology(bus, topology);
    const after = await bus.jsm.streams.info(STREAMS.seatCommands);
    expect(after.created).toBe(before.created);
    expect(after.config.duplicate_window).toBe(120_000_000_000);
  });

  it("bus: a message id is published once within the duplicate window", async () => {
    const subject = seatCommandSubject(7);
    const first = await publish(bus, subject, Ping, { n: 1 }, { msgId: "cmd-dup-1" });
    const second = await publish(bus, subject, Ping, { n: 1 }, { msgId: "cmd-dup-1" });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
  });

  it("bus: publish refuses a payload that breaks its schema", () => {
    expect(() => publish(bus, seatCommandSubject(1), Ping, { n: 1.5 })).toThrow();
  });

  it("bus: a JetStream message survives a nats-server restart", async () => {
    const subject = seatCommandSubject(3);
    const ack = await publish(bus, subject, Ping, { n: 42 }, { msgId: "survivor", trace: newTraceContext("corr-1") });
    await server.stop();
    await server.start();
    // The client reconnects by itself (no new connection here); the stream is read back from the file store.
    const msg = await vi.waitFor(() => bus.jsm.streams.getMessage(STREAMS.seatCommands, { seq: ack.seq }), { timeout: 15_000, interval: 200 });
    expect(msg).not.toBeNull();
    expect(decode(Ping, msg!.data)).toEqual({ ok: true, value: { n: 42 } });
    expect(msg!.header.get("correlation-id")).toBe("corr-1");
    expect(msg!.header.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it("bus: consume hands valid messages to the handler and terminates poison ones", async () => {
    await bus.jsm.consumers.add(STREAMS.orders, {
      durable_name: "bus-test",
      ack_policy: "explicit" as never,
      filter_subject: "order.test.>",
      ack_wait: 5_000_000_000,
    });
    const seen: number[] = [];
    const errors: string[] = [];
    const consumption = await consume(bus, {
      stream: STREAMS.orders,
      consumer: "bus-test",
      schema: Ping,
      logger: { warn: () => {}, error: (_o, msg) => errors.push(msg) },
      handle: async (value) => {
        seen.push(value.n);
      },
    });
    await bus.js.publish("order.test.1", new TextEncoder().encode("{not json"), { headers: headersFor(undefined) });
    await publish(bus, "order.test.2", Ping, { n: 5 });
    await expect.poll(() => seen, { timeout: 5000 }).toEqual([5]);
    await expect.poll(() => errors.length, { timeout: 5000 }).toBe(1);
    await consumption.stop();
    // Acks and terms are fire-and-forget publishes: give the server a moment to count them.
    await expect
      .poll(async () => {
        const info = await bus.jsm.consumers.info(STREAMS.orders, "bus-test");
        return { ackPending: info.num_ack_pending, pending: info.num_pending };
      }, { timeout: 5000 })
      .toEqual({ ackPending: 0, pending: 0 });
  });
  /**
   * Five acked publishes to `order.<name>.>`, one after another, for a batch consumer with `hooks`:
   * without a linger each would be handled on its own. Resolves once `handled()` counts all five
   * and the consumer has stopped with nothing left unacked.
   */
  const oneByOne = async (name: string, hooks: Pick<ConsumeBatchesOptions<{ n: number }>, "handleBatch" | "lingerMs" | "ahead">, handled: () => number) => {
    await bus.jsm.consumers.add(STREAMS.orders, {
      durable_name: name,
      ack_policy: "explicit" as never,
      filter_subject: `order.${name}.>`,
      ack_wait: 5_000_000_000,
    });
    const consumption = await consumeBatches(bus, {
      stream: STREAMS.orders,
      consumer: name,
      schema: Ping,
      logger: { warn: () => {}, error: () => {} },
      handle: async () => {
        throw new Error("a batch that succeeds is not settled one by one");
      },
      ...hooks,
    });
    for (let n = 1; n <= 5; n++) await publish(bus, `order.${name}.${n}`, Ping, { n });
    await expect.poll(handled, { timeout: 10_000 }).toBe(5);
    await consumption.stop();
    await expect.poll(async () => (await bus.jsm.consumers.info(STREAMS.orders, name)).num_ack_pending, { timeout: 5000 }).toBe(0);
  };
  it("bus: consumeBatches with lingerMs gathers messages that arrive one by one into one batch, and acks them all", async () => {
    const batches: number[][] = [];
    // Far longer than five acked publishes take, even on a busy machine.
    await oneByOne("bus-linger", { lingerMs: 1_500, handleBatch: async (items) => void batches.push(items.map((item) => item.value.n)) }, () => batches.flat().length);
    expect(batches).toEqual([[1, 2, 3, 4, 5]]);
  });
  it("bus: consumeBatches' ahead.lingerMs hands the arrivals of its linger over in one call, before their batch", async () => {
    const ahead: number[][] = [];
    const batches: { values: number[]; aheadCallsBefore: number }[] = [];
    await oneByOne(
      "bus-ahead-linger",
      {
        // Both far longer than five acked publishes take; the work ahead's the shorter.
        lingerMs: 3_000,
        ahead: { pick: () => true, handle: async (items) => void ahead.push(items.map((item) => item.value.n)), lingerMs: 1_500 },
        handleBatch: async (items) => void batches.push({ values: items.map((item) => item.value.n), aheadCallsBefore: ahead.length }),
      },
      () => batches.flatMap((batch) => batch.values).length,
    );
    expect(ahead).toEqual([[1, 2, 3, 4, 5]]);
    // Still each handled and acked in its batch, after the work ahead.
    expect(batches).toEqual([{ values: [1, 2, 3, 4, 5], aheadCallsBefore: 1 }]);
  });
});
