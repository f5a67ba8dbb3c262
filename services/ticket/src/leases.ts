import { KV_BUCKETS } from "@rush/contracts";
import type { Bus } from "@rush/bus";
import { type JetStreamManager, jetstream } from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";

const RENEW_TIMEOUT_MS = 1_000;

/**
 * Partition leases in the `partition_leases` KV bucket (bucket-wide TTL; nats-server 2.9 has no
 * per-key TTL). Acquire = create (fails if the key exists); renew = update at the revision we
 * hold (fails if anyone else wrote it). A worker that stops renewing loses its leases when the
 * TTL lapses, and another worker's create then succeeds. Workers announce themselves under
 * `w.<id>` so each can compute its fair share.
 */
export class LeaseStore {
  private constructor(
    private readonly kv: KV,
    /** The same bucket for renewals only, which give up sooner (see `open`). */
    private readonly renewals: KV,
    private readonly jsm: JetStreamManager,
    readonly ttlMs: number,
  ) {}

  static async open(bus: Bus): Promise<LeaseStore> {
    const kv = await bus.kvm.open(KV_BUCKETS.partitionLeases);
    // Renewals give up after 1 s instead of the client's 5: one sent as nats-server went away
    // otherwise held the tick for 5 s, past the point (TTL − renew interval) where a worker must
    // stop its partitions, so a 1 s restart of nats-server stopped every partition. Only
    // renewals: the survey and takeovers keep the default, which a loaded cluster needs.
    const renewals = await new Kvm(jetstream(bus.nc, { timeout: RENEW_TIMEOUT_MS })).open(KV_BUCKETS.partitionLeases);
    const status = await kv.status();
    return new LeaseStore(kv, renewals, bus.jsm, status.ttl);
  }

  /** Returns the revision on success, undefined if someone else holds it. */
  async acquire(partition: number, workerId: string): Promise<number | undefined> {
    try {
      return await this.kv.create(`p${partition}`, workerId);
    } catch {
      return undefined;
    }
  }

  /**
   * Returns the new revision; "lost" when another worker holds the lease now (it took it over:
   * stop at once); undefined when renewing failed for another reason (NATS away: try again).
   */
  async renew(partition: number, workerId: string, revision: number): Promise<number | "lost" | undefined> {
    try {
      return await this.renewals.update(`p${partition}`, workerId, revision);
    } catch {
      const entry = await this.renewals.get(`p${partition}`).catch(() => undefined);
      return entry?.operation === "PUT" && entry.string() !== workerId ? "lost" : undefined;
    }
  }

  /**
   * Takes over a lease held by a worker that is gone, at the revision it was seen with: if the
   * owner renewed it meanwhile (it was not gone after all), this fails and nothing moves.
   */
  async takeOver(partition: number, workerId: string, revision: number): Promise<number | undefined> {
    try {
      return await this.kv.update(`p${partition}`, workerId, revision);
    } catch {
      return undefined;
    }
  }

  /** Gives a lease back at once (graceful stop, rebalancing), so another worker needn't wait for the TTL. */
  async release(partition: number, revision: number): Promise<void> {
    await this.kv.delete(`p${partition}`, { previousSeq: revision }).catch(() => {});
  }

  async heartbeat(workerId: string): Promise<void> {
    await this.kv.put(`w.${workerId}`, String(Date.now()));
  }

  async forgetWorker(workerId: string): Promise<void> {
    await this.kv.delete(`w.${workerId}`).catch(() => {});
  }

  /** Workers that announced themselves, and the current owner (and lease revision) of each leased partition. */
  async survey(): Promise<{ workers: string[]; owners: Map<number, { worker: string; revision: number }> }> {
    const workers: string[] = [];
    const owners = new Map<number, { worker: string; revision: number }>();
    // The keys from the stream's subject list (one request to the stream leader), not `kv.keys()`:
    // that creates an ephemeral consumer per call, and on a cluster that lost a node those
    // creations timed out on every lease tick for as long as the node stayed down (no survey, so
    // no takeover and no rebalancing), while gets and updates went on working.
    const prefix = `$KV.${KV_BUCKETS.partitionLeases}.`;
    const info = await this.jsm.streams.info(`KV_${KV_BUCKETS.partitionLeases}`, { subjects_filter: `${prefix}>` });
    const keys = Object.keys(info.state.subjects ?? {}).map((subject) => subject.slice(prefix.length));
    await Promise.all(
      keys.map(async (k) => {
        // A deleted key keeps its subject (the delete marker): only a live PUT counts.
        const entry = await this.kv.get(k);
        if (entry?.operation !== "PUT") return;
        if (k.startsWith("w.")) workers.push(k.slice(2));
        else if (k.startsWith("p")) owners.set(Number(k.slice(1)), { worker: entry.string(), revision: entry.revision });
      }),
    );
    return { workers: workers.sort(), owners };
  }
}
