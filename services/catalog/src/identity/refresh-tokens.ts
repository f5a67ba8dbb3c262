import { createHash, randomBytes, randomUUID } from "node:crypto";
import { type Database, refreshTokens } from "@rush/db";
import { and, eq, isNull } from "drizzle-orm";

/** What presenting a refresh token led to. */
export type RotateOutcome =
  | { status: "rotated"; userId: string; refreshToken: string; secondFactor: boolean }
  /** Unknown, expired or revoked: no new token. */
  | { status: "invalid" }
  /** Already rotated once: someone replayed it, so its whole family is now revoked. */
  | { status: "reused"; userId: string; familyId: string };

export interface RefreshTokenStore {
  /** A new token of a new family (a new login); `secondFactor`: the login checked one. */
  issue(userId: string, secondFactor?: boolean): Promise<string>;
  /** Trades a live token for a new one of the same family, once. */
  rotate(refreshToken: string): Promise<RotateOutcome>;
  /** Revokes every token of the presented token's family (logout); unknown tokens are ignored. */
  revokeFamily(refreshToken: string): Promise<void>;
}

/** Only the SHA-256 of a token is stored: a leaked table holds nothing that logs anyone in. */
const digest = (token: string) => createHash("sha256").update(token).digest("base64url");

export function createRefreshTokenStore(db: Database, options: { ttlMs: number; clock: () => number }): RefreshTokenStore {
  const insert = async (tx: Pick<Database, "insert">, userId: string, familyId: string, secondFactor: boolean) => {
    const token = randomBytes(32).toString("base64url");
    await tx.insert(refreshTokens).values({
      userId,
      familyId,
      secondFactor,
      tokenHash: digest(token),
      expiresAt: new Date(options.clock() + options.ttlMs),
    });
    return token;
  };
  const revoke = (tx: Pick<Database, "update">, familyId: string, at: Date) =>
    tx
      .update(refreshTokens)
      .set({ revokedAt: at })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));

  return {
    issue: (userId, secondFactor = false) => insert(db, userId, randomUUID(), secondFactor),

    rotate: (refreshToken) =>
      // The row lock serialises two presentations of one token: the second sees it rotated.
      db.transaction(async (tx): Promise<RotateOutcome> => {
        const now = new Date(options.clock());
        const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, digest(refreshToken))).for("update");
        if (!row || row.revokedAt !== null) return { status: "invalid" };
        if (row.rotatedAt !== null) {
          await revoke(tx, row.familyId, now);
          return { status: "reused", userId: row.userId, familyId: row.familyId };
        }
        if (row.expiresAt <= now) return { status: "invalid" };
        await tx.update(refreshTokens).set({ rotatedAt: now }).where(eq(refreshTokens.id, row.id));
        return {
          status: "rotated",
          userId: row.userId,
          secondFactor: row.secondFactor,
          refreshToken: await insert(tx, row.userId, row.familyId, row.secondFactor),
        };
      }),

    revokeFamily: async (refreshToken) => {
      const [row] = await db
        .select({ familyId: refreshTokens.familyId })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, digest(refreshToken)));
      if (row) await revoke(db, row.familyId, new Date(options.clock()));
    },
  };
}
