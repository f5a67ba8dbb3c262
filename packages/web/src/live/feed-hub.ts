import type { OrderUpdate, QueueUpdate, SeatsUpdate, WaitlistOfferUpdate } from "@rush/contracts";
import type { FeedState } from "./live-feed.ts";

/** What one live feed fans out to the parts of a page that care (waiting room, seat map, checkout). */
export interface FeedEvents {
  subscribed: { version: number; seq: number; reconnected: boolean };
  seats: SeatsUpdate;
  order: OrderUpdate;
  queue: QueueUpdate;
  waitlist: WaitlistOfferUpdate;
  state: { state: FeedState; detail?: string };
}

export interface FeedHub {
  on<K extends keyof FeedEvents>(event: K, listener: (value: FeedEvents[K]) => void): () => void;
  emit<K extends keyof FeedEvents>(event: K, value: FeedEvents[K]): void;
  /** The last `state` and `subscribed` seen, for listeners that arrive late. */
  last<K extends "state" | "subscribed">(event: K): FeedEvents[K] | undefined;
}

export function createFeedHub(): FeedHub {
  const listeners = new Map<keyof FeedEvents, Set<(value: never) => void>>();
  const latest: Partial<Pick<FeedEvents, "state" | "subscribed">> = {};
  return {
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener as (value: never) => void);
      return () => void set.delete(listener as (value: never) => void);
    },
    emit(event, value) {
      if (event === "state" || event === "subscribed") (latest as Record<string, unknown>)[event] = value;
      for (const listener of listeners.get(event) ?? []) (listener as (v: typeof value) => void)(value);
    },
    last(event) {
      return latest[event];
    },
  };
}
