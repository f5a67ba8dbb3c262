import { z } from "zod";

export const Role = z.enum(["admin", "organizer", "customer", "staff"]);
export type Role = z.infer<typeof Role>;

/** RFC 8176 authentication methods: a password, a one-time code (TOTP or a recovery code). */
export const AuthMethod = z.enum(["pwd", "otp"]);
export type AuthMethod = z.infer<typeof AuthMethod>;

/** What every access token says; identity signs it, every service verifies it. */
export const ACCESS_TOKEN = {
  issuer: "rush-identity",
  audience: "rush-api",
  ttlSeconds: 15 * 60,
} as const;

export const AccessTokenClaims = z.object({
  /** The user id. */
  sub: z.uuid(),
  email: z.string(),
  roles: z.array(Role).min(1),
  /**
   * How the user signed in (RFC 8176): `pwd`, plus `otp` when a second factor was checked.
   * Absent on tokens signed before two-factor sign-in existed: read as `["pwd"]`.
   */
  amr: z.array(AuthMethod).optional(),
  iss: z.literal(ACCESS_TOKEN.issuer),
  aud: z.union([z.literal(ACCESS_TOKEN.audience), z.array(z.string()).refine((a) => a.includes(ACCESS_TOKEN.audience))]),
  iat: z.int(),
  exp: z.int(),
});
export type AccessTokenClaims = z.infer<typeof AccessTokenClaims>;

/**
 * The claims identity puts in a user's access token (the signer adds iss, aud, iat and exp):
 * the one definition, shared by the catalog's logins and the load tests' seeded buyers.
 */
export function accessTokenClaims(
  user: { id: string; email: string; roles: readonly Role[] },
  secondFactor = false,
): Pick<AccessTokenClaims, "sub" | "email" | "roles" | "amr"> {
  return { sub: user.id, email: user.email, roles: user.roles.length > 0 ? [...user.roles] : ["customer"], amr: secondFactor ? ["pwd", "otp"] : ["pwd"] };
}
