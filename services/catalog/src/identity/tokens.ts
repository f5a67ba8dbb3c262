import { ACCESS_TOKEN, type AccessTokenClaims, type TokenPair, accessTokenClaims } from "@rush/contracts";
import type { FastifyInstance } from "fastify";
import type { RefreshTokenStore } from "./refresh-tokens.ts";
import type { UserRecord } from "./users.ts";

/**
 * Signs an access token with the user's current roles and how they signed in (`secondFactor`),
 * and pairs it with `refreshToken` (just issued by a rotation) or, for a login, with the first
 * token of a new family.
 */
export async function tokenPair(
  app: FastifyInstance,
  refreshTokens: RefreshTokenStore,
  user: UserRecord,
  secondFactor: boolean,
  refreshToken?: string,
): Promise<TokenPair> {
  // iss, aud, iat and exp are added by the signer (see @rush/service's auth plugin).
  return {
    accessToken: app.jwt.sign(accessTokenClaims(user, secondFactor) as AccessTokenClaims),
    refreshToken: refreshToken ?? (await refreshTokens.issue(user.id, secondFactor)),
    expiresIn: ACCESS_TOKEN.ttlSeconds,
    tokenType: "Bearer",
  };
}
