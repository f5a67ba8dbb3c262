import type { HoldCreated, SessionView, WaitlistEntryView } from "@rush/contracts";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { type HoldBody, getHold, releaseHold } from "../api/endpoints.ts";
import { ApiError, messageOf } from "../api/problem.ts";
import { navigate } from "../app/router.ts";
import type { FeedHub } from "../live/feed-hub.ts";
import type { SeatMapController } from "../seatmap/controller.ts";
import { seatName } from "../seatmap/describe.ts";
import { Legend } from "../seatmap/legend.tsx";
import { SeatMap } from "../seatmap/seat-map.tsx";
import { STATUS, markTaken, setMine } from "../seatmap/seat-state.ts";
import { type Selection, emptySelection, pruneSelection, toggleSeat } from "../seatmap/selection.ts";
import { type AdmissionKeeper, NotAdmittedError } from "./admission.ts";
import { placeHold, unavailableSeats } from "./hold-flow.ts";
import { sharedHold } from "./open-holds.ts";
import { BestSeatsForm, HoldPanel, SelectionPanel, useNow } from "./panels.tsx";
import { outcomeWords, payOrder, payProblemWords } from "./pay-flow.ts";
import { useSeatMapData } from "./use-seat-map-data.ts";
import { soldOutAreas } from "./sold-out.ts";
import { WaitlistPanel } from "./waitlist-panel.tsx";

type Notice = { kind: "error" | "info" | "success"; text: string };

const names = (list: string[]) => (list.length <= 1 ? (list[0] ?? "") : `${list.slice(0, -1).join("; ")} and ${list.at(-1)}`);

const picksKey = (sessionId: string) => `rush.picks.${sessionId}`;

/**
 * The buying screen: the live seat map, picking, "best N", the hold with its countdown, paying.
 * Without `admission` (signed out) it is the public map: seats and prices, picks allowed, and
 * holding asks for an account first (the picks wait in this tab until the buyer is back).
 */
