import { hash } from "node:crypto";

// Fixed namespaces: the same inputs give the same ids in every process and every release.
const NAMESPACES = {
  command: "6f1f4f2e-8c1b-5a55-9a0e-6a7f0c7e0a01",
  hold: "6f1f4f2e-8c1b-5a55-9a0e-6a7f0c7e0a02",
  order: "6f1f4f2e-8c1b-5a55-9a0e-6a7f0c7e0a03",
} as const;

// A hold makes three of these ids: the namespace's bytes are parsed once, not per id.
const namespaceBytes = new Map<string, Buffer>();
/** Where a name is laid after its namespace for hashing (ids are made one at a time, synchronously); made on first use, so importing the contracts allocates nothing. */
let scratch: Buffer | undefined;

/** RFC 9562 UUIDv5 (SHA-1, name-based): deterministic ids for idempotent retries. */
export function uuidV5(name: string, namespace: string): string {
  let ns = namespaceBytes.get(namespace);
  if (!ns) {
    ns = Buffer.from(namespace.replaceAll("-", ""), "hex");
    if (namespaceBytes.size < 64) namespaceBytes.set(namespace, ns);
  }
  // One-shot `hash` over one buffer: a Hash object per id (three per hold) cost more than the SHA-1.
  // UTF-8 takes at most 3 bytes per UTF-16 unit, so a name that fits that bound fits the scratch.
  scratch ??= Buffer.allocUnsafe(512);
  const input = 16 + name.length * 3 <= scratch.length ? scratch : Buffer.allocUnsafe(16 + name.length * 3);
  ns.copy(input, 0);
  const size = 16 + input.write(name, 16, "utf8");
  const digest = hash("sha1", input.subarray(0, size), "buffer");
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A buyer's request with an `Idempotency-Key` always maps to the same command id. */
export const commandIdFor = (userId: string, idempotencyKey: string): string =>
  uuidV5(`${userId}:${idempotencyKey}`, NAMESPACES.command);

/** The hold a hold command creates, known before the actor answers. */
export const holdIdFor = (commandId: string): string => uuidV5(commandId, NAMESPACES.hold);

/** The order of a hold: the gate can answer it at once, before the order service has run. */
export const orderIdForHold = (holdId: string): string => uuidV5(holdId, NAMESPACES.order);
