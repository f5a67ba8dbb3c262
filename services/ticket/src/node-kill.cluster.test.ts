import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Bus, type SeatCommandClient, connectBus, createSeatCommandClient, ensureTopology, loadTopology } from "@rush/bus";
import { STREAMS, type SeatReply, partitionOf, redisKeys, seatCommandSubject, seatEventSubject } from "@rush/contracts";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { type Db, createDb, runMigrations } from "@rush/db";
import { createRedis, hashSlot, seatReplyLookup } from "@rush/service";
import { REPO_ROOT, type ServiceProcess, type TestCluster, type TestDatabase, spawnService, startCluster } from "@rush/testkit";
import { testDatabase } from "@rush/testkit/vitest";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_JWT_SECRET, seedSession } from "../../order/src/testing/purchase-stack.ts";
import { moneyInvariants } from "../../../scripts/chaos/invariants.ts";
import { flashSaleCommands, grantedSeats, runFlashSale } from "./flash-sale.ts";
import { type PayingBuyers, payingBuyers } from "./paying-buyers.ts";
import { SnapshotStore } from "./snapshot-store.ts";

/**
 * Issue 16's fault: a flash sale on the clustered stack (3 NATS nodes, SEAT_COMMANDS at R3; Redis
 * Cluster 3+3) loses, mid-sale, the NATS node that leads SEAT_COMMANDS and then the Redis master
 * of the sale's slot, both by SIGKILL, while one buyer in eight pays for their hold (order and
 * payment services, PostgreSQL). The sale must go on, every command be answered, no seat be
 * granted twice, every granted hold's event be in SEAT_EVENTS, every paid order end with one
 * ticket per seat, and the engine, the Redis locks and the read model agree at the end. Prints
 * the time from each kill to the first grant after it.
 * Run with `pnpm test:cluster` (two to three minutes; not in the default suite).
 */
