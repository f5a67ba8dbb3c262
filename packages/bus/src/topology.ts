import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConsumerConfig, StreamConfig } from "@nats-io/jetstream";
import { z } from "zod";
import type { Bus } from "./connection.ts";
import { BusError } from "./errors.ts";
import { patiently } from "./patience.ts";

/** The repository's `nats/` folder: streams, KV buckets and consumers as data. */
export const DEFAULT_TOPOLOGY_DIR = fileURLToPath(new URL("../../../nats", import.meta.url));

// The files use the JetStream API's own field names so `nats stream add --config <file>` takes them too.
const StreamFile = z
  .object({
    name: z.string().regex(/^[A-Z0-9_]+$/),
    subjects: z.array(z.string()).min(1),
    retention: z.enum(["limits", "interest", "workqueue"]),
    storage: z.enum(["file", "memory"]),
    max_age: z.number().int().nonnegative(),
    duplicate_window: z.number().int().positive(),
  })
  .passthrough();

const KvFile = z.object({
  bucket: z.string().regex(/^[a-z0-9_]+$/),
  description: z.string().optional(),
  history: z.number().int().min(1).max(64),
  storage: z.enum(["file", "memory"]),
  max_value_size: z.number().int().positive(),
  ttl_ms: z.number().int().nonnegative(),
  /** The TTL when replicated (R > 1), if it must outlast a leader election. */
  replicated_ttl_ms: z.number().int().nonnegative().optional(),
  replicas: z.number().int().min(1).max(5),
});

const ConsumerFile = z.object({
  stream: z.string(),
  config: z.object({ durable_name: z.string(), ack_policy: z.enum(["explicit", "none", "all"]) }).passthrough(),
});

export type KvDefinition = z.infer<typeof KvFile>;

export interface Topology {
  streams: (Partial<StreamConfig> & { name: string })[];
  kv: KvDefinition[];
  consumers: { stream: string; config: Partial<ConsumerConfig> }[];
}

async function readJsonFiles<T>(dir: string, schema: z.ZodType<T>): Promise<T[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".json")).sort();
  } catch {
    return [];
  }
  return Promise.all(
    names.map(async (name) => {
      const parsed = schema.safeParse(JSON.parse(await readFile(join(dir, name), "utf8")));
      if (!parsed.success) {
        throw new BusError("BUS_TOPOLOGY_INVALID", `${join(dir, name)}: ${z.prettifyError(parsed.error)}`);
      }
      return parsed.data;
    }),
  );
}

/**
 * Reads `streams/`, `kv/` and `consumers/` under `dir`, validating each file. `replicas` (a
 * service's NATS_REPLICAS) replaces every stream's and bucket's replica count: the files say 1,
 * and a cluster asks for 3 without editing them (a bucket's `replicated_ttl_ms`, if set, is then its
 * TTL). Durable consumers follow their stream's count.
 */
export async function loadTopology(dir: string = DEFAULT_TOPOLOGY_DIR, options: { replicas?: number } = {}): Promise<Topology> {
  const [streams, kv, consumers] = await Promise.all([
    readJsonFiles(join(dir, "streams"), StreamFile),
    readJsonFiles(join(dir, "kv"), KvFile),
    readJsonFiles(join(dir, "consumers"), ConsumerFile),
  ]);
  const { replicas } = options;
  return {
    streams: (replicas === undefined ? streams : streams.map((s) => ({ ...s, num_replicas: replicas }))) as Topology["streams"],
    kv: replicas === undefined ? kv : kv.map((b) => ({ ...b, replicas, ...(replicas > 1 && b.replicated_ttl_ms ? { ttl_ms: b.replicated_ttl_ms } : {}) })),
    consumers: consumers as Topology["consumers"],
  };
}

function differs(wanted: object, actual: object): boolean {
  const have = actual as Record<string, unknown>;
  return Object.entries(wanted).some(([k, v]) => JSON.stringify(v) !== JSON.stringify(have[k]));
}

/**
 * Creates what is missing and updates what changed, so every service can call it at start:
 * the first one creates, the others find it in place. Never deletes anything. Each step is asked
 * again while JetStream does not answer (`patiently`), and only "not found" means "create".
 */
export async function ensureTopology(bus: Bus, topology: Topology): Promise<void> {
  for (const stream of topology.streams) {
    await patiently(async () => {
      const info = await bus.jsm.streams.info(stream.name).catch(orNullIfMissing);
      if (!info) await bus.jsm.streams.add(stream);
      else if (differs(stream, info.config)) await bus.jsm.streams.update(stream.name, stream);
    });
  }
  for (const kv of topology.kv) await patiently(() => ensureBucket(bus, kv));
  for (const { stream, config } of topology.consumers) {
    const name = config.durable_name as string;
    await patiently(async () => {
      const info = await bus.jsm.consumers.info(stream, name).catch(orNullIfMissing);
      if (!info) await bus.jsm.consumers.add(stream, config);
      else if (differs(config, info.config)) await bus.jsm.consumers.update(stream, name, config);
    });
  }
}

/** A `not found` answer means "create it"; any other failure is not an answer and is thrown. */
function orNullIfMissing(error: unknown): null {
  if (error instanceof Error && /not found/i.test(error.message)) return null;
  throw error;
}

async function ensureBucket(bus: Bus, kv: KvDefinition): Promise<void> {
  await bus.kvm.create(kv.bucket, {
    history: kv.history,
    storage: kv.storage === "file" ? "file" : "memory",
    maxValueSize: kv.max_value_size,
    ttl: kv.ttl_ms,
    replicas: kv.replicas,
    ...(kv.description ? { description: kv.description } : {}),
  });
  // `create` opens an existing bucket unchanged; apply edited limits to its stream ourselves.
  const streamName = `KV_${kv.bucket}`;
  const { config } = await bus.jsm.streams.info(streamName);
  const wanted = {
    num_replicas: kv.replicas,
    max_age: kv.ttl_ms * 1_000_000,
    max_msgs_per_subject: kv.history,
    max_msg_size: kv.max_value_size,
  };
  if (differs(wanted, config)) await bus.jsm.streams.update(streamName, { ...config, ...wanted });
}
