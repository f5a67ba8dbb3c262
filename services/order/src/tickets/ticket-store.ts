import { uuidV5 } from "@rush/contracts";
import { type Database, events, resaleListings, sessions, tickets, users } from "@rush/db";
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { OrderRow } from "../orders/order-store.ts";
import type { TicketClaims } from "@rush/service";

export type TicketRow = typeof tickets.$inferSelect;
/** A ticket with its session's end: its QR code expires a while after. */
export type OwnedTicket = TicketRow & { sessionEndsAt: Date };

const TICKET_NAMESPACE = "6f1f4f2e-8c1b-5a55-9a0e-6a7f0c7e0a10";

/** A ticket's id follows from its order and seat: issuing again (a redelivered sale) finds the same ticket. */
export const ticketIdFor = (orderId: string, seatId: string): string => uuidV5(`${orderId}:${seatId}`, TICKET_NAMESPACE);

export type CheckIn =
  | { outcome: "admitted"; ticket: TicketRow }
  | { outcome: "used"; ticket: TicketRow }
  | { outcome: "superseded"; ticket: TicketRow }
  | { outcome: "void"; ticket: TicketRow }
  | { outcome: "resold"; ticket: TicketRow }
  | { outcome: "unknown" };

export type Transfer =
  | { outcome: "transferred"; ticket: TicketRow; to: string }
  | { outcome: "not_found" }
  | { outcome: "not_transferable"; status: TicketRow["status"] | "listed" }
  | { outcome: "no_such_user" }
  | { outcome: "same_owner" };

export interface TicketStore {
  /**
   * Issues one ticket per sold seat. Returns the seats another order already holds a ticket for:
   * `UNIQUE(session_id, seat_id)` refused them (a double sale upstream; never expected).
   */
  issue(order: OrderRow, seatIds: readonly string[]): Promise<{ conflicts: string[] }>;
  listByOwner(ownerId: string): Promise<OwnedTicket[]>;
  /** A session's tickets for scanners' offline lists. */
  listBySession(sessionId: string): Promise<TicketRow[]>;
  /** The end of a session, or `undefined` if there is no such session. */
  sessionEndsAt(sessionId: string): Promise<Date | undefined>;
  /** Whether `staffId` is staff of the organizer whose event `sessionId` belongs to. */
  staffMayScan(staffId: string, sessionId: string): Promise<boolean>;
  transfer(ticketId: string, ownerId: string, toEmail: string): Promise<Transfer>;
  /** Voids an order's unused tickets (its refund was asked for): the door refuses them from now on. */
  voidOrder(orderId: string): Promise<number>;
  /** Whether the session was cancelled (its tickets are refused at the door, used or not). */
  sessionCancelled(sessionId: string): Promise<boolean>;
  /** Marks the ticket of a genuine QR used, once. */
  checkIn(claims: TicketClaims, staffId: string, at: Date): Promise<CheckIn>;
}

