import { Accepted, PasswordResetConfirm, PasswordResetRequest, UserView, VerifyEmailRequest } from "@rush/contracts";
import { type Database, refreshTokens, users } from "@rush/db";
import { HttpProblem, type TrustedProxies } from "@rush/service";
import { and, eq, isNull } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { type AccountMail, accountMailEvent } from "./account-mail.ts";
import { clientIp } from "./client-ip.ts";
import type { EmailTokens, TokenUse } from "./email-tokens.ts";
import type { MailLimits } from "./mail-limits.ts";
import type { PasswordHasher } from "./password-hasher.ts";
import { type UserRecord, findUserByEmail, findUserById, toUserView } from "./users.ts";

export interface EmailRoutesOptions {
  db: Database;
  hasher: PasswordHasher;
  tokens: EmailTokens;
  limits: MailLimits;
  mail: AccountMail;
  trustedProxies: TrustedProxies;
  verifyTtlMs: number;
  resetTtlMs: number;
  clock: () => number;
}

const refused = (use: Exclude<TokenUse["outcome"], "ok">) => {
  switch (use) {
    case "expired":
      return new HttpProblem(400, "token_expired", "Link expired", "this link has expired: ask for a new one");
    case "used":
      return new HttpProblem(400, "token_used", "Link already used", "this link was already used (or a newer one was sent): ask for a new one");
    case "unknown":
      return new HttpProblem(400, "token_invalid", "Invalid link", "this link is not one we sent");
  }
};

/**
 * Sends the verification e-mail for `user`. A lost publish is logged, not a failed request:
 * the account exists, and `POST /v1/auth/verify-email/resend` asks again.
 */
export async function sendVerification(options: Pick<EmailRoutesOptions, "tokens" | "mail" | "verifyTtlMs" | "clock">, user: UserRecord, log: FastifyBaseLogger) {
  try {
    const token = await options.tokens.issue(user.id, user.email, "verify_email", options.verifyTtlMs);
    await options.mail(accountMailEvent("EmailVerificationRequested", user, token, options.clock()));
  } catch (error) {
    log.warn({ err: error, userId: user.id }, "verification e-mail not requested");
  }
}

/** `/v1/auth/verify-email*` and `/v1/auth/password-reset*`: links sent by e-mail, each good once. */
export const emailRoutes: FastifyPluginAsyncZod<EmailRoutesOptions> = async (app, options) => {
  const { db, tokens, limits, clock } = options;
  const tooMany = (retryAfterSeconds: number) =>
    new HttpProblem(429, "too_many_requests", "Too Many Requests", "too many e-mails asked for from here; wait before trying again", {}, { "retry-after": String(retryAfterSeconds) });
  const limitIp = async (kind: string, request: Parameters<typeof clientIp>[0]) => {
    const gate = await limits.ip(kind, clientIp(request, options.trustedProxies));
    if (!gate.allowed) throw tooMany(gate.retryAfterSeconds);
  };

  app.post("/v1/auth/verify-email", { schema: { body: VerifyEmailRequest, response: { 200: UserView } } }, async (request) => {
    const user = await db.transaction(async (tx) => {
      const use = await tokens.use(tx, request.body.token, "verify_email");
      if (use.outcome !== "ok") throw refused(use.outcome);
      // Proves the address the link was sent to; if the account's address changed since, nothing is proven.
      await tx
        .update(users)
        .set({ emailVerifiedAt: new Date(clock()) })
        .where(and(eq(users.id, use.userId), eq(users.email, use.email), isNull(users.emailVerifiedAt)));
      return use.userId;
    });
    const record = await findUserById(db, user);
    if (!record) throw refused("unknown");
    return toUserView(record);
  });

  app.post("/v1/auth/verify-email/resend", { config: { auth: {} }, schema: { body: z.object({}).optional(), response: { 202: Accepted } } }, async (request, reply) => {
    await limitIp("verify", request);
    const user = await findUserById(db, request.principal!.sub);
    if (user && user.emailVerifiedAt === null && (await limits.address("verify", user.email))) await sendVerification(options, user, request.log);
    return reply.code(202).send({ accepted: true as const });
  });

  // The same 202 for every address: whether an account has it is not the asker's business.
  app.post("/v1/auth/password-reset/request", { schema: { body: PasswordResetRequest, response: { 202: Accepted } } }, async (request, reply) => {
    await limitIp("reset", request);
    const { email } = request.body;
    const user = await findUserByEmail(db, email);
    if (user && (await limits.address("reset", email))) {
      try {
        const token = await tokens.issue(user.id, user.email, "reset_password", options.resetTtlMs);
        await options.mail(accountMailEvent("PasswordResetRequested", user, token, clock()));
      } catch (error) {
        // Still 202: a 5xx only for known addresses would tell which ones have accounts.
        request.log.error({ err: error, userId: user.id }, "password-reset e-mail not requested");
      }
    }
    return reply.code(202).send({ accepted: true as const });
  });

  app.post("/v1/auth/password-reset", { schema: { body: PasswordResetConfirm, response: { 204: z.null() } } }, async (request, reply) => {
    await limitIp("reset-confirm", request);
    const passwordHash = await options.hasher.hash(request.body.password);
    await db.transaction(async (tx) => {
      const use = await tokens.use(tx, request.body.token, "reset_password");
      if (use.outcome !== "ok") throw refused(use.outcome);
      const now = new Date(clock());
      // Following the link proves the address too.
      await tx.update(users).set({ passwordHash }).where(eq(users.id, use.userId));
      await tx.update(users).set({ emailVerifiedAt: now }).where(and(eq(users.id, use.userId), eq(users.email, use.email), isNull(users.emailVerifiedAt)));
      // Whoever knew the old password is signed out everywhere.
      await tx.update(refreshTokens).set({ revokedAt: now }).where(and(eq(refreshTokens.userId, use.userId), isNull(refreshTokens.revokedAt)));
    });
    return reply.code(204).send(null);
  });
};
