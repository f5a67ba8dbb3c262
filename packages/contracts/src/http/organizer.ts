import { z } from "zod";
import { Money, PriceInput } from "../money.ts";
import { Availability, IsoInstant } from "./catalog.ts";

/**
 * The organizer console's endpoints: what I own (`/v1/me/events`, `/v1/me/venues`), editing a
 * session while its sale has not opened, and a session's live sales figures. Organizer-scoped:
 * another organizer's session answers 403, an unknown one 404 (admins see everything).
 */

/** `PATCH /v1/sessions/:id`: dates and prices; only while the sale has not opened (409 after). */
export const UpdateSessionRequest = z
  .object({
    startsAt: IsoInstant,
    endsAt: IsoInstant,
    saleStartsAt: IsoInstant,
    saleEndsAt: IsoInstant,
    /** New prices of existing categories (which areas a category covers is fixed once published). */
    prices: z
      .array(z.object({ priceCategoryId: z.uuid(), price: PriceInput }))
      .min(1)
      .max(50),
  })
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: "change at least one field" });
export type UpdateSessionRequest = z.infer<typeof UpdateSessionRequest>;

/** `GET /v1/sessions/:id/sales`: availability plus money and pace, for the session's organizer. */
export const SessionSales = Availability.extend({
  /** Completed orders' totals, one entry per currency (a session sells in one). */
  revenue: Money,
  /** Orders completed so far. */
  ordersCompleted: z.int(),
  /** Holds granted (orders opened) in the last 60 seconds. */
  holdsPerMinute: z.int(),
  /** Buyers in the waiting room not yet admitted (0 without a waiting room). */
  waitingRoomLength: z.int(),
  /** When these figures were read. */
  at: z.string(),
});
export type SessionSales = z.infer<typeof SessionSales>;
