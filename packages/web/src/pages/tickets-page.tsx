import type { TicketView } from "@rush/contracts";
import { useEffect, useState } from "preact/hooks";
import { listTicket, myTickets, withdrawListing } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { useAuth } from "../app/auth-state.ts";
import { onLinkClick, useLocation } from "../app/router.ts";

/** Tickets are issued a moment after the payment: look again this often, this long. */
const POLL_MS = 1000;
const POLL_FOR_MS = 30_000;

/** The ticket's signed payload as a QR image (the encoder is loaded only on this page). */
function TicketQr(props: { ticket: TicketView }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    import("qrcode")
      .then((qr) => qr.toDataURL(props.ticket.qr, { errorCorrectionLevel: "M", margin: 2, width: 232, color: { dark: "#000000", light: "#ffffff" } }))
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(""));
    return () => {
      live = false;
    };
  }, [props.ticket.qr]);
  if (src === null) return <div class="qr placeholder" aria-hidden="true" />;
  if (src === "") return <p class="notice error">Could not draw the QR code.</p>;
  return <img class="qr" src={src} width={232} height={232} alt={`QR code of ticket for seat ${props.ticket.seatId}`} data-testid="ticket-qr" />;
}

/** "Sell this ticket" (at its face value; the API takes no price), or withdraw a listing nobody is paying for. */
function ResaleButton(props: { ticket: TicketView; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (props.ticket.status !== "valid") return null;
  const listed = props.ticket.listingId !== undefined;
  const act = async () => {
    setBusy(true);
    setError(null);
    try {
      await (listed ? withdrawListing(props.ticket.id) : listTicket(props.ticket.id));
      props.onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <p class="small">
      {listed && <span class="badge">On resale</span>}{" "}
      <button type="button" class="link-button" disabled={busy} onClick={() => void act()} data-testid="resale-button">
        {listed ? "Withdraw from resale" : "Sell this ticket"}
      </button>
      {error && <span class="notice error">{error}</span>}
    </p>
  );
}

/** `/tickets?order=…`: the buyer's tickets with their QR codes; after a payment, waits for the new ones. */
export function TicketsPage() {
  const auth = useAuth();
  const { search } = useLocation();
  const order = search.get("order");
  const [tickets, setTickets] = useState<TicketView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!auth.tokens) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const until = Date.now() + POLL_FOR_MS;
    const load = async () => {
      try {
        const list = (await myTickets()).items;
        setTickets(list);
        setError(null);
        if (order && !list.some((t) => t.orderId === order) && Date.now() < until) timer = setTimeout(load, POLL_MS);
      } catch (e) {
        setError(messageOf(e));
        if (Date.now() < until) timer = setTimeout(load, POLL_MS * 2);
      }
    };
    void load();
    return () => clearTimeout(timer);
  }, [auth.tokens !== null, order, version]);

  if (!auth.tokens) {
    return (
      <p>
        <a href="/signin?next=%2Ftickets" onClick={onLinkClick}>
          Sign in
        </a>{" "}
        to see your tickets.
      </p>
    );
  }
  const fresh = order ? (tickets ?? []).filter((t) => t.orderId === order) : [];
  const others = (tickets ?? []).filter((t) => t.orderId !== order);
  return (
    <div>
      <h1>My tickets</h1>
      {order && (
        <div role="status" aria-live="polite">
          {fresh.length > 0 ? (
            <p class="notice success">Payment complete: here {fresh.length === 1 ? "is your ticket" : `are your ${fresh.length} tickets`}.</p>
          ) : (
            <p class="notice info">Payment complete: issuing your tickets…</p>
          )}
        </div>
      )}
      {error && <p class="notice error">{error}</p>}
      {tickets === null ? (
        <p class="loading">Loading tickets…</p>
      ) : tickets.length === 0 && !order ? (
        <p class="muted">
          No tickets yet.{" "}
          <a href="/" onClick={onLinkClick}>
            Find an event
          </a>
          .
        </p>
      ) : (
        <ul class="ticket-grid">
          {[...fresh, ...others].map((t) => (
            <li key={t.id} class={`ticket${t.status !== "valid" ? " inactive" : ""}${fresh.includes(t) ? " fresh" : ""}`} data-testid="ticket">
              <TicketQr ticket={t} />
              <div class="ticket-body">
                <p class="ticket-seat">Seat {t.seatId}</p>
                <p class="muted small">
                  {t.status === "valid" ? "Valid" : t.status === "used" ? "Used" : "No longer valid"} · ticket {t.id.slice(0, 8)}
                </p>
                <a class="small" href={`/sessions/${t.sessionId}`} onClick={onLinkClick}>
                  Session seat map
                </a>
                <ResaleButton ticket={t} onChanged={() => setVersion((v) => v + 1)} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
