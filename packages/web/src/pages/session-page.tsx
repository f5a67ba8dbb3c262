import type { QueueStatus, SessionView } from "@rush/contracts";
import { useEffect, useMemo, useState } from "preact/hooks";
import { getSession } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { useAuth } from "../app/auth-state.ts";
import { takeBoot } from "../app/boot.ts";
import { LazyPage, lazyModule } from "../app/lazy-page.tsx";
import { onLinkClick } from "../app/router.ts";
import { type AdmissionKeeper, createAdmissionKeeper } from "../buy/admission.ts";
import { BuyScreen } from "../buy/buy-screen.tsx";
import { ResaleList } from "../buy/resale-list.tsx";
import { prefetchSeats } from "../buy/seat-prefetch.ts";
import { useNow } from "../buy/panels.tsx";
import { SALE_BADGE, formatSessionStart, saleState, saleStateWords } from "../format/sale-state.ts";
import { createFeedHub } from "../live/feed-hub.ts";
import { type FeedState, openLiveFeed } from "../live/live-feed.ts";

/** Only signed-in buyers queue: the public map's first frame does without the waiting room and its proof of work. */
const waitingRoom = lazyModule(() => import("../buy/waiting-room.tsx"));

const FEED_WORDS: Record<FeedState, string> = { live: "Live", connecting: "Connecting…", offline: "Offline" };

/** `/sessions/:id`: sign-in, then the waiting room, then the live seat map. */
export function SessionPage(props: { id: string }) {
  const auth = useAuth();
  const [session, setSession] = useState<SessionView | null>(() => takeBoot("session", props.id) ?? null);
  const [error, setError] = useState<string | null>(null);
  const [admission, setAdmission] = useState<AdmissionKeeper | null>(null);
  const [feed, setFeed] = useState<{ state: FeedState; detail?: string }>({ state: "connecting" });
  const hub = useMemo(createFeedHub, [props.id]);
  const now = useNow();

  useEffect(() => {
    setAdmission(null);
    // The page's HTML carried this session (and its seats, which the map takes itself): nothing to wait for.
    if (session?.id === props.id) return;
    setSession(null);
    prefetchSeats(props.id);
    getSession(props.id).then(setSession, (e) => setError(messageOf(e)));
  }, [props.id]);

  const signedIn = auth.tokens !== null;
  useEffect(() => {
    if (!signedIn) return;
    const off = hub.on("state", setFeed);
    const live = openLiveFeed(props.id, {
      onState: (state, detail) => hub.emit("state", detail ? { state, detail } : { state }),
      onSubscribed: (ack, reconnected) => hub.emit("subscribed", { ...ack, reconnected }),
      onSeats: (u) => hub.emit("seats", u),
      onOrder: (u) => hub.emit("order", u),
      onQueue: (u) => hub.emit("queue", u),
      onWaitlist: (u) => hub.emit("waitlist", u),
    });
    return () => {
      off();
      live.close();
    };
  }, [props.id, signedIn, hub]);

  if (error) return <p class="notice error">{error}</p>;
  if (!session) return <p class="loading">Loading…</p>;
  const state = saleState(session, now);
  // The live feed's state only means something on a map that is selling.
  const live = state === "on_sale";
  const next = encodeURIComponent(`/sessions/${props.id}`);

  return (
    <div class="session-page">
      <header class="session-header">
        <div>
          <p class="eyebrow">
            <a href={`/events/${session.eventId}`} onClick={onLinkClick}>
              All dates of this event
            </a>
          </p>
          <h1>{session.eventName}</h1>
          <p class="muted session-when">
            {formatSessionStart(session.startsAt)} <span class={`badge ${state}`}>{SALE_BADGE[state]}</span>
            {session.waitingRoom?.enabled && <span class="badge waiting">Waiting room</span>}
          </p>
          <p class="muted small" data-testid="sale-state">
            {saleStateWords(state, session, now)}
          </p>
        </div>
        {signedIn && live && (
          <p class={`feed-state ${feed.state}`} title={feed.detail ?? ""} data-testid="feed-state">
            <span class="dot" aria-hidden="true" /> {FEED_WORDS[feed.state]}
          </p>
        )}
      </header>
      {state === "not_public" || state === "ended" ? (
        <p class="notice info">{state === "ended" ? "The sale for this date has ended." : "This date is not on sale yet."}</p>
      ) : !signedIn ? (
        <>
          <p class="notice info" data-testid="public-map">
            Browse the seats and prices. To hold seats,{" "}
            <a href={`/signin?next=${next}`} onClick={onLinkClick}>
              sign in
            </a>{" "}
            or{" "}
            <a href={`/signup?next=${next}`} onClick={onLinkClick}>
              create an account
            </a>
            {session.waitingRoom?.enabled ? " and join the queue" : ""}.
          </p>
          <BuyScreen session={session} hub={hub} admission={null} onAdmissionLost={() => {}} />
        </>
      ) : !admission ? (
        <LazyPage
          module={waitingRoom}
          page={(m) => m.WaitingRoom}
          props={{ session, hub, onAdmitted: (status: QueueStatus) => setAdmission(createAdmissionKeeper(session.id, status)) }}
        />
      ) : (
        <BuyScreen session={session} hub={hub} admission={admission} onAdmissionLost={() => setAdmission(null)} />
      )}
      {state !== "not_public" && <ResaleList sessionId={session.id} signedIn={signedIn} />}
    </div>
  );
}
