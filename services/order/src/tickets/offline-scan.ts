import type { KeyObject } from "node:crypto";
import { type TicketClaims, verifyTicketQr } from "@rush/service";

/** One ticket as a scanner's last sync of its session saw it (`GET /v1/sessions/:id/scan-list`). */
export interface ScanListEntry {
  id: string;
  seatId: string;
  version: number;
  status: "valid" | "used" | "void";
}

/** What a scanner holds after its last sync: the session's tickets as of `syncedAt` (ms). */
export interface ScannerState {
  sessionId: string;
  syncedAt: number;
  keys: ReadonlyMap<string, KeyObject>;
  tickets: ReadonlyMap<string, ScanListEntry>;
  /** Tickets this scanner admitted since the sync (it marks them itself). */
  admitted: ReadonlySet<string>;
}

export type OfflineScan =
  | { admit: true; claims: TicketClaims }
  | { admit: false; reason: "forged" | "expired" | "other_session" | "superseded" | "used" | "void" | "unknown"; claims?: TicketClaims };

/**
 * The offline check a scanner makes with its last sync (pure: time comes in). A genuine QR is
 * refused when expired, for another session, older than the version the sync saw (re-issued
 * by a transfer), already used, void, or unknown although issued before the sync. A QR newer
 * than the sync (bought or transferred since) is admitted: the sync cannot know better.
 */
export function scanOffline(qr: string, state: ScannerState, now: number): OfflineScan {
  const claims = verifyTicketQr(qr, state.keys);
  if (!claims) return { admit: false, reason: "forged" };
  if (claims.expiresAt * 1000 <= now) return { admit: false, reason: "expired", claims };
  if (claims.sessionId !== state.sessionId) return { admit: false, reason: "other_session", claims };
  if (state.admitted.has(claims.ticketId)) return { admit: false, reason: "used", claims };
  const known = state.tickets.get(claims.ticketId);
  if (!known) return claims.issuedAt * 1000 > state.syncedAt ? { admit: true, claims } : { admit: false, reason: "unknown", claims };
  if (known.seatId !== claims.seatId) return { admit: false, reason: "forged", claims };
  if (claims.version < known.version) return { admit: false, reason: "superseded", claims };
  if (claims.version > known.version) return { admit: true, claims };
  if (known.status !== "valid") return { admit: false, reason: known.status, claims };
  return { admit: true, claims };
}
