import { type KeyObject, createHash, createPrivateKey, createPublicKey, sign, verify } from "node:crypto";

/** What a ticket's QR code vouches for; `version` is bumped on transfer, so an older QR stops verifying. */
export interface TicketClaims {
  ticketId: string;
  sessionId: string;
  seatId: string;
  version: number;
}

/** Signs and checks ticket QR payloads: `RT1.<base64url payload>.<base64url Ed25519 signature>`. */
export interface TicketSigner {
  readonly keyId: string;
  readonly publicKeyPem: string;
  sign(claims: TicketClaims): string;
  /** The claims of a genuine QR code, or `undefined` for anything else (forged, altered, malformed). */
  verify(qr: string): TicketClaims | undefined;
}

/** The development key (a well-known seed): the config refuses it in production. */
export const DEV_TICKET_SEED = createHash("sha256").update("rush-dev-ticket-signing-key").digest("base64");

const PREFIX = "RT1";
// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410).
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");

function privateKeyOf(seedBase64: string): KeyObject {
  const seed = Buffer.from(seedBase64, "base64");
  if (seed.length !== 32) throw new RangeError("TICKET_SIGNING_KEY must be the base64 of a 32-byte Ed25519 seed");
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: "der", type: "pkcs8" });
}

/** Verifies a QR code with a public key alone: what an offline scanner does. */
export function verifyTicketQr(qr: string, publicKey: KeyObject | string): TicketClaims | undefined {
  const parts = qr.split(".");
  if (parts.length !== 3 || parts[0] !== PREFIX) return undefined;
  const [, payload, signature] = parts as [string, string, string];
  const key = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
  let genuine = false;
  try {
    genuine = verify(null, Buffer.from(`${PREFIX}.${payload}`), key, Buffer.from(signature, "base64url"));
  } catch {
    return undefined;
  }
  if (!genuine) return undefined;
  try {
    const [ticketId, sessionId, seatId, version] = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown[];
    if (typeof ticketId !== "string" || typeof sessionId !== "string" || typeof seatId !== "string") return undefined;
    if (typeof version !== "number" || !Number.isInteger(version)) return undefined;
    return { ticketId, sessionId, seatId, version };
  } catch {
    return undefined;
  }
}

export function createTicketSigner(seedBase64: string): TicketSigner {
  const privateKey = privateKeyOf(seedBase64);
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ format: "pem", type: "spki" }).toString();
  const keyId = createHash("sha256").update(publicKey.export({ format: "der", type: "spki" })).digest("hex").slice(0, 16);
  return {
    keyId,
    publicKeyPem,
    sign(claims) {
      // A JSON array keeps the QR short; the order of fields is the format.
      const payload = Buffer.from(JSON.stringify([claims.ticketId, claims.sessionId, claims.seatId, claims.version])).toString("base64url");
      const signature = sign(null, Buffer.from(`${PREFIX}.${payload}`), privateKey).toString("base64url");
      return `${PREFIX}.${payload}.${signature}`;
    },
    verify: (qr) => verifyTicketQr(qr, publicKey),
  };
}
