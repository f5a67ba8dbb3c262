import type { SessionView, WaitlistEntryView } from "@rush/contracts";
import { useEffect, useState } from "preact/hooks";
import { joinWaitlist, leaveWaitlist, waitlistStatus } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import type { FeedHub } from "../live/feed-hub.ts";

/** How often a waiting buyer's place is read again (offers also arrive live, this is the fallback). */
const POLL_MS = 5_000;

/**
 * "Join the waiting list" on a sold-out session or area, then the buyer's place on it. When seats
 * come back the engine holds them for the front of the list: `onOffer` hands the offer to the
 * buy screen, which shows it as a hold with its Pay button.
 */
export function WaitlistPanel(props: {
  session: SessionView;
  hub: FeedHub;
  areas: { id: string; name: string }[];
  limit: number;
  onOffer(entry: WaitlistEntryView): void;
}) {
  const { session, hub, areas } = props;
  const [entries, setEntries] = useState<WaitlistEntryView[] | null>(null);
  const [picked, setArea] = useState(areas[0]?.id ?? "");
  // The sold-out areas change with the live map: a pick that is no longer among them falls back to the first.
  const area = areas.some((a) => a.id === picked) ? picked : (areas[0]?.id ?? "");
  const [quantity, setQuantity] = useState(Math.min(2, props.limit));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const take = (list: WaitlistEntryView[]) => {
    setEntries(list);
    const offer = list.find((entry) => entry.status === "offered");
    if (offer) props.onOffer(offer);
  };
  const refresh = () => waitlistStatus(session.id).then((status) => take(status.entries), () => {});

  useEffect(() => {
    void refresh();
    const off = hub.on("waitlist", (update) => update.sessionId === session.id && void refresh());
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [session.id]);

  const waiting = entries?.filter((entry) => entry.status === "waiting") ?? [];
  if (entries === null || (waiting.length === 0 && areas.length === 0)) return null;

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      await refresh();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="waitlist-title" data-testid="waitlist-panel">
      <h2 id="waitlist-title" class="panel-title">
        Waiting list
      </h2>
      {waiting.length > 0 ? (
        <>
          {waiting.map((entry) => (
            <p key={entry.entryId} data-testid="waitlist-position">
              You are <strong>number {entry.position}</strong> on the waiting list for {entry.quantity} seat{entry.quantity === 1 ? "" : "s"} in {entry.areaId}.
            </p>
          ))}
          <p class="muted small">When seats come back they are held for you for a few minutes: we tell you here and by e-mail.</p>
          <button type="button" class="secondary" disabled={busy} onClick={() => act(() => leaveWaitlist(session.id))}>
            Leave the waiting list
          </button>
        </>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void act(() => joinWaitlist(session.id, { areaId: area, quantity }));
          }}
        >
          <p>{areas.length === 1 ? `${areas[0]!.name} is sold out.` : "These areas are sold out."} Seats that come back go to the waiting list first, in order.</p>
          <div class="field-row">
            <label class="field">
              <span>Seats</span>
              <input type="number" min={1} max={props.limit} value={quantity} onInput={(e) => setQuantity(Number((e.target as HTMLInputElement).value))} />
            </label>
            {areas.length > 1 && (
              <label class="field grow">
                <span>Area</span>
                <select value={area} onChange={(e) => setArea((e.target as HTMLSelectElement).value)}>
                  {areas.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
          <button type="submit" class="primary" disabled={busy || quantity < 1 || quantity > props.limit}>
            Join the waiting list
          </button>
        </form>
      )}
      {error && <p class="notice error">{error}</p>}
    </section>
  );
}
