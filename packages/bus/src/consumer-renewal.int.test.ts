import { type NatsServer, startNats } from "@rush/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type Bus, connectBus } from "./connection.ts";
import { type BusLogger, type Consumption, consume } from "./consume.ts";
import { consumeBatches } from "./consume-batches.ts";
import { publish } from "./publish.ts";

const Ping = z.object({ n: z.number().int() });
const STREAM = "RENEWAL_TEST";
/** Below the client's own 15 s minimum wait after a failed check: past it, the client's recovery did the work. */
const RESUMED_WITHIN_MS = 12_000;
const quiet = { warn: () => {}, error: () => {} };
/** Past two missed 1 s heartbeats (PULL_WINDOW), well short of two missed 10 s pings (a reconnect). */
const FROZEN_MS = 4_000;
/** From the last publish, a second after the thaw: the client's own recovery alone waits up to 7.5 s. */
const ALL_HANDLED_WITHIN_MS = 5_000;

/**
 * Issue 13's lesson for every durable consumer: after a nats-server restart the JetStream client
 * checks the consumer's info, and when that first check fails (JetStream still starting) it waits
 * 15–45 s before checking again. `consume` and `consumeBatches` read on through a fresh pull as
 * soon as the consumer answers. Each run restarts nats-server (same port and store) and measures
 * from the moment it is back to the first message published after it that reaches the handler.
 */
