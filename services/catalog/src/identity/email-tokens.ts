import { createHash, randomBytes } from "node:crypto";
import { type Database, emailTokens } from "@rush/db";
import { and, eq, gt, isNull } from "drizzle-orm";

export type EmailTokenPurpose = "verify_email" | "reset_password";

/** Why a token was refused: the link's page says which, so the user knows to ask for a new one. */
export type TokenUse = { outcome: "ok"; userId: string; email: string } | { outcome: "unknown" | "expired" | "used" };

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * One-time tokens for e-mailed links. 256 random bits each; only the hash is stored. Issuing a
 * new one retires the user's unused ones of the same purpose, so only the newest link works.
 * `use` is one conditional UPDATE: two clicks at once cannot both succeed.
 */
export function createEmailTokens(db: Database, clock: () => number) {
  return {
    async issue(userId: string, email: string, purpose: EmailTokenPurpose, ttlMs: number): Promise<{ token: string; expiresAt: number }> {
      const token = randomBytes(32).toString("base64url");
      const now = clock();
      const expiresAt = now + ttlMs;
      await db.transaction(async (tx) => {
        await tx
          .update(emailTokens)
          .set({ usedAt: new Date(now) })
          .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
        await tx.insert(emailTokens).values({ userId, email, purpose, tokenHash: hashOf(token), expiresAt: new Date(expiresAt) });
      });
      return { token, expiresAt };
    },

    /** Spends `token` inside `tx` (the caller's change commits with it, or neither happens). */
    async use(tx: Tx, token: string, purpose: EmailTokenPurpose): Promise<TokenUse> {
      const now = new Date(clock());
      const tokenHash = hashOf(token);
      const which = and(eq(emailTokens.tokenHash, tokenHash), eq(emailTokens.purpose, purpose));
      const [spent] = await tx
        .update(emailTokens)
        .set({ usedAt: now })
        .where(and(which, isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
        .returning({ userId: emailTokens.userId, email: emailTokens.email });
      if (spent) return { outcome: "ok", ...spent };
      const [row] = await tx.select({ usedAt: emailTokens.usedAt }).from(emailTokens).where(which);
      return { outcome: !row ? "unknown" : row.usedAt ? "used" : "expired" };
    },
  };
}
export type EmailTokens = ReturnType<typeof createEmailTokens>;

