import type {
  Availability,
  CommandAccepted,
  CommandStatus,
  CreateEventRequest,
  CreateSessionRequest,
  CreateVenueRequest,
  EventPage,
  EventView,
  HoldCreated,
  HoldDetails,
  OrderList,
  RefundResponse,
  BuyListingResponse,
  CancelSessionResponse,
  ListingView,
  OfferList,
  OrderView,
  PayResponse,
  PublishResponse,
  QueueStatus,
  RegisterResponse,
  SeatMapSparseView,
  SessionSales,
  SessionView,
  TicketList,
  TokenPair,
  TotpEnrollment,
  TotpRecoveryCodes,
  UpdateEventRequest,
  UpdateSessionRequest,
  UserView,
  VenuePage,
  VenueSummary,
  VenueView,
  WaitlistStatus,
} from "@rush/contracts";
import { type CompactSeatMap, type PlainSeatMap, decodeSeatMap } from "@rush/contracts/seat-map-runs";
import { storeTokens } from "./auth-tokens.ts";
import { get, post, send } from "./http.ts";

/** Every gate endpoint the app calls (API.md), typed with the contracts' response shapes. */
const path = (template: string, id: string) => template.replace(":id", encodeURIComponent(id));

// ── Identity ─────────────────────────────────────────────────────────────────
export const register = (body: { email: string; password: string; displayName: string }) =>
  post<RegisterResponse>("/v1/auth/register", body);

/** E-mailed links (the token from the link's fragment). */
export const verifyEmail = (body: { token: string }) => post<unknown>("/v1/auth/verify-email", body);
export const requestPasswordReset = (body: { email: string }) => post<unknown>("/v1/auth/password-reset/request", body);
export const resetPassword = (body: { token: string; password: string }) => post<unknown>("/v1/auth/password-reset", body);

/** With two-factor sign-in on, the first try answers 401 `otp_required`: ask for `otp` (or a `recoveryCode`) and send again. */
export async function login(body: { email: string; password: string; otp?: string; recoveryCode?: string }): Promise<void> {
  storeTokens(await post<TokenPair>("/v1/auth/login", body));
}

export const enrollTotp = () => post<TotpEnrollment>("/v1/auth/totp/enroll", {}, { auth: true });
export const confirmTotp = (otp: string) => post<TotpRecoveryCodes>("/v1/auth/totp/confirm", { otp }, { auth: true });
export const disableTotp = (otp: string) => send("POST", "/v1/auth/totp/disable", { body: { otp }, auth: true });

/** Ends the login on the server (the refresh cookie names it) and forgets the access token here. */
export async function logout(): Promise<void> {
  try {
    await send("POST", "/v1/auth/logout", { body: {} });
  } finally {
    storeTokens(null);
  }
}

export const me = () => get<UserView>("/v1/me", { auth: true });

// ── Catalog ──────────────────────────────────────────────────────────────────
export function searchEvents(query: { q?: string; category?: string; cursor?: string; limit?: number; sort?: "date" }) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== "") params.set(key, String(value));
  return get<EventPage>(`/v1/events?${params}`);
}
export const getEvent = (id: string) => get<EventView>(path("/v1/events/:id", id));
export const getSession = (id: string) => get<SessionView>(path("/v1/sessions/:id", id));
export const getAvailability = (id: string) => get<Availability>(path("/v1/sessions/:id/availability", id));
export const getVenue = (id: string) => get<VenueView>(path("/v1/venues/:id", id));
/**
 * The venue's seat map as runs (a few KB instead of ~1 MB for 20,000 seats), cached by the browser
 * for good. Asked with the browser's own `Accept` so it is the same request as the seat-map page's
 * `<link rel=preload>` (see `boot-data.ts`), which the browser then hands over instead of asking again.
 */
export const getVenueSeatMap = async (id: string): Promise<PlainSeatMap> =>
  decodeSeatMap(await get<CompactSeatMap>(path("/v1/venues/:id/seat-map", id), { headers: { accept: "*/*" } }));

export const createVenue = (body: CreateVenueRequest) => post<VenueSummary>("/v1/venues", body, { auth: true });
export const createEvent = (body: Omit<CreateEventRequest, "tags"> & { tags?: string[] }) => post<EventView>("/v1/events", body, { auth: true });
export const createSession = (eventId: string, body: Partial<CreateSessionRequest> & Pick<CreateSessionRequest, "startsAt" | "endsAt" | "saleStartsAt" | "saleEndsAt" | "priceCategories">) =>
  post<SessionView>(path("/v1/events/:id/sessions", eventId), body, { auth: true });
