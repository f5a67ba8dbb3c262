import type { OrderView, SessionView } from "@rush/contracts";
import { useEffect, useState } from "preact/hooks";
import { getSession, myOrders } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { useAuth } from "../app/auth-state.ts";
import { navigate, onLinkClick } from "../app/router.ts";
import { isPayable, sharedHold } from "../buy/open-holds.ts";
import { useNow } from "../buy/panels.tsx";
import { outcomeWords, payOrder, payProblemWords } from "../buy/pay-flow.ts";
import { formatMoney } from "../format/money.ts";
import { formatCountdown, formatDateTime, secondsLeft } from "../format/time.ts";

const STATUS_WORDS: Record<OrderView["status"], string> = {
  created: "Seats held: waiting for payment",
  payment_pending: "Payment in progress",
  completed: "Paid",
  expired: "Hold expired (not charged)",
  failed: "Payment failed",
  refund_pending: "Refund on its way",
  refund_failed: "Refund delayed: retrying",
  refunded: "Refunded",
};

/** One order: its seats, total and state; a live hold can be paid from here. */
function OrderCard(props: { order: OrderView; session: SessionView | undefined; now: number; onChanged(): void }) {
  const { order, session, now } = props;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const payable = isPayable(order, now);
  const pay = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const outcome = await payOrder(order.id);
      // Whatever the outcome, a tab still showing this hold must look again.
      if (outcome.status !== "failed") sharedHold.write(order.sessionId, null);
      if (outcome.status === "completed") return navigate(`/tickets?order=${order.id}`);
      setMessage(outcomeWords(outcome));
      props.onChanged();
    } catch (e) {
      setMessage(payProblemWords(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class={`panel order-card${payable ? " payable" : ""}`} data-testid="order">
      <h2 class="panel-title">
        {session ? session.eventName : "Event"} <span class="muted small">{session ? formatDateTime(session.startsAt) : ""}</span>
      </h2>
      <p>
        <strong data-testid="order-status">{STATUS_WORDS[order.status]}</strong>
        {payable && <span class="muted"> · {formatCountdown(secondsLeft(Date.parse(order.expiresAt), now))} left to pay</span>}
      </p>
      <p class="muted small">
        {order.items.length} seat{order.items.length === 1 ? "" : "s"}: {order.items.map((i) => i.seatId).join(", ")} · {formatMoney(order.total)} · ordered{" "}
        {formatDateTime(order.createdAt)}
      </p>
      {message && (
        <p class="notice error" role="alert">
          {message}
        </p>
      )}
      <p class="panel-actions">
        {payable && (
          <button type="button" class="primary" disabled={busy} onClick={pay}>
            {busy ? "Paying…" : `Pay ${formatMoney(order.total)}`}
          </button>
        )}
        {order.status === "completed" && (
          <a href={`/tickets?order=${order.id}`} onClick={onLinkClick}>
            See the tickets
          </a>
        )}
        <a href={`/sessions/${order.sessionId}`} onClick={onLinkClick}>
          Seat map
        </a>
      </p>
    </li>
  );
}

/** `/orders`: holds waiting to be paid first, then past orders, newest first. */
export function OrdersPage() {
  const auth = useAuth();
  const now = useNow();
  const [orders, setOrders] = useState<OrderView[] | null>(null);
  const [sessions, setSessions] = useState<Record<string, SessionView>>({});
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (!auth.tokens) return;
    myOrders().then(
      (page) => {
        setOrders(page.items);
        for (const id of new Set(page.items.map((o) => o.sessionId))) {
          getSession(id).then((s) => setSessions((old) => ({ ...old, [id]: s })), () => {});
        }
      },
      (e) => setError(messageOf(e)),
    );
  }, [auth.tokens !== null, reload]);

  if (!auth.tokens) {
    return (
      <p>
        <a href="/signin?next=%2Forders" onClick={onLinkClick}>
          Sign in
        </a>{" "}
        to see your orders.
      </p>
    );
  }
  const list = orders ?? [];
  const open = list.filter((o) => isPayable(o, now));
  const past = list.filter((o) => !isPayable(o, now));
  const card = (o: OrderView) => <OrderCard key={o.id} order={o} session={sessions[o.sessionId]} now={now} onChanged={() => setReload((n) => n + 1)} />;
  return (
    <div class="orders">
      <h1>My orders</h1>
      {error && <p class="notice error">{error}</p>}
      {orders === null ? (
        <p class="loading">Loading orders…</p>
      ) : list.length === 0 ? (
        <p class="muted">
          No orders yet.{" "}
          <a href="/" onClick={onLinkClick}>
            Find an event
          </a>
          .
        </p>
      ) : (
        <>
          {open.length > 0 && (
            <section aria-labelledby="to-pay">
              <h2 id="to-pay">To pay</h2>
              <ul class="order-list">{open.map(card)}</ul>
            </section>
          )}
          {past.length > 0 && (
            <section aria-labelledby="past">
              <h2 id="past">Past orders</h2>
              <ul class="order-list">{past.map(card)}</ul>
            </section>
          )}
        </>
      )}
    </div>
  );
}
