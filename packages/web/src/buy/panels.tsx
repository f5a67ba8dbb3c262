import type { HoldCreated, PriceCategory } from "@rush/contracts";
import { useEffect, useState } from "preact/hooks";
import { formatMoney, sumMoney } from "../format/money.ts";
import { countdownWords, formatCountdown, secondsLeft } from "../format/time.ts";
import { categoryOfSeat, seatName } from "../seatmap/describe.ts";
import type { SeatLayout } from "../seatmap/layout.ts";
import { STATUS, type SeatStatuses } from "../seatmap/seat-state.ts";

/** The current time, ticking every `intervalMs`. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** The picked seats, their total, and the button that holds them. */
export function SelectionPanel(props: {
  /** Holding needs an account: the button says so. */
  signedOut?: boolean;
  layout: SeatLayout;
  categories: readonly PriceCategory[];
  seats: readonly number[];
  limit: number;
  busy: boolean;
  onHold(): void;
  onRemove(seat: number): void;
  onClear(): void;
}) {
  const { layout, categories, seats } = props;
  const prices = seats.map((s) => categoryOfSeat(layout, categories, s)?.price).filter((p) => p !== undefined);
  const total = sumMoney(prices);
  return (
    <section class="panel" aria-labelledby="selection-title">
      <h2 id="selection-title" class="panel-title">
        Your picks <span class="muted">({seats.length} of at most {props.limit})</span>
      </h2>
      {seats.length === 0 ? (
        <p class="muted">Pick seats on the map, or let us find the best ones below.</p>
      ) : (
        <ul class="seat-list" data-testid="selection">
          {seats.map((s) => (
            <li key={s}>
              <span>{seatName(layout, s)}</span>
              <span class="seat-list-price">{prices[seats.indexOf(s)] ? formatMoney(prices[seats.indexOf(s)]!) : ""}</span>
              <button type="button" class="link-button" aria-label={`Remove ${seatName(layout, s)}`} onClick={() => props.onRemove(s)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {seats.length > 0 && (
        <div class="panel-actions">
          <button type="button" class="primary" disabled={props.busy} onClick={props.onHold}>
            {props.busy
              ? "Holding…"
              : `${props.signedOut ? "Sign in to hold" : "Hold"} ${seats.length} seat${seats.length === 1 ? "" : "s"}${total ? ` · ${formatMoney(total)}` : ""}`}
          </button>
          <button type="button" class="secondary" disabled={props.busy} onClick={props.onClear}>
            Clear
          </button>
        </div>
      )}
    </section>
  );
}

/** "Best N seats in this area": the seat engine picks adjacent seats, front first. */
export function BestSeatsForm(props: {
  signedOut?: boolean;
  layout: SeatLayout;
  statuses: SeatStatuses;
  categories: readonly PriceCategory[];
  limit: number;
  busy: boolean;
  revision: number;
  onSubmit(area: number, quantity: number): void;
}) {
  const { layout, statuses, categories } = props;
  const onSale = layout.areas.map((a, i) => ({ a, i })).filter(({ a }) => a.category >= 0);
  const free = (area: number) => {
    const { start, end } = layout.areas[area]!;
    let n = 0;
    for (let s = start; s < end; s++) if (statuses.codes[s] === STATUS.available) n++;
    return n;
  };
  const [area, setArea] = useState(onSale[0]?.i ?? -1);
  const [quantity, setQuantity] = useState(Math.min(2, props.limit));
  if (onSale.length === 0) return null;
  return (
    <form
      class="panel"
      aria-labelledby="best-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (area >= 0) props.onSubmit(area, quantity);
      }}
    >
      <h2 id="best-title" class="panel-title">
        Best available
      </h2>
      <div class="field-row">
        <label class="field">
          <span>Seats</span>
          <input type="number" min={1} max={props.limit} value={quantity} onInput={(e) => setQuantity(Number((e.target as HTMLInputElement).value))} />
        </label>
        <label class="field grow">
          <span>Area</span>
          <select value={String(area)} onChange={(e) => setArea(Number((e.target as HTMLSelectElement).value))}>
            {onSale.map(({ a, i }) => (
              <option key={a.id} value={String(i)}>
                {a.name} · {categories[a.category]?.name} {categories[a.category] ? formatMoney(categories[a.category]!.price) : ""} · {free(i)} free
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="submit" class="secondary" disabled={props.busy || quantity < 1 || quantity > props.limit}>
        {props.signedOut ? "Sign in to hold" : "Find and hold"} the best {quantity} seat{quantity === 1 ? "" : "s"}
      </button>
    </form>
  );
}

/** A live hold: its seats, the countdown to its expiry, pay and release. */
export function HoldPanel(props: {
  hold: HoldCreated;
  layout: SeatLayout;
  busy: "paying" | "releasing" | null;
  onPay(): void;
  onRelease(): void;
}) {
  const now = useNow();
  const left = secondsLeft(Date.parse(props.hold.expiresAt), now);
  const total = sumMoney(props.hold.seats.map((s) => s.price));
  const urgent = left <= 60;
  return (
    <section class="panel hold-panel" aria-labelledby="hold-title" data-testid="hold-panel">
      <h2 id="hold-title" class="panel-title">
        Your seats are held
      </h2>
      <p class={`countdown${urgent ? " urgent" : ""}`}>
        <span class="countdown-clock" aria-hidden="true" data-testid="hold-countdown">
          {formatCountdown(left)}
        </span>
        <span class="visually-hidden">{countdownWords(left)} left to pay</span>
        <span class="countdown-label" aria-hidden="true">
          left to pay
        </span>
      </p>
      {/* Announce only the last minute, not every second. */}
      <p class="visually-hidden" aria-live="assertive">
        {left === 60 ? "One minute left to pay for your seats." : left === 0 ? "Your hold has expired." : ""}
      </p>
      <ul class="seat-list">
        {props.hold.seats.map((s) => {
          const i = props.layout.index.get(s.id);
          return (
            <li key={s.id}>
              <span>{i === undefined ? s.id : seatName(props.layout, i)}</span>
              <span class="seat-list-price">{formatMoney(s.price)}</span>
            </li>
          );
        })}
      </ul>
      <div class="panel-actions">
        <button type="button" class="primary" disabled={props.busy !== null || left === 0} onClick={props.onPay}>
          {props.busy === "paying" ? "Paying…" : `Pay ${total ? formatMoney(total) : ""}`}
        </button>
        <button type="button" class="secondary" disabled={props.busy !== null} onClick={props.onRelease}>
          {props.busy === "releasing" ? "Releasing…" : "Release"}
        </button>
      </div>
      <p class="muted small">Test payments: the mock provider charges nothing.</p>
    </section>
  );
}