export const publishSession = (id: string) => post<PublishResponse>(path("/v1/sessions/:id/publish", id), undefined, { auth: true });

// ── Organizer console ────────────────────────────────────────────────────────
export const myEvents = () => get<EventPage>("/v1/me/events", { auth: true });
export const myVenues = () => get<VenuePage>("/v1/me/venues?limit=100", { auth: true });
export const updateEvent = (id: string, body: UpdateEventRequest) => send<EventView>("PATCH", path("/v1/events/:id", id), { body, auth: true }).then((a) => a.body);
export const updateSession = (id: string, body: UpdateSessionRequest) => send<SessionView>("PATCH", path("/v1/sessions/:id", id), { body, auth: true }).then((a) => a.body);
export const sessionOrders = (id: string) => get<OrderList>(path("/v1/sessions/:id/orders", id), { auth: true });
/** 200 refunded, 202 under way: either way the one refund of this order (a second click never refunds twice). */
export const refundOrder = (orderId: string, idempotencyKey: string) =>
  send<RefundResponse>("POST", path("/v1/orders/:id/refund", orderId), { body: {}, auth: true, headers: { "idempotency-key": idempotencyKey } }).then((a) => a.body);
export const cancelSession = (id: string, reason?: string) => post<CancelSessionResponse>(path("/v1/sessions/:id/cancel", id), reason ? { reason } : {}, { auth: true });
export const getSales = (id: string) => get<SessionSales>(path("/v1/sessions/:id/sales", id), { auth: true });

// ── Buying ───────────────────────────────────────────────────────────────────
/** Every seat's status, sparse: only the seats that are not available (a few hundred bytes at a sale's opening). */
export const getSeats = (id: string) => get<SeatMapSparseView>(`${path("/v1/sessions/:id/seats", id)}?format=sparse`, { auth: "optional" });

export const joinQueue = (id: string, headers: Record<string, string> = {}) =>
  post<QueueStatus>(path("/v1/sessions/:id/queue", id), undefined, { auth: true, headers });
export const queueStatus = (id: string) => get<QueueStatus>(path("/v1/sessions/:id/queue", id), { auth: true });

export type HoldBody = { seatIds: string[] } | { areaId: string; quantity: number };

/** `POST …/holds`: 201 with the hold, or 202 with a command id to poll. */
export const requestHold = (sessionId: string, body: HoldBody, headers: Record<string, string>) =>
  send<HoldCreated | CommandAccepted>("POST", path("/v1/sessions/:id/holds", sessionId), { body, auth: true, headers });
export const getCommand = (commandId: string) => get<CommandStatus>(path("/v1/commands/:id", commandId), { auth: true });
export const getHold = (holdId: string) => get<HoldDetails>(path("/v1/holds/:id", holdId), { auth: true });
export const releaseHold = (holdId: string) => send("DELETE", path("/v1/holds/:id", holdId), { auth: true });

// ── Waiting list of a sold-out session ───────────────────────────────────────
export const joinWaitlist = (id: string, body: { areaId?: string; quantity: number }) =>
  post<WaitlistStatus>(path("/v1/sessions/:id/waitlist", id), body, { auth: true });
export const waitlistStatus = (id: string) => get<WaitlistStatus>(path("/v1/sessions/:id/waitlist", id), { auth: true });
export const leaveWaitlist = (id: string) => send("DELETE", path("/v1/sessions/:id/waitlist", id), { auth: true });

export const pay = (orderId: string, method?: string) =>
  post<PayResponse>(path("/v1/orders/:id/pay", orderId), { provider: "mock", ...(method ? { method } : {}) }, { auth: true });
export const getOrder = (orderId: string) => get<OrderView>(path("/v1/orders/:id", orderId), { auth: true });
export const myOrders = (cursor?: string) => get<OrderList>(`/v1/me/orders${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, { auth: true });
export const myTickets = () => get<TicketList>("/v1/me/tickets", { auth: true });

// ── Resale at face value ─────────────────────────────────────────────────────
/** No price is sent: a listing always asks the ticket's face value. */
export const listTicket = (ticketId: string) => post<ListingView>(path("/v1/tickets/:id/resale", ticketId), {}, { auth: true });
export const withdrawListing = (ticketId: string) => send("DELETE", path("/v1/tickets/:id/resale", ticketId), { auth: true });
export const sessionResale = (sessionId: string) => get<OfferList>(path("/v1/sessions/:id/resale", sessionId));
/** A resale order to pay like any order (`pay`); 409 `listing_taken` while another buyer holds it. */
export const buyListing = (listingId: string) => post<BuyListingResponse>(`/v1/resale/${encodeURIComponent(listingId)}/buy`, {}, { auth: true });
