import { promisify } from "node:util";
import { gunzip as gunzipCallback, gzip as gzipCallback } from "node:zlib";
import { KV_BUCKETS } from "@rush/contracts";
import { type PartitionState, createSnapshotEncoder, fromSnapshot } from "@rush/engine";
import type { Bus } from "@rush/bus";
import type { KV } from "@nats-io/kv";
import { SnapshotTurns } from "./snapshot-turns.ts";

/** A partition's state and the SEAT_COMMANDS sequence it reflects (every command up to `seq` applied). */
export interface Restored {
  state: PartitionState;
  seq: number;
}

const key = (partition: number) => `p${partition}`;
const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

/**
 * Snapshots in the `seat_snapshots` KV bucket, gzipped JSON: a hot partition's state shrinks
 * ~10×, keeping it well under the server's message size limit.
 */
export class SnapshotStore {
  /** Every partition's areas, each encoded again only once it changed. */
  readonly #encodeState = createSnapshotEncoder();
  /** Shared by the worker's partitions, as this store is. */
  readonly turns: SnapshotTurns;

  private constructor(
    private readonly kv: KV,
    spacingMs: number,
  ) {
    this.turns = new SnapshotTurns(spacingMs);
  }

  /** `spacingMs`: the least time between two partitions' snapshot encodes (SNAPSHOT_SPACING_MS). */
  static async open(bus: Bus, options: { spacingMs?: number } = {}): Promise<SnapshotStore> {
    return new SnapshotStore(await bus.kvm.open(KV_BUCKETS.seatSnapshots), options.spacingMs ?? 0);
  }

  async load(partition: number): Promise<Restored | undefined> {
    const entry = await this.kv.get(key(partition));
    if (entry?.operation !== "PUT" || entry.length === 0) return undefined;
    const { seq, snapshot } = JSON.parse((await gunzip(entry.value)).toString("utf8")) as { seq: number; snapshot: unknown };
    return { seq, state: fromSnapshot(snapshot) };
  }

  /** The state as it is now, at `seq`: taken synchronously, before the actor changes it again. */
  encode(state: PartitionState, seq: number): string {
    // `JSON.stringify({ seq, snapshot: toSnapshot(state) })`, unchanged areas from their kept text.
    return `{"seq":${JSON.stringify(seq)},"snapshot":${this.#encodeState(state)}}`;
  }

  /**
   * Stores an encoded snapshot; returns its size in bytes. Compressed off the event loop: a
   * worker runs every partition on one thread, and a hot partition's synchronous gzip held up
   * every other partition's commands for milliseconds.
   */
  async saveEncoded(partition: number, encoded: string): Promise<number> {
    const data = await gzip(encoded, { level: 1 });
    await this.kv.put(key(partition), data);
    return data.length;
  }

  /** Returns the stored size in bytes. */
  async save(partition: number, state: PartitionState, seq: number): Promise<number> {
    return this.saveEncoded(partition, this.encode(state, seq));
  }
}
