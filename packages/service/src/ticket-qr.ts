import { type KeyObject, createHash, createPrivateKey, createPublicKey, sign, verify } from "node:crypto";

/**
 * What a ticket's QR code vouches for. `version` is bumped on transfer (a scanner that synced
 * the session's scan list refuses an older one); `issuedAt` / `expiresAt` are Unix seconds;
 * `keyId` names the signing key, so keys can rotate while older QR codes still verify.
 */
export interface TicketClaims {
  ticketId: string;
  sessionId: string;
  seatId: string;
  version: number;
  issuedAt: number;
  expiresAt: number;
  keyId: string;
}

/** A verification key as scanners receive it. */
export interface TicketKey {
  keyId: string;
  publicKeyPem: string;
}

/** Signs and checks ticket QR payloads: `RT2.<base64url payload>.<base64url Ed25519 signature>`. */
export interface TicketSigner {
  readonly keyId: string;
  readonly publicKeyPem: string;
  /** The signing key first, then the previous keys still accepted. */
  readonly keys: readonly TicketKey[];
  sign(claims: Omit<TicketClaims, "keyId">): string;
  /** The claims of a genuine QR code (any accepted key), or `undefined` for anything else. Expiry is the caller's. */
  verify(qr: string): TicketClaims | undefined;
}

/** The development key (a well-known seed): the config refuses it outside development. */
export const DEV_TICKET_SEED = createHash("sha256").update("rush-dev-ticket-signing-key").digest("base64");

/** The format's version: RT1 (no expiry, no key id) is no longer issued or accepted. */
const PREFIX = "RT2";
// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410).
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");

function privateKeyOf(seedBase64: string): KeyObject {
  const seed = Buffer.from(seedBase64, "base64");
  if (seed.length !== 32) throw new RangeError("TICKET_SIGNING_KEY must be the base64 of a 32-byte Ed25519 seed");
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: "der", type: "pkcs8" });
}

/** A public key from its PEM, or from the base64 of its SPKI DER (the PEM's body, as one env line). */
export function publicKeyOf(text: string): KeyObject {
  const key = text.includes("BEGIN") ? createPublicKey(text) : createPublicKey({ key: Buffer.from(text, "base64"), format: "der", type: "spki" });
  if (key.asymmetricKeyType !== "ed25519") throw new RangeError("ticket keys are Ed25519");
  return key;
}

export const keyIdOf = (key: KeyObject): string => createHash("sha256").update(key.export({ format: "der", type: "spki" })).digest("hex").slice(0, 16);

const str = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const int = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/** Verifies a QR code with public keys alone (keyed by key id): what an offline scanner does. */
export function verifyTicketQr(qr: string, keys: ReadonlyMap<string, KeyObject>): TicketClaims | undefined {
  const parts = qr.split(".");
  if (parts.length !== 3 || parts[0] !== PREFIX) return undefined;
  const [, payload, signature] = parts as [string, string, string];
  let fields: unknown[];
  try {
    fields = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown[];
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || fields.length !== 7) return undefined;
  const [ticketId, sessionId, seatId, version, issuedAt, expiresAt, keyId] = fields;
  if (!str(ticketId) || !str(sessionId) || !str(seatId) || !str(keyId) || !int(version) || !int(issuedAt) || !int(expiresAt)) return undefined;
  const key = keys.get(keyId);
  if (!key) return undefined;
  try {
    if (!verify(null, Buffer.from(`${PREFIX}.${payload}`), key, Buffer.from(signature, "base64url"))) return undefined;
  } catch {
    return undefined;
  }
  return { ticketId, sessionId, seatId, version, issuedAt, expiresAt, keyId };
}

/**
 * The signer of `seedBase64`; `previousKeys` (PEM or base64 SPKI) still verify, so rotating the
 * signing key does not invalidate QR codes already in buyers' hands.
 */
export function createTicketSigner(seedBase64: string, previousKeys: readonly string[] = []): TicketSigner {
  const privateKey = privateKeyOf(seedBase64);
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  const all = new Map<string, KeyObject>([[keyId, publicKey]]);
  for (const text of previousKeys) {
    const key = publicKeyOf(text);
    all.set(keyIdOf(key), key);
  }
  const pem = (key: KeyObject) => key.export({ format: "pem", type: "spki" }).toString();
  return {
    keyId,
    publicKeyPem: pem(publicKey),
    keys: [...all].map(([id, key]) => ({ keyId: id, publicKeyPem: pem(key) })),
    sign(claims) {
      // A JSON array keeps the QR short; the order of fields is the format.
      const fields = [claims.ticketId, claims.sessionId, claims.seatId, claims.version, claims.issuedAt, claims.expiresAt, keyId];
      const payload = Buffer.from(JSON.stringify(fields)).toString("base64url");
      const signature = sign(null, Buffer.from(`${PREFIX}.${payload}`), privateKey).toString("base64url");
      return `${PREFIX}.${payload}.${signature}`;
    },
    verify: (qr) => verifyTicketQr(qr, all),
  };
}

/** What a ticket's QR code is made from: its row, and when its session ends. */
export interface QrTicket {
  id: string;
  sessionId: string;
  seatId: string;
  version: number;
  issuedAt: Date;
  sessionEndsAt: Date;
}

/**
 * A ticket's QR payload, as the buyer's ticket list and the confirmation e-mail show it.
 * Deterministic (Ed25519, times from the row): the same ticket shows the same QR every time.
 */
export const ticketQr = (signer: TicketSigner, t: QrTicket, graceMs: number): string =>
  signer.sign({
    ticketId: t.id,
    sessionId: t.sessionId,
    seatId: t.seatId,
    version: t.version,
    issuedAt: Math.floor(t.issuedAt.getTime() / 1000),
    expiresAt: Math.floor((t.sessionEndsAt.getTime() + graceMs) / 1000),
  });
