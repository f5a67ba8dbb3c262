import { type NatsServer, startNats } from "@rush/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type Bus, connectBus } from "./connection.ts";
import { type Consumption, consume } from "./consume.ts";
import { consumeBatches } from "./consume-batches.ts";
import { publish } from "./publish.ts";

const Ping = z.object({ n: z.number().int() });
const STREAM = "RENEWAL_TEST";
/** Below the client's own 15 s minimum wait after a failed check: past it, the client's recovery did the work. */
const RESUMED_WITHIN_MS = 12_000;
const quiet = { warn: () => {}, error: () => {} };

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
  const optionsFor = (subject: string, seen: Map<number, number>) => ({
    stream: STREAM,
    consumer: subject.split(".").at(-1)!,
    schema: Ping,
    logger: quiet,
    onRenewed,
    handle: async ({ n }: { n: number }) => {
      seen.set(n, Date.now());
    },
  });
  const viaConsume = (subject: string, seen: Map<number, number>) => consume(bus, optionsFor(subject, seen));
  const viaBatches = (subject: string, seen: Map<number, number>) =>
    consumeBatches(bus, {
      ...optionsFor(subject, seen),
      handleBatch: async (items) => {
        for (const { value } of items) seen.set(value.n, Date.now());
      },
    });

  it("bus renewal: consume resumes promptly after nats-server is stopped and started", () => run("consume", "stop", viaConsume));
  it("bus renewal: consume resumes promptly after nats-server is SIGKILLed and started", () => run("consume", "kill", viaConsume));
  it("bus renewal: consumeBatches resumes promptly after nats-server is stopped and started", () => run("batches", "stop", viaBatches));
  it("bus renewal: consumeBatches resumes promptly after nats-server is SIGKILLed and started", () => run("batches", "kill", viaBatches));
});
