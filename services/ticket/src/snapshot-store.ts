import { gunzipSync, gzipSync } from "node:zlib";
import { KV_BUCKETS } from "@rush/contracts";
import { type PartitionState, fromSnapshot, toSnapshot } from "@rush/engine";
import type { Bus } from "@rush/bus";
import type { KV } from "@nats-io/kv";

/** A partition's state and the SEAT_COMMANDS sequence it reflects (every command up to `seq` applied). */
export interface Restored {
  state: PartitionState;
  seq: number;
}

const key = (partition: number) => `p${partition}`;

/**
 * Snapshots in the `seat_snapshots` KV bucket, gzipped JSON: a hot partition's state shrinks
 * ~10×, keeping it well under the server's message size limit.
 */
export class SnapshotStore {
  private constructor(private readonly kv: KV) {}

  static async open(bus: Bus): Promise<SnapshotStore> {
    return new SnapshotStore(await bus.kvm.open(KV_BUCKETS.seatSnapshots));
  }

  async load(partition: number): Promise<Restored | undefined> {
    const entry = await this.kv.get(key(partition));
    if (entry?.operation !== "PUT" || entry.length === 0) return undefined;
    const { seq, snapshot } = JSON.parse(gunzipSync(entry.value).toString("utf8")) as { seq: number; snapshot: unknown };
    return { seq, state: fromSnapshot(snapshot) };
  }

  /** Returns the stored size in bytes. */
  async save(partition: number, state: PartitionState, seq: number): Promise<number> {
    const data = gzipSync(JSON.stringify({ seq, snapshot: toSnapshot(state) }), { level: 1 });
    await this.kv.put(key(partition), data);
    return data.length;
  }
}
