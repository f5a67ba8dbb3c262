import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type ScanListEntry, type ScannerState, scanOffline } from "./offline-scan.ts";
import { createTicketSigner, publicKeyOf } from "@rush/service";

const signer = createTicketSigner(randomBytes(32).toString("base64"));
const sessionId = randomUUID();
const SYNC = 1_800_000_000_000;
const NOW = SYNC + 3_600_000;
const qr = (ticketId: string, version: number, issuedAtMs: number, seatId = "A-1-1", expiresAtMs = SYNC + 86_400_000, session = sessionId) =>
  signer.sign({ ticketId, sessionId: session, seatId, version, issuedAt: Math.floor(issuedAtMs / 1000), expiresAt: Math.floor(expiresAtMs / 1000) });

function scanner(tickets: ScanListEntry[], admitted: string[] = []): ScannerState {
  return {
    sessionId,
    syncedAt: SYNC,
    keys: new Map(signer.keys.map((k) => [k.keyId, publicKeyOf(k.publicKeyPem)])),
    tickets: new Map(tickets.map((t) => [t.id, t])),
    admitted: new Set(admitted),
  };
}

describe("offline scan", () => {
  const id = randomUUID();

  it("tickets: a scanner refuses the QR a transfer superseded, with nothing but its last sync", () => {
    const state = scanner([{ id, seatId: "A-1-1", version: 2, status: "valid" }]);
    expect(scanOffline(qr(id, 1, SYNC - 86_400_000), state, NOW)).toMatchObject({ admit: false, reason: "superseded" });
    expect(scanOffline(qr(id, 2, SYNC - 1000), state, NOW)).toMatchObject({ admit: true, claims: { ticketId: id, version: 2 } });
  });

  it("tickets: a transfer after the sync is admitted in its new version (the sync cannot know better)", () => {
    const state = scanner([{ id, seatId: "A-1-1", version: 1, status: "valid" }]);
    expect(scanOffline(qr(id, 2, SYNC + 1000), state, NOW)).toMatchObject({ admit: true });
  });

  it("tickets: used, void, already admitted here, expired, other session and forged codes are refused", () => {
    const [used, voided] = [randomUUID(), randomUUID()];
    const state = scanner(
      [
        { id, seatId: "A-1-1", version: 1, status: "valid" },
        { id: used, seatId: "A-1-2", version: 1, status: "used" },
        { id: voided, seatId: "A-1-3", version: 1, status: "void" },
      ],
      [],
    );
    expect(scanOffline(qr(used, 1, SYNC - 1000, "A-1-2"), state, NOW)).toMatchObject({ admit: false, reason: "used" });
    expect(scanOffline(qr(voided, 1, SYNC - 1000, "A-1-3"), state, NOW)).toMatchObject({ admit: false, reason: "void" });
    expect(scanOffline(qr(id, 1, SYNC - 1000), scanner([{ id, seatId: "A-1-1", version: 1, status: "valid" }], [id]), NOW)).toMatchObject({ reason: "used" });
    expect(scanOffline(qr(id, 1, SYNC - 1000, "A-1-1", NOW - 1000), state, NOW)).toMatchObject({ admit: false, reason: "expired" });
    expect(scanOffline(qr(id, 1, SYNC - 1000, "A-1-1", SYNC + 86_400_000, randomUUID()), state, NOW)).toMatchObject({ reason: "other_session" });
    expect(scanOffline(qr(id, 1, SYNC - 1000, "A-1-9"), state, NOW)).toMatchObject({ admit: false, reason: "forged" });
    const foreign = createTicketSigner(randomBytes(32).toString("base64")).sign({ ticketId: id, sessionId, seatId: "A-1-1", version: 1, issuedAt: 1, expiresAt: 2e9 });
    expect(scanOffline(foreign, state, NOW)).toEqual({ admit: false, reason: "forged" });
  });

  it("tickets: an unlisted ticket issued before the sync is unknown; one issued after it is admitted", () => {
    const state = scanner([]);
    expect(scanOffline(qr(randomUUID(), 1, SYNC - 1000), state, NOW)).toMatchObject({ admit: false, reason: "unknown" });
    expect(scanOffline(qr(randomUUID(), 1, SYNC + 1000), state, NOW)).toMatchObject({ admit: true });
  });
});
