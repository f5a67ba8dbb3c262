/** Logical partitions per deployment unless configured otherwise (DESIGN.md §3). */
export const DEFAULT_PARTITIONS = 64;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/** 32-bit FNV-1a over the UTF-8 bytes of `text`: stable across processes, languages and releases. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/**
 * The partition that owns a session's area: `fnv1a(sessionId + ":" + areaId) mod partitions`.
 * Every command for the area goes to this partition's actor, so its order is the stream's order.
 */
export function partitionOf(sessionId: string, areaId: string, partitions = DEFAULT_PARTITIONS): number {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  }
  return fnv1a32(`${sessionId}:${areaId}`) % partitions;
}
