import { describe, expect, it } from "vitest";
import { loadTopology } from "./topology.ts";

/** NATS subject matching: `*` one token, `>` the rest. */
function matches(pattern: string, subject: string): boolean {
  const p = pattern.split(".");
  const s = subject.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return s.length > i;
    if (i >= s.length || (p[i] !== "*" && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

/**
 * Core NATS subjects (requests, replies, pings): a stream listening on one would store every
 * message and answer each request with a PubAck — a ping to a dead ticket worker would then look
 * answered, and its partitions would wait for the lease TTL instead of being taken over.
 */
const CORE_SUBJECTS = ["ticket.alive.worker-1", "seat.reply.client-1.cmd-1", "seat.reply.client-1.batch", "_INBOX.abc.1"];

describe("topology", () => {
  it("topology: no stream captures a core request/reply subject (worker liveness pings, seat replies, inboxes)", async () => {
    const { streams } = await loadTopology();
    for (const stream of streams) {
      for (const pattern of stream.subjects ?? []) {
        for (const subject of CORE_SUBJECTS) expect(matches(pattern, subject), `${stream.name} ${pattern} captures ${subject}`).toBe(false);
      }
    }
  });

  it("topology: replicated, the lease bucket's TTL outlasts a leader election; alone it stays short for fast takeovers", async () => {
    const leases = (t: Awaited<ReturnType<typeof loadTopology>>) => t.kv.find((b) => b.bucket === "partition_leases")!;
    expect(leases(await loadTopology()).ttl_ms).toBe(6_000);
    expect(leases(await loadTopology(undefined, { replicas: 1 })).ttl_ms).toBe(6_000);
    const replicated = leases(await loadTopology(undefined, { replicas: 3 }));
    expect(replicated).toMatchObject({ replicas: 3, ttl_ms: 20_000 });
    // Every other bucket keeps its own TTL.
    for (const bucket of (await loadTopology(undefined, { replicas: 3 })).kv.filter((b) => b.bucket !== "partition_leases")) {
      expect(bucket.ttl_ms).toBe((await loadTopology()).kv.find((b) => b.bucket === bucket.bucket)!.ttl_ms);
    }
  });
});