export function BuyScreen(props: { session: SessionView; hub: FeedHub; admission: AdmissionKeeper | null; onAdmissionLost(): void }) {
  const { session, hub, admission } = props;
  const { data, error, revision, lastChanged, touch } = useSeatMapData(session, hub, { poll: admission === null });
  const [selection, setSelectionState] = useState<Selection>(emptySelection);
  const [hold, setHoldState] = useState<HoldCreated | null>(null);
  const [busy, setBusy] = useState<"holding" | "paying" | "releasing" | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const controller = useRef<SeatMapController | null>(null);
  const dataRef = useRef(data);
  dataRef.current = data;
  const now = useNow();

  const setHold = (next: HoldCreated | null) => {
    setHoldState(next);
    sharedHold.write(session.id, next);
  };
  const setSelection = (next: Selection | ((s: Selection) => Selection)) =>
    setSelectionState((old) => {
      const value = typeof next === "function" ? next(old) : next;
      if (data) sessionStorage.setItem(picksKey(session.id), JSON.stringify(value.seats.map((s) => data.layout.ids[s])));
      return value;
    });
  const indicesOf = (ids: readonly string[]) => ids.map((id) => data?.layout.index.get(id)).filter((i) => i !== undefined);

  // A hold from before a reload or from another tab or device, if the engine still has it.
  useEffect(() => {
    if (!admission) return;
    const adopt = async (candidate: HoldCreated | null) => {
      const previous = candidate ?? (await sharedHold.fromOrders(session.id).catch(() => null));
      if (!previous) return setHoldState(null);
      const h = await getHold(previous.holdId).catch(() => null);
      const live = h?.status === "held" && h.expiresAt && Date.parse(h.expiresAt) > Date.now();
      if (live) setHold({ ...previous, expiresAt: h.expiresAt! });
      else if (candidate) setHold(null);
    };
    void adopt(sharedHold.read(session.id));
    // Another tab held, paid or released: follow it.
    return sharedHold.watch(session.id, (next) => {
      if (next) return void adopt(next);
      setHoldState((old) => {
        const current = dataRef.current;
        if (old && current) {
          const seats = old.seats.map((s) => current.layout.index.get(s.id)).filter((i) => i !== undefined);
          touch(setMine(current.statuses, seats, false));
        }
        return null;
      });
    });
  }, [session.id]);

  // Picks made before signing in (or a reload) come back once the map is there.
  useEffect(() => {
    if (!data) return;
    const saved = JSON.parse(sessionStorage.getItem(picksKey(session.id)) ?? "[]") as string[];
    const seats = indicesOf(saved).filter((s) => data.statuses.codes[s] === STATUS.available);
    if (seats.length > 0) setSelectionState({ seats: seats.slice(0, session.maxSeatsPerHold) });
  }, [data]);

  // The hold's seats are "mine" on the map.
  useEffect(() => {
    if (!data || !hold) return;
    touch(setMine(data.statuses, indicesOf(hold.seats.map((s) => s.id)), true));
  }, [data, hold]);

  // Seats someone else just took leave the picks, with a word why.
  useEffect(() => {
    if (!data || lastChanged.length === 0) return;
    const { selection: kept, lost } = pruneSelection(selection, data.statuses);
    if (lost.length === 0) return;
    setSelection(kept);
    const list = lost.map((s) => seatName(data.layout, s));
    setNotice({ kind: "error", text: `${names(list)} ${lost.length === 1 ? "was" : "were"} just taken by another buyer. Pick another seat.` });
  }, [lastChanged]);

  // The countdown ran out: the engine expires the hold and the seats go back on sale.
  useEffect(() => {
    if (!hold || !data || Date.parse(hold.expiresAt) > now || busy === "paying") return;
    touch(setMine(data.statuses, indicesOf(hold.seats.map((s) => s.id)), false));
    setHold(null);
    setNotice({ kind: "error", text: "Your hold expired and the seats were released. Pick seats again to buy." });
  }, [now, hold, busy]);

  const selected = useMemo(() => new Set(selection.seats), [selection]);

  if (error) return <p class="notice error">{error}</p>;
  if (!data) return <p class="loading">Loading the seat map…</p>;
  const { layout, statuses } = data;
  const limit = session.maxSeatsPerHold;

  const onPick = (seat: number) => {
    if (hold) {
      setNotice({ kind: "info", text: "You are holding seats: pay for them or release them before picking others." });
      return;
    }
    const result = toggleSeat(selection, layout, statuses, seat, limit, (s) => seatName(layout, s));
    if (!result.ok) return setNotice({ kind: "error", text: result.message });
    setSelection(result.selection);
    setNotice(null);
  };

  const requestSeats = async (body: HoldBody, area?: number) => {
    if (!admission) {
      navigate(`/signin?next=${encodeURIComponent(`/sessions/${session.id}`)}&reason=hold`);
      return;
    }
    setBusy("holding");
    setNotice(null);
    try {
      const granted = await placeHold(session.id, body, () => admission.headers());
      setHold(granted);
      setSelection(emptySelection);
      if (area !== undefined) controller.current?.showArea(area);
      const mins = Math.round((Date.parse(granted.expiresAt) - Date.now()) / 60_000);
      setNotice({ kind: "success", text: `Held ${granted.seats.length} seat${granted.seats.length === 1 ? "" : "s"} for you: pay within ${mins} minute${mins === 1 ? "" : "s"}.` });
    } catch (e) {
      const taken = unavailableSeats(e);
      if (taken.length > 0) {
        const seats = indicesOf(taken);
        touch(markTaken(statuses, seats));
        setSelection((s) => ({ seats: s.seats.filter((x) => !seats.includes(x)) }));
        const list = seats.map((s) => seatName(layout, s));
        setNotice({
          kind: "error",
          text: `Sorry, ${names(list.length ? list : taken)} ${taken.length === 1 ? "is" : "are"} no longer available: another buyer got there first. Pick another seat.`,
        });
      } else if (e instanceof NotAdmittedError || (e instanceof ApiError && e.code === "admission_required")) {
        props.onAdmissionLost();
      } else if (e instanceof ApiError && e.code === "unavailable") {
        setNotice({ kind: "error", text: "Not enough seats left together in that area. Try fewer seats or another area." });
      } else {
        setNotice({ kind: "error", text: messageOf(e) });
      }
    } finally {
      setBusy(null);
    }
  };

  const onPay = async () => {
    if (!hold) return;
    setBusy("paying");
    setNotice(null);
    try {
      const outcome = await payOrder(hold.orderId, { orderEvents: (listener) => hub.on("order", (u) => u.orderId === hold.orderId && listener(u.status)) });
      if (outcome.status === "completed") {
        setHold(null);
        navigate(`/tickets?order=${hold.orderId}`);
        return;
      }
      const text = outcomeWords(outcome);
      if (outcome.status === "refunded" || outcome.status === "expired") setHold(null);
      setNotice({ kind: outcome.status === "failed" || outcome.status === "refunded" || outcome.status === "expired" ? "error" : "info", text });
    } catch (e) {
      setNotice({ kind: "error", text: payProblemWords(e) });
    } finally {
      setBusy(null);
    }
  };

  /** Seats the waiting list offered this buyer: already a hold of theirs, paid like any other. */
  const onOffer = async (entry: WaitlistEntryView) => {
    if (!entry.holdId || !entry.orderId || hold?.holdId === entry.holdId) return;
    const details = await getHold(entry.holdId).catch(() => null);
    if (details?.status !== "held" || !details.expiresAt) return;
    setHold({ holdId: entry.holdId, orderId: entry.orderId, sessionId: session.id, areaId: entry.areaId, seats: details.seats, expiresAt: details.expiresAt });
    setNotice({ kind: "success", text: "Seats came back and are held for you from the waiting list: pay before the time runs out." });
  };

  const onRelease = async () => {
    if (!hold) return;
    setBusy("releasing");
    try {
      await releaseHold(hold.holdId);
      touch(setMine(statuses, indicesOf(hold.seats.map((s) => s.id)), false));
      setHold(null);
      setNotice({ kind: "info", text: "Released: the seats are back on sale." });
    } catch (e) {
      setNotice({ kind: "error", text: messageOf(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div class="buy-layout">
      <div class="buy-map">
        <SeatMap
          layout={layout}
          statuses={statuses}
          categories={session.priceCategories}
          title={`Seat map of ${session.eventName}`}
          selected={selected}
          revision={revision}
          onPick={onPick}
          onReady={(c) => {
            controller.current = c;
          }}
        />
      </div>
      <aside class="buy-side" aria-label="Your seats">
        <div role="status" aria-live="polite" data-testid="notice">
          {notice && <p class={`notice ${notice.kind}`}>{notice.text}</p>}
        </div>
        {hold ? (
          <HoldPanel hold={hold} layout={layout} busy={busy === "paying" || busy === "releasing" ? busy : null} onPay={onPay} onRelease={onRelease} />
        ) : (
          <>
            <SelectionPanel
              signedOut={!admission}
              layout={layout}
              categories={session.priceCategories}
              seats={selection.seats}
              limit={limit}
              busy={busy === "holding"}
              onHold={() => requestSeats({ seatIds: selection.seats.map((s) => layout.ids[s]!) })}
              onRemove={(s) => setSelection({ seats: selection.seats.filter((x) => x !== s) })}
              onClear={() => setSelection(emptySelection)}
            />
            <BestSeatsForm
              signedOut={!admission}
              layout={layout}
              statuses={statuses}
              categories={session.priceCategories}
              limit={limit}
              busy={busy === "holding"}
              revision={revision}
              onSubmit={(area, quantity) => requestSeats({ areaId: layout.areas[area]!.id, quantity }, area)}
            />
            {admission && <WaitlistPanel session={session} hub={hub} areas={soldOutAreas(layout, statuses)} limit={limit} onOffer={onOffer} />}
          </>
        )}
        <Legend categories={session.priceCategories} />
      </aside>
    </div>
  );
}
