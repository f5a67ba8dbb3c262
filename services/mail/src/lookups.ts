import { type Database, events, sessions, tickets, users, venues } from "@rush/db";
import { asc, eq } from "drizzle-orm";

/** A recipient: where to write, and what to call them. */
export interface Recipient {
  email: string;
  name: string;
}

/** The session a mail is about, as a buyer reads it. */
export interface SessionFacts {
  eventName: string;
  venueName: string;
  startsAt: Date;
  endsAt: Date;
}

export interface MailTicket {
  id: string;
  sessionId: string;
  seatId: string;
  ownerId: string;
  status: "valid" | "used" | "void";
  version: number;
  issuedAt: Date;
}

/** What the mails read from Postgres (the tables the other services write; the mail worker only reads them). */
export interface Lookups {
  user(userId: string): Promise<Recipient | undefined>;
  session(sessionId: string): Promise<SessionFacts | undefined>;
  orderTickets(orderId: string): Promise<MailTicket[]>;
  ticket(ticketId: string): Promise<MailTicket | undefined>;
}

const ticketColumns = {
  id: tickets.id,
  sessionId: tickets.sessionId,
  seatId: tickets.seatId,
  ownerId: tickets.ownerId,
  status: tickets.status,
  version: tickets.version,
  issuedAt: tickets.issuedAt,
};

export function createLookups(db: Database): Lookups {
  return {
    async user(userId) {
      const [row] = await db.select({ email: users.email, name: users.displayName }).from(users).where(eq(users.id, userId));
      return row;
    },
    async session(sessionId) {
      const [row] = await db
        .select({ eventName: events.name, venueName: venues.name, startsAt: sessions.startsAt, endsAt: sessions.endsAt })
        .from(sessions)
        .innerJoin(events, eq(events.id, sessions.eventId))
        .innerJoin(venues, eq(venues.id, events.venueId))
        .where(eq(sessions.id, sessionId));
      return row;
    },
    orderTickets: (orderId) => db.select(ticketColumns).from(tickets).where(eq(tickets.orderId, orderId)).orderBy(asc(tickets.seatId)),
    async ticket(ticketId) {
      const [row] = await db.select(ticketColumns).from(tickets).where(eq(tickets.id, ticketId));
      return row;
    },
  };
}
