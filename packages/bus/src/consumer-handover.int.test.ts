import type { JsMsg } from "@nats-io/jetstream";
import { type NatsServer, startNats } from "@rush/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type Bus, connectBus } from "./connection.ts";
import { type Consumption, consume } from "./consume.ts";
import { consumeBatches } from "./consume-batches.ts";
import { publish } from "./publish.ts";

const Ping = z.object({ n: z.number().int(), pad: z.string() });
const STREAM = "HANDOVER_TEST";
/** As in `nats/consumers`: a message lost on its way to the client comes back only after this. */
const ACK_WAIT_MS = 30_000;
/** Far below the ack wait: past it, some message of the burst waited for a redelivery. */
const HANDLED_WITHIN_MS = 10_000;
/** Enough bytes that the burst reaches the client over many socket reads, not one. */
const BURST = 400;
const PAD = "x".repeat(4_096);
const ROUNDS = 3;
const quiet = { warn: () => {}, error: () => {} };

/**
 * A renewal (after a reconnect, or two missed heartbeats) reads on through a fresh pull. The old
 * pull's messages must not be dropped on the way: the client's own recovery of the old pull asks
 * the server for messages at the same moment, and whatever the server sends to the old pull after
 * the client stopped listening counts as delivered and comes back only after the ack wait (30 s):
 * on the cluster that held orders back long enough for pays to give up with 503 `order_pending`.
 * Each round reconnects the consumer's client and stores a burst as it comes back, then expects
 * every message handled once, on its first delivery, within seconds.
 */
describe("bus: a renewed consumer loses nothing the old pull was sent", () => {
  let server: NatsServer;
  let bus: Bus;
  let publisher: Bus;
  let n = 0;

  beforeAll(async () => {
    server = await startNats();
    bus = await connectBus({ servers: server.url.split(","), name: "bus-handover-consumer" });
    // Its own connection: the burst is stored while the consumer's client is away.
    publisher = await connectBus({ servers: server.url.split(","), name: "bus-handover-publisher" });
    await bus.jsm.streams.add({ name: STREAM, subjects: ["handover.>"], storage: "file" as never, num_replicas: server.replicas });
  });
  afterAll(async () => {
    await bus?.close();
    await publisher?.close();
    await server?.dispose();
  });

  interface Seen {
    handled: Map<number, { at: number; deliveries: number[] }>;
  }
  const record = (seen: Seen, value: { n: number }, msg: JsMsg) => {
    const entry = seen.handled.get(value.n) ?? { at: Date.now(), deliveries: [] };
    entry.deliveries.push(msg.info.deliveryCount);
    seen.handled.set(value.n, entry);
  };

  const round = async (subject: string, seen: Seen) => {
    const warm = ++n;
    await publish(publisher, subject, Ping, { n: warm, pad: "" });
    await expect.poll(() => seen.handled.has(warm), { timeout: 10_000 }).toBe(true);

    // The burst goes out the moment the client is back: while the client's own recovery of the
    // old pull re-pulls and the renewal replaces that pull. (Sent while the client is away, it
    // would go to the dying connection and be lost whatever the renewal does.)
    const back = (async () => {
      for await (const status of bus.nc.status()) if (status.type === "reconnect") return;
    })();
    await bus.nc.reconnect();
    await back;
    const burst = Array.from({ length: BURST }, () => ++n);
    await Promise.all(burst.map((value) => publish(publisher, subject, Ping, { n: value, pad: PAD })));
    const stored = Date.now();
    // Polls past the ack wait, so a failure says whether messages came back by redelivery.
    await expect
      .poll(() => burst.every((value) => seen.handled.has(value)), { timeout: ACK_WAIT_MS + 15_000, interval: 100 })
      .toBe(true);
    const last = Math.max(...burst.map((value) => seen.handled.get(value)!.at));
    return { burst, lastHandledMs: last - stored };
  };

  const run = async (label: string, start: (subject: string, seen: Seen) => Promise<Consumption>) => {
    const name = `handover-${label}`;
    const subject = `handover.${name}`;
    await bus.jsm.consumers.add(STREAM, {
      durable_name: name,
      ack_policy: "explicit" as never,
      filter_subject: subject,
      ack_wait: ACK_WAIT_MS * 1_000_000,
    });
    const seen: Seen = { handled: new Map() };
    const consumption = await start(subject, seen);
    try {
      for (let i = 0; i < ROUNDS; i++) {
        const { burst, lastHandledMs } = await round(subject, seen);
        const late = burst.filter((value) => seen.handled.get(value)!.deliveries[0]! > 1).length;
        console.info(`bus handover: ${label}, round ${i + 1} (R${server.replicas}): ${BURST} messages stored as the client came back, last handled ${(lastHandledMs / 1000).toFixed(2)} s after, ${late} on a redelivery`);
        expect({ round: i + 1, redelivered: late }).toEqual({ round: i + 1, redelivered: 0 });
        expect(lastHandledMs).toBeLessThan(HANDLED_WITHIN_MS);
      }
      // Each message once, on its first delivery; nothing left waiting for an ack.
      const twice = [...seen.handled].filter(([, entry]) => entry.deliveries.length !== 1 || entry.deliveries[0] !== 1);
      expect(twice).toEqual([]);
      await expect.poll(async () => (await bus.jsm.consumers.info(STREAM, name)).num_ack_pending, { timeout: 5_000 }).toBe(0);
      expect((await bus.jsm.consumers.info(STREAM, name)).num_redelivered).toBe(0);
    } finally {
      await consumption.stop();
    }
  };

  const optionsFor = (subject: string, seen: Seen) => ({
    stream: STREAM,
    consumer: subject.split(".").at(-1)!,
    schema: Ping,
    logger: quiet,
    handle: async (value: { n: number }, _ctx: unknown, msg: JsMsg) => record(seen, value, msg),
  });

  it("bus handover: consumeBatches hands every message of the old pull on after a reconnect", () =>
    run("batches", (subject, seen) =>
      consumeBatches(bus, {
        ...optionsFor(subject, seen),
        handleBatch: async (items) => {
          for (const { value, msg } of items) record(seen, value, msg);
        },
      }),
    ));
  it("bus handover: consume hands every message of the old pull on after a reconnect", () => run("consume", (subject, seen) => consume(bus, optionsFor(subject, seen))));
});
