import { LoginRequest, LogoutRequest, RefreshRequest, RegisterRequest, RegisterResponse, TokenPair } from "@rush/contracts";
import { ConflictError, type Database } from "@rush/db";
import { HttpProblem, type TrustedProxies } from "@rush/service";
import type { FastifyBaseLogger, FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { CatalogMetrics } from "../metrics.ts";
import { clientIp } from "./client-ip.ts";
import type { LoginThrottle } from "./login-throttle.ts";
import type { PasswordHasher } from "./password-hasher.ts";
import { readRefreshCookie, refreshCookies } from "./refresh-cookie.ts";
import type { RefreshTokenStore } from "./refresh-tokens.ts";
import { tokenPair } from "./tokens.ts";
import type { TwoFactorStore } from "./two-factor.ts";
import { type UserRecord, createUser, findUserByEmail, findUserById, toUserView } from "./users.ts";

export interface AuthRoutesOptions {
  db: Database;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  refreshTokens: RefreshTokenStore;
  twoFactor: TwoFactorStore;
  trustedProxies: TrustedProxies;
  metrics: CatalogMetrics;
  /** How long the browser keeps the refresh cookie (the refresh token's own lifetime). */
  refreshCookieMaxAgeSeconds: number;
  clock?: () => number;
  /** After a sign-up (the verification e-mail); awaited, and must not throw. */
  onRegistered?: (user: UserRecord, log: FastifyBaseLogger) => Promise<void>;
}

// One answer for an unknown email and a wrong password: no hint which one it was.
const badCredentials = () => new HttpProblem(401, "invalid_credentials", "Unauthorized", "email or password is wrong");
const invalidOtp = () => new HttpProblem(401, "invalid_otp", "Unauthorized", "the one-time code or recovery code is wrong, expired or already used");
const badRefresh = (code: string, detail: string) => new HttpProblem(401, code, "Unauthorized", detail);

/** `/v1/auth/*`: register, login, refresh (rotation with reuse detection), logout. */
export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = async (parent, options) => {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { db, hasher, throttle, refreshTokens, twoFactor, metrics } = options;
  const clock = options.clock ?? Date.now;
  const cookies = refreshCookies({ maxAgeSeconds: options.refreshCookieMaxAgeSeconds, trustedProxies: options.trustedProxies });

  app.post(
    "/v1/auth/register",
    { schema: { body: RegisterRequest, response: { 201: RegisterResponse } } },
    async (request, reply) => {
      const { email, password, displayName } = request.body;
      const passwordHash = await hasher.hash(password);
      try {
        const user = await createUser(db, { email, passwordHash, displayName, roles: ["customer"] });
        await options.onRegistered?.(user, request.log);
        return reply.code(201).send({ user: toUserView(user) });
      } catch (error) {
        if (error instanceof ConflictError) throw new HttpProblem(409, "email_taken", "Conflict", "an account with this email exists");
        throw error;
      }
    },
  );

  app.post("/v1/auth/login", { schema: { body: LoginRequest, response: { 200: TokenPair } } }, async (request, reply) => {
    const { email, password, otp, recoveryCode } = request.body;
    const ip = clientIp(request, options.trustedProxies);
    const gate = await throttle.attempt(email, ip);
    if (!gate.allowed) {
      metrics.logins.inc({ outcome: "throttled" });
      throw new HttpProblem(429, "login_throttled", "Too Many Requests", "too many login attempts; wait before trying again", {}, {
        "retry-after": String(gate.retryAfterSeconds),
      });
    }
    const user = await findUserByEmail(db, email);
    if (!user) {
      await hasher.verifyNothing(password);
      metrics.logins.inc({ outcome: "invalid" });
      throw badCredentials();
    }
    if (!(await hasher.verify(password, user.passwordHash))) {
      metrics.logins.inc({ outcome: "invalid" });
      throw badCredentials();
    }
    // The second step, for an account that has one: still throttled as a failed attempt until it passes.
    const secondFactor = await twoFactor.enrolled(user.id);
    if (secondFactor) {
      if (otp === undefined && recoveryCode === undefined) {
        metrics.logins.inc({ outcome: "otp_required" });
        throw new HttpProblem(401, "otp_required", "Unauthorized", "this account signs in with a one-time code: send `otp` from the authenticator app, or a `recoveryCode`");
      }
      const passed = otp !== undefined ? await twoFactor.verify(user.id, otp, clock()) : await twoFactor.redeem(user.id, recoveryCode!);
      if (!passed) {
        metrics.logins.inc({ outcome: "invalid" });
        throw invalidOtp();
      }
    }
    await throttle.succeeded(email, ip);
    metrics.logins.inc({ outcome: "ok" });
    const pair = await tokenPair(app, refreshTokens, user, secondFactor);
    cookies.set(request, reply, pair.refreshToken);
    return pair;
  });

  app.post("/v1/auth/refresh", { schema: { body: RefreshRequest, response: { 200: TokenPair } } }, async (request, reply) => {
    const presented = request.body.refreshToken ?? readRefreshCookie(request);
    if (presented === undefined) throw badRefresh("invalid_refresh_token", "no refresh token: send one in the body or sign in again");
    const outcome = await refreshTokens.rotate(presented);
    metrics.refreshes.inc({ outcome: outcome.status });
    if (outcome.status !== "rotated") cookies.clear(request, reply);
    if (outcome.status === "reused") {
      request.log.warn({ userId: outcome.userId, familyId: outcome.familyId }, "refresh token reused: family revoked");
      throw badRefresh("refresh_token_reused", "this refresh token was already used; every token of its login is revoked");
    }
    if (outcome.status === "invalid") throw badRefresh("invalid_refresh_token", "unknown, expired or revoked refresh token");
    const user = await findUserById(db, outcome.userId);
    if (!user) throw badRefresh("invalid_refresh_token", "the account no longer exists");
    const pair = await tokenPair(app, refreshTokens, user, outcome.secondFactor, outcome.refreshToken);
    cookies.set(request, reply, pair.refreshToken);
    return pair;
  });

  // No access token needed: a client whose access token expired must still be able to log out.
  app.post("/v1/auth/logout", { schema: { body: LogoutRequest, response: { 204: z.null() } } }, async (request, reply) => {
    const presented = request.body.refreshToken ?? readRefreshCookie(request);
    if (presented !== undefined) await refreshTokens.revokeFamily(presented);
    cookies.clear(request, reply);
    return reply.code(204).send(null);
  });
};
