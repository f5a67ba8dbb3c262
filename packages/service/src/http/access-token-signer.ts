import { ACCESS_TOKEN, type Role, accessTokenClaims } from "@rush/contracts";
import { createSigner } from "fast-jwt";

/**
 * Signs access tokens outside a login, as identity would for the same user: the claims come
 * from `accessTokenClaims`, the algorithm, issuer and audience are those `authPlugin` checks.
 * For tools that provision users in bulk (load-test buyers), where a login per user would cost
 * one scrypt hash each.
 */
export function accessTokenSigner(
  secret: string,
  options: { expiresInMs?: number } = {},
): (user: { id: string; email: string; roles: readonly Role[] }) => string {
  const sign = createSigner({
    key: secret,
    algorithm: "HS256",
    iss: ACCESS_TOKEN.issuer,
    aud: ACCESS_TOKEN.audience,
    expiresIn: options.expiresInMs ?? ACCESS_TOKEN.ttlSeconds * 1000,
  });
  return (user) => sign(accessTokenClaims(user));
}
