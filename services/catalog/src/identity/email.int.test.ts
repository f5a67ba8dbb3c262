import { STREAMS, UserEvent, userSubject } from "@rush/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CatalogStack, TEST_PASSWORD, startCatalogStack } from "../testing/catalog-stack.ts";

const PROBLEM = "application/problem+json";
const NEW_PASSWORD = "a brand new password";

describe("account e-mails", () => {
  let stack: CatalogStack;
  let skew = 0;
  let ipCounter = 0;
  /** Each test from its own address: the per-IP limit is tested on purpose, not hit by accident. */
  const freshIp = () => `198.51.100.${++ipCounter}`;
  const post = (url: string, payload: object, extra: { token?: string; ip?: string } = {}) =>
    stack.call({ method: "POST", url, payload, headers: { "x-forwarded-for": extra.ip ?? freshIp() }, ...(extra.token ? { token: extra.token } : {}) });
  /** The newest account e-mail asked for this user, as the mail worker reads it off the USERS stream. */
  const lastMail = async (kind: "verify-email" | "password-reset", userId: string) => {
    const msg = await stack.bus.jsm.streams.getMessage(STREAMS.users, { last_by_subj: userSubject(kind, userId) }).catch(() => null);
    return msg ? UserEvent.parse(msg.json()) : undefined;
  };
  const mailCount = async (kind: string, userId: string) =>
    (await stack.bus.jsm.streams.info(STREAMS.users, { subjects_filter: userSubject(kind, userId) })).state.subjects?.[userSubject(kind, userId)] ?? 0;

  beforeAll(async () => {
    stack = await startCatalogStack({ MAIL_MAX_PER_ADDRESS: "2", MAIL_MAX_PER_IP: "5" }, { clock: () => Date.now() + skew });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("email verification: sign-up e-mails a link whose token verifies the address, once", async () => {
    const user = await stack.user("verify@example.com");
    const me = async () => (await stack.call({ method: "GET", url: "/v1/me", token: user.accessToken })).json();
    expect((await me()).emailVerified).toBe(false);
    const mail = await lastMail("verify-email", user.id);
    expect(mail).toMatchObject({ type: "EmailVerificationRequested", email: "verify@example.com", displayName: "verify" });
    const verified = await post("/v1/auth/verify-email", { token: mail!.token });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ id: user.id, emailVerified: true });
    expect((await me()).emailVerified).toBe(true);
    const again = await post("/v1/auth/verify-email", { token: mail!.token });
    expect(again.statusCode).toBe(400);
    expect(again.headers["content-type"]).toContain(PROBLEM);
    expect(again.json()).toMatchObject({ code: "token_used" });
    // A verified address is not sent another link.
    expect((await post("/v1/auth/verify-email/resend", {}, { token: user.accessToken })).statusCode).toBe(202);
    expect(await mailCount("verify-email", user.id)).toBe(1);
  });

  it("email verification: a made-up or malformed token is a 400 problem and verifies nothing", async () => {
    const made = await post("/v1/auth/verify-email", { token: "A".repeat(43) });
    expect(made.statusCode).toBe(400);
    expect(made.json()).toMatchObject({ code: "token_invalid" });
    const malformed = await post("/v1/auth/verify-email", { token: "<script>" });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers["content-type"]).toContain(PROBLEM);
    expect(malformed.json().errors).toBeDefined();
  });

  it("password reset: the same 202 for an unknown address (and no e-mail); the link sets a new password once and signs old sessions out", async () => {
    const user = await stack.user("reset@example.com");
    const unknown = await post("/v1/auth/password-reset/request", { email: "nobody@example.com" });
    const known = await post("/v1/auth/password-reset/request", { email: "Reset@Example.com" });
    expect([unknown.statusCode, known.statusCode]).toEqual([202, 202]);
    expect(unknown.body).toBe(known.body);
    const mail = await lastMail("password-reset", user.id);
    expect(mail).toMatchObject({ type: "PasswordResetRequested", email: "reset@example.com" });

    const reset = await post("/v1/auth/password-reset", { token: mail!.token, password: NEW_PASSWORD });
    expect(reset.statusCode).toBe(204);
    expect((await stack.call({ method: "POST", url: "/v1/auth/refresh", payload: { refreshToken: user.refreshToken } })).statusCode).toBe(401);
    await expect(stack.login("reset@example.com", TEST_PASSWORD)).rejects.toThrow(/401/);
    await stack.login("reset@example.com", NEW_PASSWORD);

    const reused = await post("/v1/auth/password-reset", { token: mail!.token, password: "yet another password" });
    expect(reused.statusCode).toBe(400);
    expect(reused.json()).toMatchObject({ code: "token_used" });
    await stack.login("reset@example.com", NEW_PASSWORD);
  });

  it("password reset: an expired link is refused and changes nothing; a newer link retires the older one", async () => {
    const user = await stack.user("expired@example.com");
    await post("/v1/auth/password-reset/request", { email: "expired@example.com" });
    const first = await lastMail("password-reset", user.id);
    skew += stack.config.PASSWORD_RESET_TTL_MINUTES * 60_000 + 1_000;
    try {
      const expired = await post("/v1/auth/password-reset", { token: first!.token, password: NEW_PASSWORD });
      expect(expired.statusCode).toBe(400);
      expect(expired.headers["content-type"]).toContain(PROBLEM);
      expect(expired.json()).toMatchObject({ code: "token_expired" });
      await stack.login("expired@example.com", TEST_PASSWORD);
      await post("/v1/auth/password-reset/request", { email: "expired@example.com" });
      const second = await lastMail("password-reset", user.id);
      expect(second!.token).not.toBe(first!.token);
      // The first is spent by the second's issue, whatever its expiry.
      expect((await post("/v1/auth/password-reset", { token: first!.token, password: NEW_PASSWORD })).statusCode).toBe(400);
      expect((await post("/v1/auth/password-reset", { token: second!.token, password: NEW_PASSWORD })).statusCode).toBe(204);
    } finally {
      skew = 0;
    }
  });

  it("password reset: bad input is a 400 problem naming the field and sends nothing", async () => {
    const user = await stack.user("badinput@example.com");
    const noEmail = await post("/v1/auth/password-reset/request", { email: "not-an-address" });
    expect(noEmail.statusCode).toBe(400);
    expect(noEmail.headers["content-type"]).toContain(PROBLEM);
    const short = await post("/v1/auth/password-reset", { token: "A".repeat(43), password: "short" });
    expect(short.statusCode).toBe(400);
    expect(JSON.stringify(short.json().errors)).toContain("password");
    expect(await mailCount("password-reset", user.id)).toBe(0);
  });

  it("password reset: rate-limited — one address gets a few e-mails per window, one IP gets 429 past its limit", async () => {
    const user = await stack.user("limited@example.com");
    const ip = freshIp();
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) answers.push((await post("/v1/auth/password-reset/request", { email: "limited@example.com" }, { ip })).statusCode);
    expect(answers).toEqual([202, 202, 202, 202, 202, 429]);
    expect(await mailCount("password-reset", user.id)).toBe(2);
    const limited = await post("/v1/auth/password-reset/request", { email: "limited@example.com" }, { ip });
    expect(limited.headers["content-type"]).toContain(PROBLEM);
    expect(limited.headers["retry-after"]).toBeDefined();
  });
});
