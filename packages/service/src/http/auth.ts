import fastifyJwt from "@fastify/jwt";
import { ACCESS_TOKEN, AccessTokenClaims, type Role } from "@rush/contracts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { TokenError, createHs256Verifier } from "./hs256-verifier.ts";
import { HttpProblem } from "./problem.ts";

/** Route option: `config: { auth: { roles: ["organizer", "admin"] } }`, or `{}` for any signed-in user. */
export interface RouteAuth {
  roles?: readonly Role[];
  /** Authenticate when a token is sent, but let anonymous callers through. */
  optional?: boolean;
}

declare module "fastify" {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    /** The verified caller, on routes with `config.auth`. */
    principal?: AccessTokenClaims;
  }
}

declare module "@fastify/jwt" {
  interface FastifyJWT {
    payload: AccessTokenClaims;
    user: AccessTokenClaims;
  }
}

const unauthorized = (detail: string) =>
  new HttpProblem(401, "unauthorized", "Unauthorized", detail, {}, { "www-authenticate": 'Bearer realm="rush"' });

type Verify = (token: string) => AccessTokenClaims;

/** The token of `Authorization: Bearer <token>` (as @fastify/jwt reads it), or 401. */
function bearerToken(header: string): string {
  const parts = header.split(" ");
  if (parts.length !== 2 || !/^Bearer$/i.test(parts[0]!) || !parts[1]) throw unauthorized("Format is Authorization: Bearer [token]");
  return parts[1];
}

async function authenticate(request: FastifyRequest, auth: RouteAuth, verify: Verify, secondFactorRoles: readonly Role[]): Promise<void> {
  const header = request.headers.authorization;
  if (!header) {
    if (auth.optional) return;
    throw unauthorized("a bearer token is required");
  }
  let claims: AccessTokenClaims;
  try {
    claims = verify(bearerToken(header));
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    throw unauthorized((error as Error).message);
  }
  if (auth.roles) {
    const held = auth.roles.filter((role) => claims.roles.includes(role));
    if (held.length === 0) throw new HttpProblem(403, "forbidden", "Forbidden", `needs one of the roles: ${auth.roles.join(", ")}`);
    // Acting in a role the organization guards with a second factor needs a sign-in that used one.
    if (held.every((role) => secondFactorRoles.includes(role)) && !claims.amr?.includes("otp")) {
      throw new HttpProblem(403, "second_factor_required", "Forbidden", `acting as ${held.join(" or ")} needs two-factor sign-in: enrol at POST /v1/auth/totp/enroll, then sign in with a code`);
    }
  }
  request.principal = claims;
}

/**
 * JWT verification driven by route options (never repeated in handlers): HS256 only (so
 * `alg: none` and algorithm confusion fail), issuer and audience checked, expiry enforced.
 */
export const authPlugin = fp<{ secret: string; secondFactorRoles?: readonly Role[] }>(
  async (app: FastifyInstance, options) => {
    await app.register(fastifyJwt, {
      secret: options.secret,
      sign: { algorithm: "HS256", iss: ACCESS_TOKEN.issuer, aud: ACCESS_TOKEN.audience, expiresIn: ACCESS_TOKEN.ttlSeconds },
      verify: { algorithms: ["HS256"], allowedIss: ACCESS_TOKEN.issuer, allowedAud: ACCESS_TOKEN.audience },
    });
    app.decorateRequest("principal", undefined);
    // A buyer's token is verified once, not on every request of a sale (seat map polls, hold,
    // pay): cached by token, never past the token's own expiry.
    const verify: Verify = createHs256Verifier({
      secret: options.secret,
      issuer: ACCESS_TOKEN.issuer,
      audience: ACCESS_TOKEN.audience,
      cacheSize: 10_000,
      parse: (raw) => {
        const parsed = AccessTokenClaims.safeParse(raw);
        if (!parsed.success) throw new TokenError("the token's claims are not ours");
        return parsed.data;
      },
    });
    app.addHook("onRoute", (route) => {
      const auth = route.config?.auth;
      if (!auth) return;
      const existing = route.preHandler ? [route.preHandler].flat() : [];
      route.preHandler = [async (request: FastifyRequest) => authenticate(request, auth, verify, options.secondFactorRoles ?? []), ...existing];
    });
  },
  { name: "rush-auth" },
);
