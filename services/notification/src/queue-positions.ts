import { type QueueUpdate, redisKeys } from "@rush/contracts";
import type { Redis } from "ioredis";
import type { SessionLookup } from "./session-lookup.ts";

/**
 * Waiting-room positions pushed to the buyers waiting, read from the gate's waiting room in
 * Redis without touching it (the gate owns it; see services/gate/src/waiting-room):
 * `redisKeys.waitingRoom` (queue: sorted set user → place; admission: `cursor`, `last`), the cursor
 * advancing at `admitPerSecond` from the sale start, capped at queue length + burst. Projected to
 * now exactly as the gate's next status call would (its STATUS script in
 * services/gate/src/waiting-room/waiting-room.ts: change both together), so a socket
 * and a poll agree.
 */
export const waitingRoomKeys = redisKeys.waitingRoom;

interface Room {
  saleStartsAt: number;
  admitPerSecond: number;
}

export interface Watcher {
  userId: string;
  send(update: QueueUpdate): void;
}

/** How many of the queue, front first, are admitted at `now` (the gate's ADVANCE, read-only). */
export function admittedAt(room: Room, cursor: number | undefined, last: number | undefined, queueLength: number, now: number): number {
  if (now < room.saleStartsAt) return 0;
  const burst = Math.max(1, Math.ceil(room.admitPerSecond));
  let admitted = cursor ?? 0;
  const since = last ?? room.saleStartsAt;
  if (now > since) admitted = Math.max(admitted, Math.min(queueLength + burst, admitted + ((now - since) * room.admitPerSecond) / 1000));
  return Math.floor(admitted);
}

export function createQueuePositions(deps: { redis: Redis; sessions: SessionLookup; tickMs: number; now?: () => number; onError(error: unknown): void }) {
  const now = deps.now ?? Date.now;
  const watching = new Map<string, Map<Watcher, string | undefined>>();

  const roomOf = async (sessionId: string): Promise<Room | null> => {
    const session = await deps.sessions.get(sessionId);
    return session?.room ? { saleStartsAt: session.saleStartsAt, admitPerSecond: session.room.admitPerSecond } : null;
  };

  const tickSession = async (sessionId: string, watchers: Map<Watcher, string | undefined>) => {
    const room = await roomOf(sessionId);
    if (!room) return;
    const keys = waitingRoomKeys(sessionId);
    const list = [...watchers.keys()];
    const pipeline = deps.redis.pipeline().hmget(keys.admission, "cursor", "last").zcard(keys.queue);
    for (const w of list) pipeline.zrank(keys.queue, w.userId);
    const results = (await pipeline.exec()) ?? [];
    const [cursor, last] = (results[0]?.[1] as (string | null)[]) ?? [];
    const admitted = admittedAt(room, cursor ? Number(cursor) : undefined, last ? Number(last) : undefined, Number(results[1]?.[1] ?? 0), now());
    list.forEach((watcher, i) => {
      const rank = results[i + 2]?.[1] as number | null;
      if (rank === null || rank === undefined) return;
      const isIn = rank < admitted;
      const update = { sessionId, position: isIn ? 0 : rank - admitted + 1, admitted: isIn };
      const key = `${update.position}:${update.admitted}`;
      if (watchers.get(watcher) === key) return;
      watchers.set(watcher, key);
      watcher.send(update);
    });
  };

  const timer = setInterval(() => {
    for (const [sessionId, watchers] of watching) tickSession(sessionId, watchers).catch(deps.onError);
  }, deps.tickMs);
  timer.unref();

  return {
    watch(sessionId: string, watcher: Watcher) {
      const watchers = watching.get(sessionId) ?? new Map();
      watchers.set(watcher, undefined);
      watching.set(sessionId, watchers);
      tickSession(sessionId, new Map([[watcher, undefined]])).catch(deps.onError);
    },
    unwatch(sessionId: string, watcher: Watcher) {
      const watchers = watching.get(sessionId);
      watchers?.delete(watcher);
      if (watchers?.size === 0) watching.delete(sessionId);
    },
    close() {
      clearInterval(timer);
    },
  };
}
