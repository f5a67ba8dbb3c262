import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CatalogStack, TEST_PASSWORD, startCatalogStack } from "../testing/catalog-stack.ts";
import { TOTP_STEP_SECONDS, base32Decode, hotp, stepAt } from "./totp.ts";

const PROBLEM = "application/problem+json";
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { amr?: string[] };

describe("two-factor sign-in (TOTP)", () => {
  let stack: CatalogStack;
  /** The service's clock runs ahead by `skew`: each test step moves to a fresh 30 s step. */
  let skew = 0;
  const now = () => Date.now() + skew;
  const nextStep = () => {
    skew += TOTP_STEP_SECONDS * 1000;
  };
  const codeFor = (secret: string) => hotp(base32Decode(secret), stepAt(now()));
  const login = (email: string, extra: object = {}) =>
    stack.call({ method: "POST", url: "/v1/auth/login", payload: { email, password: TEST_PASSWORD, ...extra }, headers: { "x-forwarded-for": "198.51.100.7" } });
  const post = (url: string, token: string, payload?: object) => stack.call({ method: "POST", url, token, ...(payload ? { payload } : {}) });
  const refreshRows = async () => (await stack.db.sql<{ n: number }[]>`select count(*)::int as n from refresh_tokens`)[0]!.n;

  /** Enrols and confirms an authenticator for the user behind `token`: its secret and recovery codes. */
  async function enrol(token: string) {
    const enrolled = await post("/v1/auth/totp/enroll", token);
    expect(enrolled.statusCode).toBe(200);
    const { secret } = enrolled.json() as { secret: string };
    const confirmed = await post("/v1/auth/totp/confirm", token, { otp: codeFor(secret) });
    expect(confirmed.statusCode).toBe(200);
    nextStep();
    return { secret, recoveryCodes: (confirmed.json() as { recoveryCodes: string[] }).recoveryCodes };
  }

  beforeAll(async () => {
    stack = await startCatalogStack({ SECOND_FACTOR_ROLES: "admin", LOGIN_MAX_FAILURES_PER_ACCOUNT_IP: "50" }, { clock: now });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("two-factor: enrol with the app's secret, confirm with a first code; then sign-in asks for a code and the token says it was checked", async () => {
    const { accessToken } = await stack.user("otp-ada@example.com");
    const enrolled = await post("/v1/auth/totp/enroll", accessToken);
    expect(enrolled.statusCode).toBe(200);
    const { secret, otpauthUri } = enrolled.json() as { secret: string; otpauthUri: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toBe(`otpauth://totp/Rush:otp-ada%40example.com?secret=${secret}&issuer=Rush&algorithm=SHA1&digits=6&period=30`);
    // Sealed at rest.
    const [stored] = await stack.db.sql<{ secret_ciphertext: string }[]>`select secret_ciphertext from user_totp`;
    expect(stored!.secret_ciphertext).not.toContain(secret);

    // Not in force until confirmed: a wrong code or malformed input changes nothing.
    expect((await login("otp-ada@example.com")).statusCode).toBe(200);
    const wrong = await post("/v1/auth/totp/confirm", accessToken, { otp: codeFor(secret) === "000000" ? "000001" : "000000" });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.headers["content-type"]).toContain(PROBLEM);
    expect(wrong.json()).toMatchObject({ code: "invalid_otp" });
    const malformed = await post("/v1/auth/totp/confirm", accessToken, { otp: "12ab" });
    expect(malformed.statusCode).toBe(400);
    expect((await stack.call({ method: "GET", url: "/v1/me", token: accessToken })).json()).toMatchObject({ twoFactor: false });

    const confirmed = await post("/v1/auth/totp/confirm", accessToken, { otp: codeFor(secret) });
    expect(confirmed.statusCode).toBe(200);
    const { recoveryCodes } = confirmed.json() as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect((await stack.call({ method: "GET", url: "/v1/me", token: accessToken })).json()).toMatchObject({ twoFactor: true });
    expect((await post("/v1/auth/totp/enroll", accessToken)).json()).toMatchObject({ status: 409, code: "two_factor_enrolled" });
    nextStep();

    // The password alone is not enough, and issues nothing.
    const rows = await refreshRows();
    const bare = await login("otp-ada@example.com");
    expect(bare.statusCode).toBe(401);
    expect(bare.json()).toMatchObject({ code: "otp_required" });
    expect((await login("otp-ada@example.com", { otp: codeFor(secret) === "123456" ? "654321" : "123456" })).json()).toMatchObject({ code: "invalid_otp" });
    expect((await login("otp-ada@example.com", { otp: "12345" })).statusCode).toBe(400);
    expect(await refreshRows()).toBe(rows);

    const code = codeFor(secret);
    const signedIn = await login("otp-ada@example.com", { otp: code });
    expect(signedIn.statusCode).toBe(200);
    const pair = signedIn.json() as { accessToken: string; refreshToken: string };
    expect(claimsOf(pair.accessToken).amr).toEqual(["pwd", "otp"]);
    // The same code twice within its window: refused (someone looking over a shoulder).
    expect((await login("otp-ada@example.com", { otp: code })).json()).toMatchObject({ code: "invalid_otp" });
    // A refreshed token still says how the login was made.
    const refreshed = await stack.call({ method: "POST", url: "/v1/auth/refresh", payload: { refreshToken: pair.refreshToken } });
    expect(claimsOf((refreshed.json() as { accessToken: string }).accessToken).amr).toEqual(["pwd", "otp"]);
  });

  it("two-factor: a recovery code signs in once (as printed, any case); then it is spent", async () => {
    const { accessToken } = await stack.user("otp-bob@example.com");
    const { recoveryCodes } = await enrol(accessToken);
    const first = recoveryCodes[0]!;
    const used = await login("otp-bob@example.com", { recoveryCode: first.toUpperCase() });
    expect(used.statusCode).toBe(200);
    expect(claimsOf((used.json() as { accessToken: string }).accessToken).amr).toEqual(["pwd", "otp"]);
    expect((await login("otp-bob@example.com", { recoveryCode: first })).json()).toMatchObject({ status: 401, code: "invalid_otp" });
    expect((await login("otp-bob@example.com", { recoveryCode: "aaaaa-aaaaa" })).json()).toMatchObject({ status: 401, code: "invalid_otp" });
    expect((await login("otp-bob@example.com", { recoveryCode: "not a code" })).statusCode).toBe(400);
    expect((await login("otp-bob@example.com", { recoveryCode: recoveryCodes[1]!.replace("-", "") })).statusCode).toBe(200);
  });

  it("two-factor: where the organization requires it for admins, an admin acts as admin only after signing in with a code; enrolled, the admin's password alone is refused and a recovery code works once", async () => {
    const admin = await stack.call({ method: "POST", url: "/v1/auth/login", payload: { email: stack.config.ADMIN_EMAIL, password: stack.config.ADMIN_PASSWORD } });
    const passwordOnly = (admin.json() as { accessToken: string }).accessToken;
    expect(claimsOf(passwordOnly).amr).toEqual(["pwd"]);
    const lookup = (token: string) => stack.call({ method: "GET", url: "/v1/users?email=otp-ada@example.com", token });
    const refused = await lookup(passwordOnly);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: "second_factor_required" });
    // Signed in all the same: the admin can enrol, and do what any account may.
    expect((await stack.call({ method: "GET", url: "/v1/me", token: passwordOnly })).statusCode).toBe(200);
    const { secret, recoveryCodes } = await enrol(passwordOnly);
    const adminLogin = (extra: object = {}) =>
      stack.call({ method: "POST", url: "/v1/auth/login", payload: { email: stack.config.ADMIN_EMAIL, password: stack.config.ADMIN_PASSWORD, ...extra } });

    // Enrolled, the admin's password alone signs in no more (issue 15's done-when), and issues nothing.
    const rows = await refreshRows();
    const bare = await adminLogin();
    expect(bare.statusCode).toBe(401);
    expect(bare.json()).toMatchObject({ code: "otp_required" });
    expect(await refreshRows()).toBe(rows);

    const withCode = await adminLogin({ otp: codeFor(secret) });
    expect(withCode.statusCode).toBe(200);
    const lookedUp = await lookup((withCode.json() as { accessToken: string }).accessToken);
    expect(lookedUp.statusCode).toBe(200);
    expect(lookedUp.json()).toMatchObject({ items: [{ email: "otp-ada@example.com" }] });

    // A recovery code stands in for the code once: the admin acts as admin with it, and it is then spent.
    const recovered = await adminLogin({ recoveryCode: recoveryCodes[0]! });
    expect(recovered.statusCode).toBe(200);
    const recoveredToken = (recovered.json() as { accessToken: string }).accessToken;
    expect(claimsOf(recoveredToken).amr).toEqual(["pwd", "otp"]);
    expect((await lookup(recoveredToken)).statusCode).toBe(200);
    const spent = await adminLogin({ recoveryCode: recoveryCodes[0]! });
    expect(spent.statusCode).toBe(401);
    expect(spent.json()).toMatchObject({ code: "invalid_otp" });
  });

  it("two-factor: turning it off takes a current code; afterwards the password alone signs in again", async () => {
    const { accessToken } = await stack.user("otp-cy@example.com");
    expect((await post("/v1/auth/totp/disable", accessToken, { otp: "123456" })).json()).toMatchObject({ status: 409, code: "no_enrollment" });
    const { secret } = await enrol(accessToken);
    const wrong = await post("/v1/auth/totp/disable", accessToken, { otp: codeFor(secret) === "111111" ? "222222" : "111111" });
    expect(wrong.json()).toMatchObject({ status: 422, code: "invalid_otp" });
    expect((await login("otp-cy@example.com")).json()).toMatchObject({ code: "otp_required" });
    expect((await post("/v1/auth/totp/disable", accessToken, { otp: codeFor(secret) })).statusCode).toBe(204);
    expect((await login("otp-cy@example.com")).statusCode).toBe(200);
    expect((await post("/v1/auth/totp/confirm", accessToken, { otp: codeFor(secret) })).json()).toMatchObject({ status: 409, code: "no_enrollment" });
  });
});
