import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEV_TICKET_SEED, createTicketSigner, keyIdOf, publicKeyOf, verifyTicketQr } from "./ticket-qr.ts";

const claims = { ticketId: randomUUID(), sessionId: randomUUID(), seatId: "A-1-7", version: 1, issuedAt: 1_800_000_000, expiresAt: 1_800_100_000 };
const spkiBase64 = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, "");

describe("ticket QR", () => {
  const signer = createTicketSigner(DEV_TICKET_SEED);

  it("tickets: a signed QR carries format version, issue and expiry times and key id, and verifies offline with public keys alone", () => {
    const qr = signer.sign(claims);
    expect(qr).toMatch(/^RT2\.[\w-]+\.[\w-]+$/);
    const keys = new Map([[signer.keyId, publicKeyOf(signer.publicKeyPem)]]);
    expect(verifyTicketQr(qr, keys)).toEqual({ ...claims, keyId: signer.keyId });
  });

  it("tickets: signing is deterministic (Ed25519), so a QR can be shown again without storing it", () => {
    expect(signer.sign(claims)).toBe(signer.sign(claims));
  });

  it("tickets: an altered payload, a foreign key, the old RT1 format or garbage does not verify", () => {
    const qr = signer.sign(claims);
    const [prefix, payload, signature] = qr.split(".") as [string, string, string];
    const fields = JSON.parse(Buffer.from(payload, "base64url").toString());
    fields[2] = "A-1-8";
    expect(signer.verify(`${prefix}.${Buffer.from(JSON.stringify(fields)).toString("base64url")}.${signature}`)).toBeUndefined();
    const other = createTicketSigner(randomBytes(32).toString("base64"));
    expect(other.verify(qr)).toBeUndefined();
    expect(signer.verify(`RT1.${payload}.${signature}`)).toBeUndefined();
    for (const junk of ["", "RT2", "RT2..", "RT3.a.b", "RT2.e30.AAAA", "RT2.W10.AAAA", `${qr}x`]) expect(signer.verify(junk)).toBeUndefined();
  });

  it("tickets: key rotation: QR codes of the previous key still verify, new ones name the new key", () => {
    const old = createTicketSigner(randomBytes(32).toString("base64"));
    const oldQr = old.sign(claims);
    const rotated = createTicketSigner(randomBytes(32).toString("base64"), [spkiBase64(old.publicKeyPem)]);
    expect(rotated.verify(oldQr)).toMatchObject({ ticketId: claims.ticketId, keyId: old.keyId });
    expect(rotated.verify(rotated.sign(claims))).toMatchObject({ keyId: rotated.keyId });
    expect(rotated.keys.map((k) => k.keyId)).toEqual([rotated.keyId, old.keyId]);
    expect(keyIdOf(publicKeyOf(rotated.keys[1]!.publicKeyPem))).toBe(old.keyId);
    // Dropped from the list, the old key's codes stop verifying.
    expect(createTicketSigner(randomBytes(32).toString("base64")).verify(oldQr)).toBeUndefined();
  });

  it("tickets: a new version is a different QR", () => {
    expect(signer.sign({ ...claims, version: 2 })).not.toBe(signer.sign(claims));
  });

  it("tickets: the key must be a 32-byte seed; previous keys must be Ed25519 public keys", () => {
    expect(() => createTicketSigner(Buffer.from("short").toString("base64"))).toThrow(RangeError);
    expect(() => createTicketSigner(DEV_TICKET_SEED, ["bm90IGEga2V5"])).toThrow();
  });
});
