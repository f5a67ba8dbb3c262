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
});
