import type { SessionSales } from "@rush/contracts";
import { useEffect, useState } from "preact/hooks";
import { getSales } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { formatMoney } from "../format/money.ts";
import { type FeedState, openLiveFeed } from "../live/live-feed.ts";

/** At most one sales read per this long, however fast seats change. */
const MIN_GAP_MS = 1000;
/** Holds per minute and the waiting room change without a seat changing: read them this often too. */
const IDLE_REFRESH_MS = 5000;

/**
 * Sales as they happen: the session's seat changes arrive over the same socket.io feed as the
 * buyers' map, and each burst of them (coalesced, at most once a second) reads the figures again.
 */
function useLiveSales(sessionId: string): { sales: SessionSales | null; error: string | null; feed: FeedState } {
  const [sales, setSales] = useState<SessionSales | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [feed, setFeed] = useState<FeedState>("connecting");
  useEffect(() => {
    let closed = false;
    let running = false;
    let again = false;
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      last = Date.now();
      try {
        const next = await getSales(sessionId);
        if (!closed) {
          setSales(next);
          setError(null);
        }
      } catch (e) {
        if (!closed) setError(messageOf(e));
      } finally {
        running = false;
        if (again && !closed) {
          again = false;
          schedule();
        }
      }
    };
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(read, Math.max(0, last + MIN_GAP_MS - Date.now()));
    };
    void read();
    const idle = setInterval(schedule, IDLE_REFRESH_MS);
    const live = openLiveFeed(sessionId, { onSeats: schedule, onSubscribed: schedule, onState: setFeed });
    return () => {
      closed = true;
      clearTimeout(timer);
      clearInterval(idle);
      live.close();
    };
  }, [sessionId]);
  return { sales, error, feed };
}

const n = (v: number) => v.toLocaleString("en");

/** Sold / held / available per price category and area, revenue, holds per minute, waiting room. */
export function SalesView(props: { sessionId: string }) {
  const { sales, error, feed } = useLiveSales(props.sessionId);
  return (
    <section class="panel" aria-labelledby="sales-title" data-testid="sales-view">
      <h2 id="sales-title">
        Sales <span class={`badge ${feed === "live" ? "on_sale" : "ended"}`}>{feed === "live" ? "Live" : feed === "connecting" ? "Connecting…" : "Offline"}</span>
      </h2>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {!sales && !error && <p class="loading">Loading…</p>}
      {sales && (
        <>
          <dl class="sales-tiles">
            <Tile label="Sold" value={`${n(sales.totals.sold)} of ${n(sales.totals.total)}`} id="sold" />
            <Tile label="Held" value={n(sales.totals.held)} id="held" />
            <Tile label="Available" value={n(sales.totals.available)} id="available" />
            <Tile label="Revenue" value={formatMoney(sales.revenue)} id="revenue" />
            <Tile label="Holds per minute" value={n(sales.holdsPerMinute)} id="holds-per-minute" />
            <Tile label="Waiting room" value={n(sales.waitingRoomLength)} id="waiting-room" />
          </dl>
          <CountsTable caption="By price category" rows={sales.priceCategories.map((c) => ({ ...c, key: c.id, name: `${c.name} · ${formatMoney(c.price)}` }))} />
          <CountsTable caption="By area" rows={sales.areas.map((a) => ({ ...a, key: a.id, name: `${a.name} (${a.id})` }))} />
          <p class="muted">Updated {new Date(sales.at).toLocaleTimeString("en-GB")}.</p>
        </>
      )}
    </section>
  );
}

function Tile(props: { label: string; value: string; id: string }) {
  return (
    <div class="sales-tile">
      <dt>{props.label}</dt>
      <dd data-testid={`sales-${props.id}`}>{props.value}</dd>
    </div>
  );
}

type Row = { key: string; name: string; sold: number; held: number; available: number; total: number };

function CountsTable(props: { caption: string; rows: Row[] }) {
  return (
    <table class="counts-table">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Sold</th>
          <th scope="col">Held</th>
          <th scope="col">Available</th>
          <th scope="col">Seats</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.name}</th>
            <td>{n(r.sold)}</td>
            <td>{n(r.held)}</td>
            <td>{n(r.available)}</td>
            <td>{n(r.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
