import type { OrderView, SessionView } from "@rush/contracts";
import { useState } from "preact/hooks";
import { cancelSession, refundOrder, sessionOrders } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { randomId } from "../buy/random-id.ts";
import { formatMoney } from "../format/money.ts";
import { useLoad } from "./use-load.ts";

const REFUND_WORDS: Partial<Record<OrderView["status"], string>> = {
  refund_pending: "Refund on its way",
  refund_failed: "Refund delayed: retrying",
  refunded: "Refunded",
};

/**
 * One paid order with its Refund button; the idempotency key lives as long as the row, so a double
 * click is one refund. Once the refund is answered the row says where it stands from that answer:
 * the list reloaded right after can still say `completed` (the order service learns of the refund
 * from the payment's event, a moment later on a busy machine), and showing the button again then
 * invited a second click and left the row unchanged.
 */
function OrderRow(props: { order: OrderView; onChanged(): void }) {
  const { order } = props;
  const [key] = useState(() => randomId());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [answered, setAnswered] = useState<OrderView["status"] | null>(null);
  const status = order.status === "completed" && answered && answered !== "completed" ? answered : order.status;
  const refund = async () => {
    if (!window.confirm(`Refund ${formatMoney(order.total)} for seats ${order.items.map((i) => i.seatId).join(", ")}? Their tickets stop working.`)) return;
    setBusy(true);
    try {
      setAnswered((await refundOrder(order.id, key)).status);
      props.onChanged();
    } catch (e) {
      setMessage(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-testid="paid-order">
      <td>{order.items.map((i) => i.seatId).join(", ")}</td>
      <td>{formatMoney(order.total)}</td>
      <td>
        {status === "completed" ? (
          <button type="button" disabled={busy} onClick={refund}>
            Refund
          </button>
        ) : (
          <span title={order.reason}>{REFUND_WORDS[status] ?? status}</span>
        )}
        {message && <span class="error"> {message}</span>}
      </td>
    </tr>
  );
}

/** The organizer's paid orders of a session, each refundable, and the Cancel session button (asks first). */
export function SessionOrders(props: { session: SessionView; onCancelled(session: SessionView): void }) {
  const { session } = props;
  const loaded = useLoad(() => sessionOrders(session.id), `${session.id}:${session.status}`);
  const [message, setMessage] = useState<string | null>(null);
  const cancel = async () => {
    const reason = window.prompt("Cancel this session? Every paid order is refunded and every ticket stops working. Reason shown to buyers:", "");
    if (reason === null) return;
    try {
      const done = await cancelSession(session.id, reason.trim() || undefined);
      setMessage(`Session cancelled: ${done.ordersToRefund} order(s) being refunded.`);
      props.onCancelled({ ...session, status: "cancelled" });
    } catch (e) {
      setMessage(messageOf(e));
    }
  };
  return (
    <section class="session-orders">
      <h2>Paid orders</h2>
      {loaded.error && <p class="notice error">{loaded.error}</p>}
      {loaded.value && loaded.value.items.length === 0 && <p>No paid orders yet.</p>}
      {loaded.value && loaded.value.items.length > 0 && (
        <table>
          <tbody>
            {loaded.value.items.map((order) => (
              <OrderRow key={order.id} order={order} onChanged={loaded.reload} />
            ))}
          </tbody>
        </table>
      )}
      {session.status !== "cancelled" ? (
        <button type="button" class="danger" onClick={cancel}>
          Cancel session
        </button>
      ) : (
        <p data-testid="session-cancelled">This session is cancelled; its paid orders are refunded.</p>
      )}
      {message && <p role="status">{message}</p>}
    </section>
  );
}