describe("bus: durable consumers after a nats-server restart", () => {
  let server: NatsServer;
  let bus: Bus;
  let n = 0;

  beforeAll(async () => {
    server = await startNats();
    bus = await connectBus({ servers: server.url.split(","), name: "bus-renewal-test" });
    // A stream of its own, not the whole topology: on a cluster (TEST_CLUSTER=1, every node
    // restarted, R3) each stream and consumer is a Raft group that must recover after each restart.
    await bus.jsm.streams.add({ name: STREAM, subjects: ["renewal.>"], storage: "file" as never, num_replicas: server.replicas });
  });
  afterAll(async () => {
    await bus?.close();
    await server?.dispose();
  });

  const durable = async (name: string) => {
    await bus.jsm.consumers.add(STREAM, {
      durable_name: name,
      ack_policy: "explicit" as never,
      filter_subject: `renewal.${name}`,
      ack_wait: 5_000_000_000,
    });
    return { subject: `renewal.${name}` };
  };

  /**
   * Restarts nats-server `how`, then publishes a message every 250 ms, each on its own (a publish
   * sent while JetStream starts waits out its timeout; the next goes anyway), until one published
   * after the restart is handled. Returns, from the server's return, when the first publish was
   * stored (on a cluster the stream must elect a leader first) and when the first was handled.
   */
  const resumeAfterRestart = async (how: "stop" | "kill", subject: string, seen: Map<number, number>) => {
    const first = ++n;
    await publish(bus, subject, Ping, { n: first });
    await expect.poll(() => seen.has(first), { timeout: 10_000 }).toBe(true);

    await (how === "kill" ? server.kill() : server.stop());
    await server.start();
    const back = Date.now();
    const sent: number[] = [];
    let stored = Number.POSITIVE_INFINITY;
    const deadline = back + 90_000;
    while (Date.now() < deadline) {
      const handled = sent.map((v) => seen.get(v)).filter((at) => at !== undefined);
      if (handled.length > 0) return { stored: stored - back, handled: Math.min(...handled) - back };
      const value = ++n;
      sent.push(value);
      void publish(bus, subject, Ping, { n: value }, { msgId: `renewal-${value}` }).then(
        () => {
          stored = Math.min(stored, Date.now());
        },
        () => {},
      );
      await new Promise((r) => setTimeout(r, 250));
    }
    return { stored: stored - back, handled: Number.POSITIVE_INFINITY };
  };

  /** Renewals told to `onRenewed` (the services' `rush_consumer_renewals_total`). */
  let renewals = 0;
  const onRenewed = () => {
    renewals++;
  };

  const run = async (label: string, how: "stop" | "kill", start: (subject: string, seen: Map<number, number>) => Promise<Consumption>) => {
    const { subject } = await durable(`${label}-${how}`);
    const seen = new Map<number, number>();
    const consumption = await start(subject, seen);
    renewals = 0;
    try {
      const { stored, handled } = await resumeAfterRestart(how, subject, seen);
      const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      console.info(
        `bus renewal: ${label} after a nats-server ${how === "kill" ? "SIGKILL" : "SIGTERM"} and start (R${server.replicas}): ` +
          `first message stored ${s(stored)} and handled ${s(handled)} after the server was back (${s(handled - stored)} between), ${renewals} renewal(s)`,
      );
      // The reconnect renewed the consumer, whether or not the client's own recovery would have been quick.
      expect(renewals).toBeGreaterThanOrEqual(1);
      // From the first message JetStream stored: before that there was nothing to deliver.
      expect(handled - stored).toBeLessThan(RESUMED_WITHIN_MS);
    } finally {
      await consumption.stop();
    }
  };

  /** What both consumers share: this test's stream, a durable per subject, the renewal hook, the handler. */
  const optionsFor = (subject: string, seen: Map<number, number>, logger: BusLogger = quiet) => ({
    stream: STREAM,
    consumer: subject.split(".").at(-1)!,
    schema: Ping,
    logger,
    onRenewed,
    handle: async ({ n }: { n: number }) => {
      seen.set(n, Date.now());
    },
  });
  const viaConsume = (subject: string, seen: Map<number, number>, logger?: BusLogger) => consume(bus, optionsFor(subject, seen, logger));
  const viaBatches = (subject: string, seen: Map<number, number>, logger?: BusLogger) =>
    consumeBatches(bus, {
      ...optionsFor(subject, seen, logger),
      handleBatch: async (items) => {
        for (const { value } of items) seen.set(value.n, Date.now());
      },
    });

  it("bus renewal: consume resumes promptly after nats-server is stopped and started", () => run("consume", "stop", viaConsume));
  it("bus renewal: consume resumes promptly after nats-server is SIGKILLed and started", () => run("consume", "kill", viaConsume));
  it("bus renewal: consumeBatches resumes promptly after nats-server is stopped and started", () => run("batches", "stop", viaBatches));
  it("bus renewal: consumeBatches resumes promptly after nats-server is SIGKILLed and started", () => run("batches", "kill", viaBatches));

  /**
   * A pull that goes silent with the connection open (the server hangs; on a cluster, a pull sent
   * while its consumer had no leader): two missed heartbeats make the consumer read on through a
   * fresh pull. Here nats-server is frozen (SIGSTOP) past that, while a message is published every
   * 100 ms; once it runs again the old pull is alive too, so both pulls deliver for a while. Every
   * message must be handled, none stuck behind the handover, and the silence must be what renewed
   * the consumer (not a reconnect: pings are 10 s apart, the freeze is shorter).
   */
  const stall = async (label: string, ctx: { skip(): void }, start: typeof viaConsume) => {
    if (!server.freeze || !server.thaw) return ctx.skip();
    const { subject } = await durable(`${label}-stall`);
    const seen = new Map<number, number>();
    const silences: object[] = [];
    const logger: BusLogger = {
      warn: (obj, msg) => {
        if (msg.startsWith("consumer silent")) silences.push(obj);
      },
      error: () => {},
    };
    const consumption = await start(subject, seen, logger);
    renewals = 0;
    const sent: number[] = [];
    let publishing = true;
    const publisher = (async () => {
      while (publishing) {
        const value = ++n;
        sent.push(value);
        // Not awaited: during the freeze a publish waits for its ack; the next goes anyway.
        void publish(bus, subject, Ping, { n: value }, { msgId: `stall-${value}` }).catch(() => {});
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      await expect.poll(() => seen.size, { timeout: 10_000 }).toBeGreaterThan(3);
      await server.freeze();
      await new Promise((r) => setTimeout(r, FROZEN_MS));
      await server.thaw();
      const back = Date.now();
      // A second of publishing after the thaw, then every message sent must arrive.
      await new Promise((r) => setTimeout(r, 1_000));
      publishing = false;
      await publisher;
      await expect.poll(() => sent.filter((v) => !seen.has(v)), { timeout: ALL_HANDLED_WITHIN_MS, interval: 100 }).toEqual([]);
      const handledAfter = Math.max(...sent.map((v) => seen.get(v)!)) - back;
      console.info(
        `bus renewal: ${label} across a ${FROZEN_MS / 1000} s nats-server freeze: ${silences.length} silence(s) seen, ${renewals} renewal(s), ` +
          `all ${sent.length} messages handled ${(handledAfter / 1000).toFixed(2)} s after the thaw`,
      );
      expect(silences.length).toBeGreaterThanOrEqual(1);
      expect(renewals).toBeGreaterThanOrEqual(1);
    } finally {
      publishing = false;
      await publisher;
      await consumption.stop();
    }
  };

  it("bus renewal: consume reads on through a fresh pull when its pull goes silent (nats-server frozen)", (ctx) => stall("consume", ctx, viaConsume));
  it("bus renewal: consumeBatches reads on through a fresh pull when its pull goes silent (nats-server frozen)", (ctx) => stall("batches", ctx, viaBatches));

  /**
   * A pull the server does not hold while the client believes it does (what nats-server 2.9 was
   * seen doing under load, starved-consumer.ts). Made here with a consumer that allows one waiting
   * request, taken first by another client: the consumer's own pull is refused (409 Exceeded
   * MaxWaiting, on which nats.js only waits for missed heartbeats) and messages pile up at the
   * server. The consumer must ask the server after a quiet spell and read on through a fresh pull
   * before two heartbeats are missed; every message is handled (the other client's one after the
   * ack wait).
   */
  const starved = async (label: string, start: typeof viaConsume) => {
    await bus.jsm.consumers.add(STREAM, {
      durable_name: `${label}-starved`,
      ack_policy: "explicit" as never,
      filter_subject: `renewal.${label}-starved`,
      ack_wait: 2_000_000_000,
      max_waiting: 1,
    });
    const subject = `renewal.${label}-starved`;
    const thief = await connectBus({ servers: server.url.split(","), name: "bus-renewal-thief" });
    const inbox = thief.nc.subscribe(`thief.${label}`, { callback: () => {} });
    thief.nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${STREAM}.${label}-starved`, JSON.stringify({ batch: 1, expires: 20_000_000_000 }), { reply: `thief.${label}` });
    await thief.nc.flush();
    const seen = new Map<number, number>();
    const warnings: string[] = [];
    const logger: BusLogger = { warn: (_obj, msg) => warnings.push(msg), error: () => {} };
    const consumption = await start(subject, seen, logger);
    try {
      const sent: number[] = [];
      for (let i = 0; i < 30; i++) {
        const value = ++n;
        sent.push(value);
        await publish(bus, subject, Ping, { n: value });
        await new Promise((r) => setTimeout(r, 100));
      }
      await expect.poll(() => sent.filter((v) => !seen.has(v)), { timeout: 10_000, interval: 100 }).toEqual([]);
      console.info(`bus renewal: ${label} with its pull refused at the server: ${warnings.filter((w) => w.startsWith("consumer starved")).length} starved, warnings: ${[...new Set(warnings)].join("; ")}`);
      const firstStarved = warnings.findIndex((w) => w.startsWith("consumer starved"));
      const firstSilent = warnings.findIndex((w) => w.startsWith("consumer silent"));
      expect(firstStarved).toBeGreaterThanOrEqual(0);
      // Noticed by asking, before two missed heartbeats would have said so.
      expect(firstSilent === -1 || firstStarved < firstSilent).toBe(true);
    } finally {
      await consumption.stop();
      inbox.unsubscribe();
      await thief.close();
    }
  };

  it("bus renewal: consume reads on through a fresh pull when the server holds none of it (asked after a quiet spell)", () => starved("consume", viaConsume));
  it("bus renewal: consumeBatches reads on through a fresh pull when the server holds none of it (asked after a quiet spell)", () => starved("batches", viaBatches));
});