const PARTITIONS = 16;
const ROWS = 100;
const PER_ROW = 50; // 5,000 seats, the most one area has
const COMMANDS = 1_600; // 1–4 seats each: about 4,000 seats, so grants never stop for a sell-out
const PAY_EVERY = 8; // the grant of every eighth command is paid for at once
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("cluster: a node kill mid-sale", () => {
  let cluster: TestCluster;
  let bus: Bus;
  let redis: Redis;
  let client: SeatCommandClient;
  let database: TestDatabase;
  let db: Db;
  let buyers: PayingBuyers;
  let sessionId: string;
  const services: ServiceProcess[] = [];
  const lookup = (commandId: string) => seatReplyLookup(redis)(commandId);

  beforeAll(async () => {
    database = await testDatabase("nodekill");
    [cluster] = await Promise.all([startCluster(), runMigrations(database.url)]);
    db = createDb(database.url, { max: 4 });
    const connected = await connectBus({ servers: cluster.env.NATS_URL, name: "node-kill-test" });
    // The test's own JetStream calls wait longer than the 5 s default: the audit runs right after
    // a node died, on a loaded machine, and is not what is measured.
    const js = jetstream(connected.nc, { timeout: 30_000 });
    bus = { ...connected, js, jsm: await jetstreamManager(connected.nc, { timeout: 30_000 }), kvm: new Kvm(js) };
    await ensureTopology(bus, await loadTopology(undefined, { replicas: 3 }));
    redis = createRedis(cluster.env.REDIS_URL, "node-kill-test");
    redis.on("error", () => {}); // a master is killed on purpose
    client = await createSeatCommandClient(bus, { partitions: PARTITIONS, lookup });
    const env = { ...cluster.env, DATABASE_URL: database.url, PARTITIONS: String(PARTITIONS), JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: "info" };
    const worker = { LEASE_RENEW_MS: "500", SNAPSHOT_EVERY_MS: "500" };
    services.push(
      ...(await Promise.all([
        spawnService("ticket", { ...env, ...worker, WORKER_ID: "w1" }),
        spawnService("ticket", { ...env, ...worker, WORKER_ID: "w2" }),
        spawnService("order", env),
        spawnService("payment", env),
      ])),
    );
    buyers = await payingBuyers(db, redis, COMMANDS, services[3]!.url);
    // A session PostgreSQL knows (or the order service would release its holds as orphans).
    // Holds of 10 minutes: none may expire and sell again within the test (that is no double sale).
    sessionId = await seedSession({ db, seats: client }, { rows: ROWS, perRow: PER_ROW, config: { maxSeatsPerBuyer: 8 } });
  }, 240_000);

  afterAll(async () => {
    // What the services said, for reading a slow failover afterwards (.data/node-kill/).
    mkdirSync(join(REPO_ROOT, ".data/node-kill"), { recursive: true });
    for (const [i, name] of ["ticket-w1", "ticket-w2", "order", "payment"].entries()) {
      if (services[i]) writeFileSync(join(REPO_ROOT, `.data/node-kill/${name}.log`), services[i].output());
    }
    await Promise.all(services.map((s) => s.stop()));
    await client?.close();
    redis?.disconnect();
    await bus?.close();
    await db?.close();
    await cluster?.dispose();
    await database?.drop();
  });

  it("cluster: SIGKILL of the SEAT_COMMANDS leader, then of the sale's Redis master: the sale goes on, nothing lost, no seat twice", async () => {
    // A grant counts for a kill only if its command was sent after the kill: one already in
    // flight may have been decided before it.
    const grants: { sentAt: number; at: number }[] = [];
    const timed: SeatCommandClient = {
      ...client,
      send: async (command, options) => {
        const sentAt = Date.now();
        const outcome = await client.send(command, options);
        if (outcome.status === "done" && outcome.reply.events.some((e) => e.type === "SeatsHeld")) {
          grants.push({ sentAt, at: Date.now() });
          if ((command.type === "HoldSeats" || command.type === "HoldBestAvailable") && grants.length % PAY_EVERY === 1) buyers.pay(command.buyerId, command.holdId);
        }
        return outcome;
      },
    };
    const kills: { what: string; at: number }[] = [];
    let killedRedisPort = 0;
    const masterPortOf = async (slot: number) => {
      const ranges = await redis.cluster("SLOTS");
      return ranges.find(([from, to]) => slot >= from && slot <= to)?.[2]?.[1];
    };
    const saleSlot = hashSlot(redisKeys.seatMap(sessionId));
    const kill = async (what: string, server: "nats" | "redis", node: number) => {
      kills.push({ what, at: Date.now() });
      await cluster.kill(server, node);
    };
    const commands = flashSaleCommands({ sessionId, areaId: "A", rows: ROWS, perRow: PER_ROW, commands: COMMANDS, concurrency: 0, seed: 16, timeoutMs: 0, bestAvailableShare: 1 }).map(
      (command, i) => ({ ...command, buyerId: buyers.ids[i]! }),
    );
    const result = await runFlashSale(
      timed,
      commands,
      {
        concurrency: 16,
        // As the gate: wait 2 s for the answer, then leave the command in the log and move on (the
        // buyer gets 202 and asks later). A lane that waited 30 s for a command lost in the kill
        // delayed the next one, and "first grant after the kill" measured that wait (10–16 s),
        // not the failover.
        timeoutMs: 2_000,
        settleMs: 60_000,
        onProgress: async (sent) => {
          await sleep(4); // a steady sale of a few hundred holds a second, long enough for two faults
          if (sent === 400) {
            const leader = (await bus.jsm.streams.info(STREAMS.seatCommands)).cluster?.leader ?? "";
            await kill(`NATS node ${leader} (SEAT_COMMANDS leader)`, "nats", Number(leader.replace("rush-n", "")) - 1);
          }
          if (sent === 1_000) {
            const port = (await masterPortOf(saleSlot)) ?? 0;
            killedRedisPort = port;
            await kill(`Redis master :${port} (the sale's slot)`, "redis", cluster.redisPorts.indexOf(port));
          }
        },
      },
      lookup,
    );

    // The sale went on: every command answered, and grants resumed within 10 s of each kill.
    expect(kills).toHaveLength(2);
    expect(result.unanswered).toEqual([]);
    expect(result.replies.size).toBe(COMMANDS);
    const resumed = kills.map(({ what, at }) => ({ what, at, ms: Math.min(...grants.filter((g) => g.sentAt > at).map((g) => g.at)) - at }));
    for (const { what, at, ms } of resumed) console.log(`node kill: ${what} at ${at}: first grant ${(ms / 1000).toFixed(2)} s after the SIGKILL`);
    // Soft: a slow failover fails the test but the audits below still run and say what was lost.
    for (const { what, ms } of resumed) expect.soft(ms, what).toBeLessThanOrEqual(10_000);

    // The replica really took over the sale's slot.
    expect(await masterPortOf(saleSlot)).not.toBe(killedRedisPort);

    // No seat twice, and nothing acknowledged lost: the engine's state (its latest snapshot),
    // the SEAT_EVENTS stream, the Redis locks and the read model all hold exactly the grants.
    const granted = grantedSeats(result.replies.values() as Iterable<SeatReply>);
    const holds = new Set(granted.values());
    expect(holds.size).toBeGreaterThan(COMMANDS * 0.9);
    const partition = partitionOf(sessionId, "A", PARTITIONS);
    // Read through an ephemeral consumer: with a node still down, nats-server 2.9 may place one on
    // it and never confirm it, so a read that times out is started again on a fresh one.
    const readLockedHolds = async () => {
      const found = new Set<string>();
      const consumer = await bus.js.consumers.get(STREAMS.seatEvents, { filter_subjects: seatEventSubject("locked", partition) });
      let left = (await consumer.info()).num_pending;
      while (left > 0) {
        const batch = await consumer.fetch({ max_messages: Math.min(left, 1_000), expires: 5_000 });
        for await (const msg of batch) {
          const event = msg.json<{ holdId?: string }>();
          if (event.holdId) found.add(event.holdId);
          left--;
        }
      }
      return found;
    };
    let lockedHolds: Set<string> | undefined;
    for (let attempt = 1; !lockedHolds; attempt++) {
      lockedHolds = await readLockedHolds().catch((error: unknown) => {
        if (attempt >= 5) throw error;
        return undefined;
      });
    }
    for (const holdId of holds) expect(lockedHolds.has(holdId), `SeatsHeld of ${holdId} in SEAT_EVENTS`).toBe(true);

    // Every pay answered; every paid order completed with one ticket per seat, none sold twice.
    const pays = await buyers.settled();
    expect(pays.acceptedAt.length).toBeGreaterThan(COMMANDS / PAY_EVERY / 2);
    await expect
      .poll(async () => {
        const money = await moneyInvariants(db.sql, sessionId);
        return money.paidWithoutTicketsOrRefund + money.completedWithWrongTicketCount;
      }, { timeout: 90_000, interval: 1_000 })
      .toBe(0);
    const money = await moneyInvariants(db.sql, sessionId);
    expect(money.doubleSold).toBe(0);
    expect(money.tickets).toBeGreaterThan(0);
    const [{ paid }] = (await db.sql`select count(*)::int as paid from payments p join orders o on o.id = p.order_id
      where o.session_id = ${sessionId} and p.status = 'succeeded'`) as unknown as [{ paid: number }];
    for (const { what, at } of kills) {
      console.log(`node kill: ${what}: first pay answered ${((Math.min(...pays.acceptedAt.filter((t) => t > at)) - at) / 1000).toFixed(2)} s after the SIGKILL`);
    }
    console.log(`node kill: pays by HTTP status ${JSON.stringify(pays.statuses)}; ${paid} paid orders, all completed with their ${money.tickets} tickets; 0 seats sold twice`);


    // The engine's last snapshot: the granted seats, held or sold (a hold keeps its id when sold).
    const snapshots = await SnapshotStore.open(bus);
    await expect.poll(async () => (await snapshots.load(partition))?.seq ?? 0, { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(
      (await bus.jsm.streams.getMessage(STREAMS.seatCommands, { last_by_subj: seatCommandSubject(partition) }))!.seq,
    );
    const area = (await snapshots.load(partition))!.state.areas.get(`${sessionId}/A`)!;
    const taken = [...area.seats.values()].filter((s) => s.status === "held" || s.status === "sold");
    expect(new Map(taken.map((s) => [s.id, s.holdId]))).toEqual(granted);
    expect(taken.filter((s) => s.status === "sold")).toHaveLength(money.tickets);

    await expect
      .poll(async () => {
        const readModel = Object.values(await redis.hgetall(redisKeys.seatMap(sessionId)));
        return [readModel.filter((v) => v.startsWith("h:") || v === "s").length, readModel.filter((v) => v === "s").length];
      }, { timeout: 20_000, interval: 500 })
      .toEqual([granted.size, money.tickets]);
    const seatIds = [...granted.keys()];
    const owners: (string | null)[] = [];
    for (let i = 0; i < seatIds.length; i += 500) {
      owners.push(...(await redis.mget(...seatIds.slice(i, i + 500).map((seatId) => redisKeys.seatLock(sessionId, seatId)))));
    }
    expect(owners).toEqual([...granted.values()]);
    console.log(`node kill: ${holds.size} holds granted (${granted.size} seats) of ${COMMANDS} commands in ${(result.elapsedMs / 1000).toFixed(1)} s`);
  }, 300_000);
});