export function createTicketStore(db: Database): TicketStore {
  return {
    async issue(order, seatIds) {
      if (seatIds.length === 0) return { conflicts: [] };
      await db
        .insert(tickets)
        .values(
          seatIds.map((seatId) => ({
            id: ticketIdFor(order.id, seatId),
            orderId: order.id,
            sessionId: order.sessionId,
            seatId,
            ownerId: order.buyerId,
          })),
        )
        .onConflictDoNothing();
      const taken = await db
        .select({ seatId: tickets.seatId })
        .from(tickets)
        .where(
          and(eq(tickets.sessionId, order.sessionId), ne(tickets.orderId, order.id), ne(tickets.status, "void"), inArray(tickets.seatId, [...seatIds])),
        );
      return { conflicts: taken.map((t) => t.seatId) };
    },

    async listByOwner(ownerId) {
      const rows = await db
        .select({ ticket: tickets, sessionEndsAt: sessions.endsAt })
        .from(tickets)
        .innerJoin(sessions, eq(sessions.id, tickets.sessionId))
        .where(eq(tickets.ownerId, ownerId))
        .orderBy(asc(tickets.sessionId), asc(tickets.seatId))
        .limit(1000);
      return rows.map((r) => ({ ...r.ticket, sessionEndsAt: r.sessionEndsAt }));
    },

    listBySession: (sessionId) => db.select().from(tickets).where(eq(tickets.sessionId, sessionId)).orderBy(asc(tickets.seatId)),

    async sessionEndsAt(sessionId) {
      const [row] = await db.select({ endsAt: sessions.endsAt }).from(sessions).where(eq(sessions.id, sessionId));
      return row?.endsAt;
    },

    async staffMayScan(staffId, sessionId) {
      const [row] = await db
        .select({ id: sessions.id })
        .from(sessions)
        .innerJoin(events, eq(events.id, sessions.eventId))
        .innerJoin(users, eq(users.staffOrganizerId, events.organizerId))
        .where(and(eq(sessions.id, sessionId), eq(users.id, staffId)));
      return row !== undefined;
    },

    async transfer(ticketId, ownerId, toEmail) {
      return db.transaction(async (tx): Promise<Transfer> => {
        const [ticket] = await tx.select().from(tickets).where(and(eq(tickets.id, ticketId), eq(tickets.ownerId, ownerId))).for("update");
        if (!ticket) return { outcome: "not_found" };
        if (ticket.status !== "valid") return { outcome: "not_transferable", status: ticket.status };
        // Under the ticket's lock, as listing takes it: a listed ticket is withdrawn first, so listing and transfer never both win.
        const [listed] = await tx.select({ id: resaleListings.id }).from(resaleListings).where(and(eq(resaleListings.ticketId, ticketId), eq(resaleListings.status, "listed")));
        if (listed) return { outcome: "not_transferable", status: "listed" };
        const [recipient] = await tx.select({ id: users.id, email: users.email }).from(users).where(sql`lower(${users.email}) = ${toEmail.toLowerCase()}`);
        if (!recipient) return { outcome: "no_such_user" };
        if (recipient.id === ownerId) return { outcome: "same_owner" };
        const [updated] = await tx
          .update(tickets)
          // Re-issued now: the new QR's issue time is after any scanner sync that saw the old one.
          .set({ ownerId: recipient.id, version: sql`${tickets.version} + 1`, issuedAt: sql`now()` })
          .where(eq(tickets.id, ticketId))
          .returning();
        return { outcome: "transferred", ticket: updated!, to: recipient.email };
      });
    },

    async voidOrder(orderId) {
      const voided = await db
        .update(tickets)
        .set({ status: "void", voidReason: "refunded" })
        .where(and(eq(tickets.orderId, orderId), eq(tickets.status, "valid")))
        .returning({ id: tickets.id });
      return voided.length;
    },

    async sessionCancelled(sessionId) {
      const [row] = await db.select({ status: sessions.status }).from(sessions).where(eq(sessions.id, sessionId));
      return row?.status === "cancelled";
    },

    async checkIn(claims, staffId, at) {
      // One conditional update decides: two scanners racing on one ticket admit it once.
      const [admitted] = await db
        .update(tickets)
        .set({ status: "used", usedAt: at, checkedInBy: staffId })
        .where(and(eq(tickets.id, claims.ticketId), eq(tickets.version, claims.version), eq(tickets.status, "valid")))
        .returning();
      if (admitted) return { outcome: "admitted", ticket: admitted };
      const [ticket] = await db.select().from(tickets).where(eq(tickets.id, claims.ticketId));
      if (!ticket || ticket.sessionId !== claims.sessionId || ticket.seatId !== claims.seatId) return { outcome: "unknown" };
      if (ticket.version !== claims.version) return { outcome: "superseded", ticket };
      if (ticket.status === "used") return { outcome: "used", ticket };
      return { outcome: ticket.voidReason === "resold" ? "resold" : "void", ticket };
    },
  };
}
