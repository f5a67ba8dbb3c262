import { createHash } from "node:crypto";
import { RecoveryCode } from "@rush/contracts";
import { type Database, recoveryCodes, userTotp } from "@rush/db";
import { and, eq, isNotNull, isNull, lt } from "drizzle-orm";
import { base32Decode, matchStep, newRecoveryCodes, newTotpSecret, secretBox } from "./totp.ts";

/** Only the SHA-256 of a recovery code is kept (50 random bits each: no salt needed against a table leak of this size). */
const digest = (code: string) => createHash("sha256").update(RecoveryCode.parse(code)).digest("base64url");

export interface TwoFactorStore {
  /** Whether sign-in asks this user for a code. */
  enrolled(userId: string): Promise<boolean>;
  /** A fresh secret, not yet in force; `undefined` when one is already confirmed (disable it first). */
  enroll(userId: string): Promise<string | undefined>;
  /** Puts the pending secret in force if `code` is its current code; new recovery codes, or why not. */
  confirm(userId: string, code: string, nowMs: number): Promise<{ recoveryCodes: string[] } | "no_enrollment" | "invalid_otp">;
  /** A current code, good once: a second use of the same code within its window is refused. */
  verify(userId: string, code: string, nowMs: number): Promise<boolean>;
  /** Spends a recovery code: true once per code. */
  redeem(userId: string, code: string): Promise<boolean>;
  /** Removes the secret and the recovery codes if `code` is a current code. */
  disable(userId: string, code: string, nowMs: number): Promise<boolean>;
}

/** `masterSecret` (`TWO_FACTOR_KEY`) seals the secrets at rest. */
export function createTwoFactorStore(db: Database, masterSecret: string): TwoFactorStore {
  const box = secretBox(masterSecret);
  const row = async (userId: string) => (await db.select().from(userTotp).where(eq(userTotp.userId, userId)))[0];
  const secretOf = (sealed: string) => base32Decode(box.open(sealed));

  const store: TwoFactorStore = {
    async enrolled(userId) {
      const [found] = await db
        .select({ userId: userTotp.userId })
        .from(userTotp)
        .where(and(eq(userTotp.userId, userId), isNotNull(userTotp.confirmedAt)));
      return found !== undefined;
    },

    async enroll(userId) {
      const secret = newTotpSecret();
      const sealed = box.seal(secret);
      // Replaces a pending secret (an abandoned enrolment), never a confirmed one.
      const [written] = await db
        .insert(userTotp)
        .values({ userId, secretCiphertext: sealed })
        .onConflictDoUpdate({ target: userTotp.userId, set: { secretCiphertext: sealed, lastStep: 0, createdAt: new Date() }, setWhere: isNull(userTotp.confirmedAt) })
        .returning({ userId: userTotp.userId });
      return written ? secret : undefined;
    },

    confirm: (userId, code, nowMs) =>
      db.transaction(async (tx) => {
        const [pending] = await tx.select().from(userTotp).where(eq(userTotp.userId, userId)).for("update");
        if (!pending || pending.confirmedAt) return "no_enrollment" as const;
        const step = matchStep(secretOf(pending.secretCiphertext), code, nowMs, pending.lastStep);
        if (step === undefined) return "invalid_otp" as const;
        await tx.update(userTotp).set({ confirmedAt: new Date(nowMs), lastStep: step }).where(eq(userTotp.userId, userId));
        const codes = newRecoveryCodes();
        await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
        await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId, codeHash: digest(c) })));
        return { recoveryCodes: codes };
      }),

    async verify(userId, code, nowMs) {
      const found = await row(userId);
      if (!found?.confirmedAt) return false;
      const step = matchStep(secretOf(found.secretCiphertext), code, nowMs, found.lastStep);
      if (step === undefined) return false;
      // Compare-and-set on the step: of two sign-ins with one code, one wins.
      const [moved] = await db
        .update(userTotp)
        .set({ lastStep: step })
        .where(and(eq(userTotp.userId, userId), lt(userTotp.lastStep, step)))
        .returning({ userId: userTotp.userId });
      return moved !== undefined;
    },

    async redeem(userId, code) {
      if (!RecoveryCode.safeParse(code).success) return false;
      const [spent] = await db
        .update(recoveryCodes)
        .set({ usedAt: new Date() })
        .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, digest(code)), isNull(recoveryCodes.usedAt)))
        .returning({ id: recoveryCodes.id });
      return spent !== undefined;
    },

    async disable(userId, code, nowMs) {
      if (!(await store.verify(userId, code, nowMs))) return false;
      await db.transaction(async (tx) => {
        await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
        await tx.delete(userTotp).where(eq(userTotp.userId, userId));
      });
      return true;
    },
  };
  return store;
}
