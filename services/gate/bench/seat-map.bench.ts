/**
 * `pnpm bench seat-map`: the gate's CPU per seat-map read of a 20,000-seat session when the map
 * changes between every two reads (a flash sale: ~20 holds/s, watchers polling every 10 s), for
 * a watcher without holds and for a buyer holding seats, and what it costs Redis. Starts its own
 * redis-server on loopback; bounded by BENCH_READS; stops by itself.
 */
import { gzipSync } from "node:zlib";
import { redisKeys } from "@rush/contracts";
import { createRedis } from "@rush/service";
import { startRedis } from "@rush/testkit";
import { createSeatMapCache } from "../src/sessions/seat-map-cache.ts";
import { seatMapJson } from "../src/sessions/seat-map-json.ts";

const READS = Number(process.env.BENCH_READS ?? 200);
const SESSION = "0b5f4c8e-1d2a-4a57-9a7e-3f6d2c1b0a99";
const BUYER = "11111111-2222-4333-8444-555555555555";
const AREAS = 20;
const ROWS = 25;
const PER_ROW = 40;

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function main() {
  const server = await startRedis();
  const redis = createRedis(server.url, "bench-seat-map");
  try {
    const seats: Record<string, string> = {};
    const ids: string[] = [];
    for (let a = 1; a <= AREAS; a++) {
      for (let r = 1; r <= ROWS; r++) for (let n = 1; n <= PER_ROW; n++) ids.push(`A${a}-${r}-${n}`);
    }
    ids.forEach((id, i) => {
      seats[id] = i % 3 === 0 ? "s" : i % 7 === 0 ? `h:${i % 5 === 0 ? BUYER : "99999999-2222-4333-8444-555555555555"}` : "a";
    });
    await redis.hset(redisKeys.seatMap(SESSION), seats);
    await redis.set(redisKeys.seatMapVersion(SESSION), 1);
    const cache = createSeatMapCache(redis);
    await cache.get(SESSION); // the session's layout, once

    /** One read after a change: the version check, the re-read, the JSON and its gzip. */
    const measure = async (viewer: string | undefined) => {
      await redis.config("RESETSTAT");
      let bytes = 0;
      const started = process.cpuUsage();
      const wall = performance.now();
      for (let i = 0; i < READS; i++) {
        // Not measured as the gate's: the engine's write that moves the version.
        await redis.multi().hset(redisKeys.seatMap(SESSION), ids[(i * 7919) % ids.length]!, "s").incr(redisKeys.seatMapVersion(SESSION)).exec();
        const snapshot = await cache.get(SESSION);
        bytes += gzipSync(seatMapJson(SESSION, snapshot, viewer), { level: 3 }).length;
      }
      const perRead = cpuMs(started) / READS;
      const stats = String(await redis.info("commandstats"));
      const usec = (command: string) => Number(new RegExp(`cmdstat_${command}:calls=\\d+,usec=(\\d+)`).exec(stats)?.[1] ?? 0);
      return { perRead, wallPerRead: (performance.now() - wall) / READS, redisPerRead: (usec("hgetall") + usec("get") + usec("exec")) / 1000 / READS, kb: bytes / READS / 1024 };
    };
    console.log(`seat map: ${ids.length.toLocaleString("en-US")} seats, ${READS} reads, the map changed before each (gzip level 3 included)`);
    for (const [label, viewer] of [["watcher without holds", undefined], ["buyer holding seats", BUYER]] as const) {
      const figure = await measure(viewer);
      console.log(
        `  ${label.padEnd(22)} ${figure.perRead.toFixed(1)} ms CPU per read (gate process), ${figure.wallPerRead.toFixed(1)} ms wall, Redis ${figure.redisPerRead.toFixed(1)} ms per read, ${figure.kb.toFixed(0)} KiB gzip`,
      );
    }
  } finally {
    redis.disconnect();
    await server.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
