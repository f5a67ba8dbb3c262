import {
  type AccessTokenClaims,
  ScanList,
  SessionIdParams,
  TicketIdParams,
  TicketList,
  TicketPublicKey,
  TransferRequest,
  TransferResponse,
  VerifyRequest,
  VerifyResponse,
} from "@rush/contracts";
import { HttpProblem, ticketQr, type TicketSigner } from "@rush/service";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { OwnedTicket, TicketRow, TicketStore } from "./ticket-store.ts";

export interface TicketRoutesOptions {
  tickets: TicketStore;
  /** The live resale listing of each of these tickets, by ticket id. */
  listings?: (ticketIds: readonly string[]) => Promise<Map<string, string>>;
  signer: TicketSigner;
  clock: () => number;
  /** How long after its session ends a QR code stops verifying. */
  qrGraceMs: number;
  /** Told of every transfer once it is stored (the new owner's e-mail); a failure here does not undo it. */
  onTransferred?: (ticket: TicketRow, fromUserId: string) => Promise<void>;
}

const staff = { auth: { roles: ["staff", "admin"] as const } };

/** Tickets: the owner's list with QR codes, transfer (re-issue), the scanners' check-in, and the public key. */
export const ticketRoutes: FastifyPluginAsyncZod<TicketRoutesOptions> = async (app, { tickets, listings, signer, clock, qrGraceMs, onTransferred }) => {
  const qrOf = (t: OwnedTicket) => ticketQr(signer, t, qrGraceMs);
  /** Staff check in only the events of the organizer they work for; admins everywhere. */
  const mayScan = async (principal: AccessTokenClaims, sessionId: string) =>
    principal.roles.includes("admin") || (principal.roles.includes("staff") && (await tickets.staffMayScan(principal.sub, sessionId)));
  const notYourEvent = () => new HttpProblem(403, "not_your_event", "Forbidden", "staff check in tickets of their own organizer's events only");

  app.get("/v1/me/tickets", { config: { auth: {} }, schema: { response: { 200: TicketList } } }, async (request) => {
    const rows = await tickets.listByOwner(request.principal!.sub);
    const listed = (await listings?.(rows.filter((t) => t.status === "valid").map((t) => t.id))) ?? new Map<string, string>();
    return {
      items: rows.map((t) => ({
        id: t.id,
        orderId: t.orderId,
        sessionId: t.sessionId,
        seatId: t.seatId,
        status: t.status,
        version: t.version,
        qr: qrOf(t),
        ...(t.usedAt ? { usedAt: t.usedAt.toISOString() } : {}),
        ...(listed.has(t.id) ? { listingId: listed.get(t.id)! } : {}),
      })),
    };
  });

  app.post(
    "/v1/tickets/:id/transfer",
    { config: { auth: {} }, schema: { params: TicketIdParams, body: TransferRequest, response: { 200: TransferResponse } } },
    async (request) => {
      const result = await tickets.transfer(request.params.id, request.principal!.sub, request.body.toEmail);
      switch (result.outcome) {
        case "transferred": {
          const t = result.ticket;
          request.log.info({ ticketId: t.id, version: t.version }, "ticket transferred");
          // The transfer is done: a lost e-mail is logged, not a failed request (the new owner sees the ticket in the app).
          await onTransferred?.(t, request.principal!.sub).catch((error) =>
            request.log.warn({ err: error, ticketId: t.id }, "ticket transfer not announced on the stream"),
          );
          return { id: t.id, sessionId: t.sessionId, seatId: t.seatId, status: t.status, version: t.version, transferredTo: result.to };
        }
        case "not_found":
          throw new HttpProblem(404, "not_found", "Not Found", `no ticket ${request.params.id} of yours`);
        case "not_transferable":
          throw new HttpProblem(409, "ticket_not_transferable", "Ticket not transferable", result.status === "listed" ? "the ticket is listed for resale: withdraw the listing first" : `the ticket is ${result.status}`, { ticketStatus: result.status });
        case "no_such_user":
          throw new HttpProblem(422, "unknown_recipient", "Unknown recipient", "no account has that email");
        case "same_owner":
          throw new HttpProblem(422, "same_owner", "Same owner", "the ticket is already yours");
        default: {
          const unreachable: never = result;
          throw new Error(`unknown transfer outcome ${JSON.stringify(unreachable)}`);
        }
      }
    },
  );

  app.post(
    "/v1/tickets/verify",
    { config: staff, schema: { body: VerifyRequest, response: { 200: VerifyResponse } } },
    async (request) => {
      const claims = signer.verify(request.body.qr);
      if (!claims) throw new HttpProblem(400, "ticket_forged", "Not a genuine ticket", "the QR code's signature does not verify");
      if (!(await mayScan(request.principal!, claims.sessionId))) throw notYourEvent();
      if (claims.expiresAt * 1000 <= clock()) {
        throw new HttpProblem(409, "ticket_expired", "Ticket expired", `this QR code expired at ${new Date(claims.expiresAt * 1000).toISOString()}`, {
          ticketId: claims.ticketId,
        });
      }
      if (await tickets.sessionCancelled(claims.sessionId)) {
        throw new HttpProblem(409, "session_cancelled", "Session cancelled", "this session was cancelled: its tickets are refunded and no longer admit anyone", {
          ticketId: claims.ticketId,
        });
      }
      const result = await tickets.checkIn(claims, request.principal!.sub, new Date(clock()));
      switch (result.outcome) {
        case "admitted":
          return {
            ticketId: result.ticket.id,
            sessionId: result.ticket.sessionId,
            seatId: result.ticket.seatId,
            firstUse: true as const,
            usedAt: result.ticket.usedAt!.toISOString(),
          };
        case "used":
          throw new HttpProblem(409, "ticket_used", "Already used", `checked in at ${result.ticket.usedAt?.toISOString()}`, {
            ticketId: result.ticket.id,
            seatId: result.ticket.seatId,
            firstUsedAt: result.ticket.usedAt?.toISOString(),
          });
        case "superseded":
          throw new HttpProblem(409, "ticket_superseded", "Ticket re-issued", "this QR code was replaced by a transfer", {
            ticketId: result.ticket.id,
          });
        case "void":
          // Tickets are voided only when their order is refunded.
          throw new HttpProblem(409, "ticket_void", "Ticket void", "this ticket's order was refunded: it no longer admits anyone", { ticketId: result.ticket.id });
        case "resold":
          throw new HttpProblem(409, "ticket_resold", "Ticket resold", "this ticket was resold: its buyer holds a new one, and this QR code no longer admits anyone", {
            ticketId: result.ticket.id,
          });
        case "unknown":
          throw new HttpProblem(400, "ticket_unknown", "Unknown ticket", "the QR code names no ticket we issued");
        default: {
          const unreachable: never = result;
          throw new Error(`unknown check-in outcome ${JSON.stringify(unreachable)}`);
        }
      }
    },
  );

  app.get("/v1/tickets/public-key", { schema: { response: { 200: TicketPublicKey } } }, async () => ({
    keyId: signer.keyId,
    algorithm: "Ed25519" as const,
    publicKeyPem: signer.publicKeyPem,
    keys: [...signer.keys],
  }));

  app.get(
    "/v1/sessions/:id/scan-list",
    { config: staff, schema: { params: SessionIdParams, response: { 200: ScanList } } },
    async (request) => {
      const sessionId = request.params.id;
      // Read before the list: a ticket re-issued meanwhile has an issue time after syncedAt.
      const syncedAt = new Date(clock());
      if (!(await tickets.sessionEndsAt(sessionId))) throw new HttpProblem(404, "session_not_found", "Not Found", `no session ${sessionId}`);
      if (!(await mayScan(request.principal!, sessionId))) throw notYourEvent();
      const rows = await tickets.listBySession(sessionId);
      return {
        sessionId,
        syncedAt: syncedAt.toISOString(),
        keys: [...signer.keys],
        tickets: rows.map((t) => ({ id: t.id, seatId: t.seatId, version: t.version, status: t.status })),
      };
    },
  );
};
