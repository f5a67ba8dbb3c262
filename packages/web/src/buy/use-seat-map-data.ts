import type { SessionView } from "@rush/contracts";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { readTokens } from "../api/auth-tokens.ts";
import { decodeSeatMap } from "@rush/contracts/seat-map-runs";
import { getSeats, getVenueSeatMap } from "../api/endpoints.ts";
import { takeBoot } from "../app/boot.ts";
import { messageOf } from "../api/problem.ts";
import type { FeedHub } from "../live/feed-hub.ts";
import { type SeatLayout, buildLayout } from "../seatmap/layout.ts";
import { type SeatStatuses, applyDelta, applySnapshot, createSeatStatuses, resetFeed } from "../seatmap/seat-state.ts";
import { takeSeats } from "./seat-prefetch.ts";

export interface SeatMapData {
  layout: SeatLayout;
  statuses: SeatStatuses;
}

export interface SeatMapDataState {
  data: SeatMapData | null;
  error: string | null;
  /** Bumped whenever any seat's status changes. */
  revision: number;
  /** Seats whose status changed in the last update (to drop them from a selection). */
  lastChanged: readonly number[];
  /** Marks statuses as changed outside the feed (a hold granted, a 409), so the map redraws. */
  touch(changed: readonly number[]): void;
  /** Fetches the whole map again. */
  refetch(): void;
}

/**
 * The venue's layout and every seat's live status: the venue and `GET …/seats` once, then the
 * live feed's deltas; a skipped `seq`, a reconnect, or a subscription that starts ahead of the
 * snapshot fetches the map again (per-seat versions make the order of the two irrelevant).
 */
/** When a snapshot older than the live feed's start is read again (just past the gate's 1 s re-read window). */
const STALE_SNAPSHOT_RETRY_MS = 1_200;

/** How often the public (signed-out) map reads the seats again: it has no live feed. */
const PUBLIC_POLL_MS = 10_000;

export function useSeatMapData(session: SessionView, hub: FeedHub, options: { poll?: boolean } = {}): SeatMapDataState {
  const [data, setData] = useState<SeatMapData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const [lastChanged, setLastChanged] = useState<readonly number[]>([]);
  const dataRef = useRef<SeatMapData | null>(null);
  const fetching = useRef<{ again: boolean } | null>(null);

  const touch = (changed: readonly number[]) => {
    if (changed.length === 0) return;
    setLastChanged(changed);
    setRevision((n) => n + 1);
  };

  const refetch = () => {
    const current = dataRef.current;
    if (!current) return;
    if (fetching.current) {
      fetching.current.again = true;
      return;
    }
    const state = { again: false };
    fetching.current = state;
    let stale = false;
    void (async () => {
      try {
        do {
          state.again = false;
          const view = await getSeats(session.id);
          touch(applySnapshot(current.statuses, current.layout, view));
          // The gate serves a changing map from a read up to SEAT_MAP_REFRESH_MS old: one older than
          // the live feed's start may miss a change made in between, so it is read again shortly.
          const subscribed = hub.last("subscribed");
          stale = subscribed !== undefined && view.version < subscribed.version;
        } while (state.again);
      } catch (e) {
        setError(`Could not refresh the seat map: ${messageOf(e)}`);
      } finally {
        fetching.current = null;
        if (stale) setTimeout(refetch, STALE_SNAPSHOT_RETRY_MS);
      }
    })();
  };

  // Started at render, not after the next frame: the map's data is what the page waits for.
  useLayoutEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const taken = takeSeats(session.id);
        // Carried by the page (its own venue only), the map is built before the first paint: the
        // awaits below then settle in microtasks, not in a later task.
        const carried = takeBoot("venueSeatMap", session.id);
        const venue = carried ? Promise.resolve(decodeSeatMap(carried)) : getVenueSeatMap(session.venueId);
        const [seatMap, seats] = await Promise.all([venue, taken.seats]);
        if (cancelled) return;
        // Marks for the weight test's breakdown (bytes on the wire vs parsing vs building the layout).
        performance.mark("rush:seatmap-fetched");
        const layout = buildLayout(seatMap, session.priceCategories);
        performance.mark("rush:layout-built");
        const statuses = createSeatStatuses(layout);
        applySnapshot(statuses, layout, seats);
        performance.mark("rush:statuses-applied");
        const subscribed = hub.last("subscribed");
        if (subscribed) resetFeed(statuses, subscribed.seq);
        dataRef.current = { layout, statuses };
        setData(dataRef.current);
        // Subscribed before the snapshot was read and things moved since, or a signed-in buyer's
        // map drawn from the page's anonymous seats (their own holds look taken): read it again.
        if ((subscribed && subscribed.version > statuses.version) || (taken.anonymous && readTokens())) refetch();
      } catch (e) {
        if (!cancelled) setError(`Could not load the seat map: ${messageOf(e)}`);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [session.id, session.venueId]);

  useEffect(() => {
    if (!options.poll) return;
    const timer = setInterval(refetch, PUBLIC_POLL_MS);
    return () => clearInterval(timer);
  }, [options.poll, session.id]);

  useEffect(() => {
    const offSubscribed = hub.on("subscribed", ({ version, seq, reconnected }) => {
      const current = dataRef.current;
      if (!current) return;
      resetFeed(current.statuses, seq);
      if (reconnected || version > current.statuses.version) refetch();
    });
    const offSeats = hub.on("seats", (update) => {
      const current = dataRef.current;
      if (!current || update.sessionId !== session.id) return;
      const outcome = applyDelta(current.statuses, current.layout, update);
      if (outcome.kind === "duplicate") return;
      touch(outcome.changed);
      if (outcome.gap) refetch();
    });
    return () => {
      offSubscribed();
      offSeats();
    };
  }, [session.id, hub]);

  return { data, error, revision, lastChanged, touch, refetch };
}
