import type { SessionStatus } from "@rush/contracts";
import { formatCountdown, formatDateTime, secondsLeft } from "./time.ts";

/** Where a session's sale stands for a buyer, honestly: not "on sale" before it opens. */
export type SaleState = "not_public" | "upcoming" | "on_sale" | "sold_out" | "ended";

export interface SaleTimes {
  status: SessionStatus;
  saleStartsAt: string;
  saleEndsAt: string;
}

/** `available`: seats left, when known (an unknown count never claims "sold out"). */
export function saleState(session: SaleTimes, now: number, available?: number): SaleState {
  if (session.status === "draft" || session.status === "publishing") return "not_public";
  if (session.status === "closed" || session.status === "cancelled" || Date.parse(session.saleEndsAt) <= now) return "ended";
  if (Date.parse(session.saleStartsAt) > now) return "upcoming";
  return available === 0 ? "sold_out" : "on_sale";
}

/** One line for the state: "On sale until 1 Jun 2030, 19:30", "Sale opens in 2:03:04 (…)". */
export function saleStateWords(state: SaleState, session: SaleTimes, now: number): string {
  switch (state) {
    case "not_public":
      return "Not on sale yet";
    case "upcoming": {
      const left = secondsLeft(Date.parse(session.saleStartsAt), now);
      const soon = left < 24 * 3600 ? `in ${formatCountdown(left)}, ` : "";
      return `Sale opens ${soon}${formatDateTime(session.saleStartsAt)}`;
    }
    case "on_sale":
      return `On sale until ${formatDateTime(session.saleEndsAt)}`;
    case "sold_out":
      return "Sold out";
    case "ended":
      return "Sale ended";
    default: {
      const unreachable: never = state;
      throw new Error(`unknown sale state ${String(unreachable)}`);
    }
  }
}

/** The badge text of a state. */
export const SALE_BADGE: Record<SaleState, string> = {
  not_public: "Draft",
  upcoming: "Upcoming",
  on_sale: "On sale",
  sold_out: "Sold out",
  ended: "Ended",
};

const weekdayDateTime = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });

/** A session's start with its weekday: "Sat, 1 Jun 2030, 19:30". */
export const formatSessionStart = (iso: string): string => weekdayDateTime.format(new Date(iso));

/**
 * Why an organizer can no longer change a session's dates and prices (`null`: they can). The
 * catalog decides (`PATCH /v1/sessions/:id` answers 409 with the same reason); this says it first.
 */
export function editLock(session: SaleTimes, now: number): string | null {
  if (session.status === "draft") return null;
  if (session.status === "publishing") return "The session is being published; try again in a moment.";
  if (session.status === "closed") return "The session is closed.";
  if (session.status === "cancelled") return "The session was cancelled.";
  return Date.parse(session.saleStartsAt) > now
    ? null
    : `The sale opened ${formatDateTime(session.saleStartsAt)}: dates and prices stay as buyers saw them once they could hold seats.`;
}
