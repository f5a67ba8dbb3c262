import type { OfferView } from "@rush/contracts";
import { useEffect, useState } from "preact/hooks";
import { buyListing, sessionResale } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { navigate } from "../app/router.ts";
import { formatMoney } from "../format/money.ts";
import { payOrder } from "./pay-flow.ts";

/**
 * `/sessions/:id`: tickets other buyers offer back at face value. Buy takes the listing (one buyer
 * at a time) and pays it like any order; the new ticket is on the tickets page.
 */
export function ResaleList(props: { sessionId: string; signedIn: boolean }) {
  const [offers, setOffers] = useState<OfferView[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const load = () => sessionResale(props.sessionId).then((list) => setOffers(list.items), () => setOffers([]));
  useEffect(() => {
    void load();
  }, [props.sessionId]);

  if (!offers || offers.length === 0) return null;

  const buy = async (offer: OfferView) => {
    setBusy(offer.id);
    setMessage(null);
    try {
      const { orderId } = await buyListing(offer.id);
      const outcome = await payOrder(orderId);
      if (outcome.status === "completed") return navigate(`/tickets?order=${orderId}`);
      setMessage(`Payment ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ""}.`);
    } catch (error) {
      setMessage(messageOf(error));
    } finally {
      setBusy(null);
      void load();
    }
  };

  return (
    <section class="resale" aria-labelledby="resale-title" data-testid="resale-list">
      <h2 id="resale-title">Resale at face value</h2>
      {message && <p class="notice error">{message}</p>}
      <ul>
        {offers.map((offer) => (
          <li key={offer.id}>
            Seat {offer.seatId} · {formatMoney(offer.price)}{" "}
            {props.signedIn && (
              <button type="button" disabled={busy !== null} onClick={() => void buy(offer)}>
                {busy === offer.id ? "Buying…" : "Buy"}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
