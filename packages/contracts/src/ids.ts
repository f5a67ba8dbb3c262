import { createHash } from "node:crypto";

// Fixed namespaces: the same inputs give the same ids in every process and every release.
const NAMESPACES = {
  command: "6f1f4f2e-8c1b-5a55-9a0e-6a7f0c7e0a01",
  hold: "6f1f4f2e-8c1b-5a55-9a0e-6a7f0c7e0a02",
  order: "6f1f4f2e-8c1b-5a55-9a0e-6a7f0c7e0a03",
} as const;

// A hold makes three of these ids: the namespace's bytes are parsed once, not per id.
const namespaceBytes = new Map<string, Buffer>();

/** RFC 9562 UUIDv5 (SHA-1, name-based): deterministic ids for idempotent retries. */
export function uuidV5(name: string, namespace: string): string {
  let ns = namespaceBytes.get(namespace);
  if (!ns) {
    ns = Buffer.from(namespace.replaceAll("-", ""), "hex");
    if (namespaceBytes.size < 64) namespaceBytes.set(namespace, ns);
  }
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A buyer's request with an `Idempotency-Key` always maps to the same command id. */
export const commandIdFor = (userId: string, idempotencyKey: string): string =>
  uuidV5(`${userId}:${idempotencyKey}`, NAMESPACES.command);

/** The hold a hold command creates, known before the actor answers. */
export const holdIdFor = (commandId: string): string => uuidV5(commandId, NAMESPACES.hold);

/** The order of a hold: the gate can answer it at once, before the order service has run. */
export const orderIdForHold = (holdId: string): string => uuidV5(holdId, NAMESPACES.order);
