import { fromSnapshot, toSnapshot } from "./snapshot.ts";
import type { PartitionState } from "./state.ts";

/** Test-only: throws with a description if the state breaks any invariant of DESIGN.md §3. */
export function checkInvariants(state: PartitionState): void {
  const fail = (message: string): never => {
    throw new Error(`invariant broken: ${message}`);
  };
  for (const area of state.areas.values()) {
    const owner = new Map<string, string>();
    const claim = (seatId: string, holdId: string) => {
      const other = owner.get(seatId);
      if (other !== undefined) fail(`seat ${seatId} is in holds ${other} and ${holdId}`);
      owner.set(seatId, holdId);
    };
    const buyers = new Map<string, number>();
    const count = (buyerId: string, n: number) => buyers.set(buyerId, (buyers.get(buyerId) ?? 0) + n);
    for (const hold of area.holds.values()) {
      if (hold.seatIds.length === 0) fail(`hold ${hold.holdId} has no seats`);
      if (hold.expiresAt > hold.maxExpiresAt) fail(`hold ${hold.holdId} expires after its cap`);
      for (const id of hold.seatIds) {
        claim(id, hold.holdId);
        const slot = area.seats.get(id);
        if (slot?.status !== "held" || slot.holdId !== hold.holdId)
          fail(`seat ${id} of live hold ${hold.holdId} is ${slot?.status}/${slot?.holdId}`);
      }
      count(hold.buyerId, hold.seatIds.length);
    }
    for (const sold of area.sold.values()) {
      if (area.holds.has(sold.holdId)) fail(`hold ${sold.holdId} is both live and sold`);
      for (const id of sold.seatIds) {
        claim(id, sold.holdId);
        const slot = area.seats.get(id);
        if (slot?.status !== "sold" || slot.holdId !== sold.holdId)
          fail(`seat ${id} of sold hold ${sold.holdId} is ${slot?.status}`);
      }
      count(sold.buyerId, sold.seatIds.length);
    }
    let available = 0;
    area.rows.forEach((row, r) => {
      let rowAvailable = 0;
      row.seats.forEach((slot, i) => {
        if (slot.row !== r || slot.index !== i) fail(`seat ${slot.id} is misplaced`);
        if (i > 0 && row.seats[i - 1]!.number >= slot.number) fail(`row ${row.label} is out of order`);
        if (area.seats.get(slot.id) !== slot) fail(`seat ${slot.id} missing from the seat map`);
        if ((slot.status === "held" || slot.status === "sold") !== owner.has(slot.id))
          fail(`seat ${slot.id} is ${slot.status} without its hold`);
        if ((slot.status === "available" || slot.status === "blocked") && slot.holdId !== null)
          fail(`free seat ${slot.id} names a hold`);
        if (slot.status === "available") rowAvailable++;
      });
      if (row.available !== rowAvailable)
        fail(`row ${row.label} counts ${row.available} available, has ${rowAvailable}`);
      available += rowAvailable;
    });
    if (area.available !== available) fail(`area counts ${area.available} available, has ${available}`);
    for (const [buyerId, n] of buyers) {
      if (area.buyerSeats.get(buyerId) !== n)
        fail(`buyer ${buyerId} counted ${area.buyerSeats.get(buyerId)}, has ${n}`);
    }
    if (area.buyerSeats.size !== buyers.size) fail("stale buyer counts");
    for (const holdId of area.ended.keys()) {
      if (area.holds.has(holdId) || area.sold.has(holdId)) fail(`ended hold ${holdId} is still live or sold`);
    }
    if (area.ended.size > state.endedHoldLimit) fail("ended hold ids exceed the limit");
  }
}

/** Test-only: the state's snapshot after a JSON round trip through fromSnapshot. */
export function roundTrip(state: PartitionState): ReturnType<typeof toSnapshot> {
  return toSnapshot(fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(state)))));
}
