import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEV_TICKET_SEED, createTicketSigner, verifyTicketQr } from "./ticket-qr.ts";

const claims = { ticketId: randomUUID(), sessionId: randomUUID(), seatId: "A-1-7", version: 1 };

describe("ticket QR", () => {
  const signer = createTicketSigner(DEV_TICKET_SEED);

  it("tickets: a signed QR verifies offline with the public key alone", () => {
    const qr = signer.sign(claims);
    expect(qr).toMatch(/^RT1\.[\w-]+\.[\w-]+$/);
    expect(verifyTicketQr(qr, signer.publicKeyPem)).toEqual(claims);
  });

  it("tickets: signing is deterministic (Ed25519), so a QR can be shown again without storing it", () => {
    expect(signer.sign(claims)).toBe(signer.sign(claims));
  });

  it("tickets: an altered payload, a foreign key or garbage does not verify", () => {
    const qr = signer.sign(claims);
    const [prefix, , signature] = qr.split(".");
    const altered = Buffer.from(JSON.stringify([claims.ticketId, claims.sessionId, "A-1-8", 1])).toString("base64url");
    expect(signer.verify(`${prefix}.${altered}.${signature}`)).toBeUndefined();
    const other = createTicketSigner(randomBytes(32).toString("base64"));
    expect(other.verify(qr)).toBeUndefined();
    for (const junk of ["", "RT1", "RT1..", "RT2.a.b", "RT1.e30.AAAA", `${qr}x`]) expect(signer.verify(junk)).toBeUndefined();
  });

  it("tickets: a new version is a different QR", () => {
    expect(signer.sign({ ...claims, version: 2 })).not.toBe(signer.sign(claims));
  });

  it("tickets: the key must be a 32-byte seed", () => {
    expect(() => createTicketSigner(Buffer.from("short").toString("base64"))).toThrow(RangeError);
  });
});
