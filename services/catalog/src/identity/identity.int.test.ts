import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CatalogStack, TEST_PASSWORD, startCatalogStack } from "../testing/catalog-stack.ts";
import { seedAdmin } from "./seed-admin.ts";

const PROBLEM = "application/problem+json";

describe("identity", () => {
  let stack: CatalogStack;
  const register = (email: string, password = TEST_PASSWORD, displayName = "Ada") =>
    stack.call({ method: "POST", url: "/v1/auth/register", payload: { email, password, displayName } });
  const login = (email: string, password: string, ip = "198.51.100.1") =>
    stack.call({ method: "POST", url: "/v1/auth/login", payload: { email, password }, headers: { "x-forwarded-for": ip } });
  const refresh = (refreshToken: string) => stack.call({ method: "POST", url: "/v1/auth/refresh", payload: { refreshToken } });
  const me = (token: string) => stack.call({ method: "GET", url: "/v1/me", token });

  beforeAll(async () => {
    stack = await startCatalogStack({
      LOGIN_MAX_FAILURES_PER_ACCOUNT_IP: "3",
      LOGIN_MAX_FAILURES_PER_IP: "8",
      LOGIN_MAX_FAILURES_PER_ACCOUNT: "12",
      LOGIN_THROTTLE_WINDOW_SECONDS: "60",
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("auth: register gives a customer account; the password is stored only as a scrypt hash", async () => {
    const res = await register("Ada@Example.com");
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ user: { id: expect.any(String), email: "ada@example.com", displayName: "Ada", roles: ["customer"], emailVerified: false } });
    const [row] = await stack.db.sql<{ password_hash: string }[]>`select password_hash from users where email = 'ada@example.com'`;
    expect(row!.password_hash).toMatch(/^\$scrypt\$ln=12,r=8,p=1\$/);
    expect(row!.password_hash).not.toContain(TEST_PASSWORD);
  });

  it("auth: a taken email (in any case) is 409 problem+json and creates nothing", async () => {
    await register("dup@example.com");
    const res = await register("DUP@example.com", "another password 123");
    expect(res.statusCode).toBe(409);
    expect(res.headers["content-type"]).toContain(PROBLEM);
    expect(res.json()).toMatchObject({ status: 409, code: "email_taken" });
    const [row] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from users where lower(email) = 'dup@example.com'`;
    expect(row!.n).toBe(1);
  });

  it("auth: register rejects a short password and a malformed email, naming the fields", async () => {
    const res = await register("not-an-email", "short");
    expect(res.statusCode).toBe(400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["body.email", "body.password"]));
  });

  it("auth: login answers a token pair; /v1/me shows the account; a wrong password or unknown email is 401", async () => {
    await register("bob@example.com");
    const ok = await login("bob@example.com", TEST_PASSWORD);
    expect(ok.statusCode).toBe(200);
    const pair = ok.json();
    expect(pair).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900, tokenType: "Bearer" });
    const profile = await me(pair.accessToken);
    expect(profile.statusCode).toBe(200);
    expect(profile.json()).toMatchObject({ email: "bob@example.com", roles: ["customer"] });

    const wrong = await login("bob@example.com", "wrong password!!");
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: "invalid_credentials" });
    const unknown = await login("nobody@example.com", "whatever password");
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({ code: "invalid_credentials" });
  });

  it("auth: 20 concurrent sign-up + login flows from one client get answers, or 429/503 with Retry-After, never another 5xx", async () => {
    const flow = async (i: number) => {
      const email = `burst-${i}@example.com`;
      const answers = [await register(email)];
      if (answers[0]!.statusCode === 201) {
        // One client of its own (through the gate), so its logins spend no other test's per-IP budget.
        const headers = { "x-forwarded-for": "192.0.2.200" };
        answers.push(await stack.call({ method: "POST", url: "/v1/auth/login", headers, payload: { email, password: TEST_PASSWORD } }));
      }
      return answers;
    };
    const answers = (await Promise.all(Array.from({ length: 20 }, (_, i) => flow(i)))).flat();
    for (const answer of answers) {
      // 429: this file's per-IP login limit is 8 attempts (production: 100); both say when to retry.
      expect([200, 201, 429, 503]).toContain(answer.statusCode);
      if (answer.statusCode >= 429) expect(Number(answer.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    }
    expect(answers.some((a) => a.statusCode === 200)).toBe(true);
  });

  it("auth: /v1/me needs a valid bearer token", async () => {
    expect((await stack.call({ method: "GET", url: "/v1/me" })).statusCode).toBe(401);
    expect((await me("not.a.jwt")).statusCode).toBe(401);
  });

  it("auth: refresh rotates: the new pair works, the old refresh token is spent", async () => {
    await register("carol@example.com");
    const first = (await login("carol@example.com", TEST_PASSWORD)).json();
    const rotated = await refresh(first.refreshToken);
    expect(rotated.statusCode).toBe(200);
    const second = rotated.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await me(second.accessToken)).statusCode).toBe(200);
    const third = await refresh(second.refreshToken);
    expect(third.statusCode).toBe(200);
  });

  it("auth: reusing a rotated refresh token revokes its whole family, and only that family", async () => {
    await register("dave@example.com");
    const stolen = (await login("dave@example.com", TEST_PASSWORD)).json();
    const otherLogin = (await login("dave@example.com", TEST_PASSWORD)).json();
    const legit = (await refresh(stolen.refreshToken)).json();

    const replay = await refresh(stolen.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ code: "refresh_token_reused" });
    // The thief's replay also kills the rightful holder's current token of that family…
    expect((await refresh(legit.refreshToken)).json()).toMatchObject({ code: "invalid_refresh_token" });
    // …but not the account's other login.
    expect((await refresh(otherLogin.refreshToken)).statusCode).toBe(200);
    const [row] = await stack.db.sql<{ live: number }[]>`
      select count(*) filter (where revoked_at is null)::int as live from refresh_tokens t join users u on u.id = t.user_id
      where u.email = 'dave@example.com' and t.family_id = (select family_id from refresh_tokens where user_id = u.id order by created_at limit 1)`;
    expect(row!.live).toBe(0);
  });

  it("auth: two concurrent refreshes of one token: one rotates, the other is reuse", async () => {
    await register("erin@example.com");
    const pair = (await login("erin@example.com", TEST_PASSWORD)).json();
    const answers = await Promise.all([refresh(pair.refreshToken), refresh(pair.refreshToken)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401]);
  });

  it("auth: logout revokes the login's refresh tokens and answers 204, also for an unknown token", async () => {
    await register("frank@example.com");
    const pair = (await login("frank@example.com", TEST_PASSWORD)).json();
    const out = await stack.call({ method: "POST", url: "/v1/auth/logout", payload: { refreshToken: pair.refreshToken } });
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe("");
    expect((await refresh(pair.refreshToken)).statusCode).toBe(401);
    const unknown = await stack.call({ method: "POST", url: "/v1/auth/logout", payload: { refreshToken: "x".repeat(43) } });
    expect(unknown.statusCode).toBe(204);
  });

  it("auth: login also sets the refresh token as an HttpOnly SameSite cookie for /v1/auth; refresh and logout read it when the body has none", async () => {
    await register("gina@example.com");
    const answer = await login("gina@example.com", TEST_PASSWORD);
    const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers["set-cookie"] ?? "");
    const set = cookieOf(answer);
    expect(set).toMatch(/^rush_refresh=[\w-]{20,}; /);
    expect(set).toContain("HttpOnly");
    expect(set).toContain("SameSite=Strict");
    expect(set).toContain("Path=/v1/auth");
    expect(set).toContain(`Max-Age=${30 * 86_400}`);
    // Plain HTTP here: Secure only behind TLS.
    expect(set).not.toContain("Secure");
    // The JSON body stays as API.md says, for clients that are not browsers.
    expect(answer.json().refreshToken).toBe(set.split(";")[0]!.split("=")[1]);

    const cookie = set.split(";")[0]!;
    const rotated = await stack.call({ method: "POST", url: "/v1/auth/refresh", payload: {}, headers: { cookie } });
    expect(rotated.statusCode).toBe(200);
    const next = cookieOf(rotated).split(";")[0]!;
    expect(next).not.toBe(cookie);
    expect(next.split("=")[1]).toBe(rotated.json().refreshToken);
    // The spent cookie is reuse: refused, and the browser is told to drop it.
    const replay = await stack.call({ method: "POST", url: "/v1/auth/refresh", payload: {}, headers: { cookie } });
    expect(replay.statusCode).toBe(401);
    expect(cookieOf(replay)).toMatch(/^rush_refresh=; .*Max-Age=0/);

    const behindTls = await stack.call({ method: "POST", url: "/v1/auth/login", payload: { email: "gina@example.com", password: TEST_PASSWORD }, headers: { "x-forwarded-proto": "https" } });
    expect(cookieOf(behindTls)).toContain("Secure");
    const out = await stack.call({ method: "POST", url: "/v1/auth/logout", payload: {}, headers: { cookie: cookieOf(behindTls).split(";")[0]! } });
    expect(out.statusCode).toBe(204);
    expect(cookieOf(out)).toMatch(/^rush_refresh=; .*Max-Age=0/);
    expect((await refresh(behindTls.json().refreshToken)).statusCode).toBe(401);
  });

  it("bad input: a refresh with neither a body token nor a cookie is 401 problem+json; a malformed token is 400", async () => {
    const none = await stack.call({ method: "POST", url: "/v1/auth/refresh", payload: {} });
    expect(none.statusCode).toBe(401);
    expect(none.headers["content-type"]).toContain(PROBLEM);
    expect((await stack.call({ method: "POST", url: "/v1/auth/refresh", payload: { refreshToken: "short" } })).statusCode).toBe(400);
  });

  it("auth: guesses from one IP stop that IP for that account with 429 and Retry-After; the owner elsewhere still gets in", async () => {
    await register("grace@example.com");
    const attacker = "203.0.113.66";
    const guesses = [];
    for (let i = 0; i < 10; i++) guesses.push((await login("grace@example.com", "wrong password!!", attacker)).statusCode);
    expect(guesses).toEqual([401, 401, 401, ...Array(7).fill(429)]);
    const throttled = await login("grace@example.com", TEST_PASSWORD, attacker);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers["content-type"]).toContain(PROBLEM);
    expect(throttled.json()).toMatchObject({ status: 429, code: "login_throttled" });
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(throttled.headers["retry-after"])).toBeLessThanOrEqual(60);
    // The owner, from their own address, is not locked out by someone else's guesses.
    expect((await login("grace@example.com", TEST_PASSWORD, "198.51.100.50")).statusCode).toBe(200);
  });

  it("auth: ten wrong guesses from ten other IPs do not lock the owner out; past the account limit only known IPs may try", async () => {
    await register("hank@example.com");
    const home = "198.51.100.60";
    expect((await login("hank@example.com", TEST_PASSWORD, home)).statusCode).toBe(200);
    const spread = await Promise.all(Array.from({ length: 10 }, (_, i) => login("hank@example.com", "wrong password!!", `203.0.113.${100 + i}`)));
    expect(spread.map((r) => r.statusCode)).toEqual(Array(10).fill(401));
    expect((await login("hank@example.com", TEST_PASSWORD, "198.51.100.61")).statusCode).toBe(200);
    // A distributed guess past the account-wide limit (12): fresh addresses are refused ...
    const more = await Promise.all(Array.from({ length: 6 }, (_, i) => login("hank@example.com", "wrong password!!", `203.0.113.${120 + i}`)));
    expect(more.map((r) => r.statusCode)).toContain(429);
    expect((await login("hank@example.com", TEST_PASSWORD, "192.0.2.200")).statusCode).toBe(429);
    // ... while the owner's known places still get in.
    expect((await login("hank@example.com", TEST_PASSWORD, home)).statusCode).toBe(200);
    expect((await login("hank@example.com", TEST_PASSWORD, "198.51.100.61")).statusCode).toBe(200);
    // Nothing about addresses is stored in the clear.
    const keys = await stack.redis.keys("login:*");
    expect(keys.join(" ")).not.toContain("hank");
  });

  it("auth: failed logins are throttled per client IP across accounts; a burst cannot slip past the limit", async () => {
    const ip = "192.0.2.77";
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login(`ghost${i}@example.com`, "wrong password!!", ip)),
    );
    const codes = attempts.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(8);
    expect(codes.filter((c) => c === 429)).toHaveLength(4);
    await register("ivan@example.com");
    expect((await login("ivan@example.com", TEST_PASSWORD, ip)).statusCode).toBe(429);
    expect((await login("ivan@example.com", TEST_PASSWORD, "192.0.2.78")).statusCode).toBe(200);
  });

  it("auth: a successful login clears the account's failures", async () => {
    await register("judy@example.com");
    for (let i = 0; i < 2; i++) await login("judy@example.com", "wrong password!!", "198.51.100.20");
    expect((await login("judy@example.com", TEST_PASSWORD, "198.51.100.20")).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) await login("judy@example.com", "wrong password!!", "198.51.100.20");
    expect((await login("judy@example.com", TEST_PASSWORD, "198.51.100.20")).statusCode).toBe(200);
  });

  it("roles: the first admin exists; an admin grants organizer, which reaches the token at refresh", async () => {
    const admin = await stack.adminToken();
    expect((await me(admin)).json()).toMatchObject({ email: "admin@example.com", roles: ["admin"] });
    const user = await stack.user("olga@example.com");
    const granted = await stack.call({ method: "POST", url: `/v1/users/${user.id}/roles`, token: admin, payload: { roles: ["organizer"] } });
    expect(granted.statusCode).toBe(200);
    expect(granted.json().roles).toEqual(["customer", "organizer"]);
    const venue = { name: "Hall", address: "1 Main St", seatMap: { areas: [{ id: "A", name: "A", rowCount: 1, seatsPerRow: 2 }] } };
    // The old token still says customer: no venue.
    expect((await stack.call({ method: "POST", url: "/v1/venues", token: user.accessToken, payload: venue })).statusCode).toBe(403);
    const renewed = (await refresh(user.refreshToken)).json();
    expect((await stack.call({ method: "POST", url: "/v1/venues", token: renewed.accessToken, payload: venue })).statusCode).toBe(201);
    const found = await stack.call({ method: "GET", url: "/v1/users?email=OLGA@example.com", token: admin });
    expect(found.json().items[0]).toMatchObject({ id: user.id, roles: ["customer", "organizer"] });
    const revoked = await stack.call({ method: "DELETE", url: `/v1/users/${user.id}/roles/organizer`, token: admin });
    expect(revoked.json().roles).toEqual(["customer"]);
  });

  it("roles: only an admin grants roles, and admin is not grantable", async () => {
    const user = await stack.user("mallory@example.com");
    const self = await stack.call({ method: "POST", url: `/v1/users/${user.id}/roles`, token: user.accessToken, payload: { roles: ["organizer"] } });
    expect(self.statusCode).toBe(403);
    const admin = await stack.adminToken();
    const toAdmin = await stack.call({ method: "POST", url: `/v1/users/${user.id}/roles`, token: admin, payload: { roles: ["admin"] } });
    expect(toAdmin.statusCode).toBe(400);
    expect((await me(user.accessToken)).json().roles).toEqual(["customer"]);
  });

  it("roles: the first-admin bootstrap does not promote an account someone registered with ADMIN_EMAIL", async () => {
    const squatter = await stack.user("boss@example.com");
    const adminPassword = "the operators' admin password";
    expect(await seedAdmin(stack.db.db, stack.hasher, { email: "Boss@Example.com", password: adminPassword })).toBe("refused");
    const refreshed = (await refresh(squatter.refreshToken)).json();
    expect((await me(refreshed.accessToken)).json().roles).toEqual(["customer"]);
    // The operators' own account (its password is ADMIN_PASSWORD) is promoted, once, idempotently.
    const own = await stack.user("ops-own@example.com");
    const seed = () => seedAdmin(stack.db.db, stack.hasher, { email: "ops-own@example.com", password: TEST_PASSWORD });
    expect(await seed()).toBe("exists");
    expect(await seed()).toBe("exists");
    expect((await me((await refresh(own.refreshToken)).json().accessToken)).json().roles).toEqual(["admin", "customer"]);
  });

  it("roles: an admin makes someone staff of one organizer; staffOf needs staff and a real organizer", async () => {
    const admin = await stack.adminToken();
    const organizer = await stack.user("org-staff@example.com", ["organizer"]);
    const scanner = await stack.user("scanner@example.com");
    const grant = (payload: object) => stack.call({ method: "POST", url: `/v1/users/${scanner.id}/roles`, token: admin, payload });
    expect((await grant({ roles: ["organizer"], staffOf: organizer.id })).statusCode).toBe(400);
    expect((await grant({ roles: ["staff"], staffOf: scanner.id })).json()).toMatchObject({ status: 422, code: "unknown_organizer" });
    const granted = await grant({ roles: ["staff"], staffOf: organizer.id });
    expect(granted.json()).toMatchObject({ roles: ["customer", "staff"], staffOf: organizer.id });
    const revoked = await stack.call({ method: "DELETE", url: `/v1/users/${scanner.id}/roles/staff`, token: admin });
    expect(revoked.json()).toEqual({ id: scanner.id, email: "scanner@example.com", displayName: "scanner", roles: ["customer"], emailVerified: false });
  });

  it("auth: IPv6 guesses count per /64: rotating addresses in one prefix does not reset the limit", async () => {
    await register("ivy@example.com");
    const codes = [];
    for (let i = 1; i <= 4; i++) codes.push((await login("ivy@example.com", "wrong password!!", `2001:db8:5:6:${i}::1`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
    expect((await login("ivy@example.com", TEST_PASSWORD, "2001:db8:5:7::1")).statusCode).toBe(200);
  });
});
