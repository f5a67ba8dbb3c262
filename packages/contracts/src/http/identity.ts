import { z } from "zod";
import { Role } from "../auth.ts";

/**
 * Identity endpoints (API.md § Identity): register, login, token refresh and logout, the
 * caller's own profile, and the admin's role grants.
 */

/** Emails are compared case-insensitively; stored and answered in lower case. */
export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());

/** Long enough to resist guessing, short enough that hashing it stays cheap. */
export const Password = z.string().min(10, "at least 10 characters").max(256);

export const UserView = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  /** For staff: the organizer whose events they check tickets in for. */
  staffOf: z.uuid().optional(),
});
export type UserView = z.infer<typeof UserView>;

export const RegisterRequest = z.object({
  email: Email,
  password: Password,
  displayName: z.string().trim().min(1).max(100),
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const RegisterResponse = z.object({ user: UserView });
export type RegisterResponse = z.infer<typeof RegisterResponse>;

export const LoginRequest = z.object({
  email: Email,
  // No length rules here: a login never says which rule a wrong password broke.
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** An access token (JWT, `expiresIn` seconds) and the opaque refresh token that renews it. */
export const TokenPair = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.int().positive(),
  tokenType: z.literal("Bearer"),
});
export type TokenPair = z.infer<typeof TokenPair>;

/** Opaque refresh tokens are 43 base64url characters; anything far off is not ours. */
const RefreshToken = z.string().min(20).max(200);

/** `POST /v1/auth/refresh`: rotation; a token presented twice revokes its whole family. */
/** The token may instead come in the browser's HttpOnly `rush_refresh` cookie; then the body is `{}`. */
export const RefreshRequest = z.object({ refreshToken: RefreshToken.optional() });
export type RefreshRequest = z.infer<typeof RefreshRequest>;

/** `POST /v1/auth/logout`: ends the login the refresh token belongs to (its family). */
export const LogoutRequest = z.object({ refreshToken: RefreshToken.optional() });
export type LogoutRequest = z.infer<typeof LogoutRequest>;

/** Roles an admin may grant or take away; `admin` itself only comes from `ADMIN_EMAIL`. */
export const GrantableRole = z.enum(["organizer", "staff"]);
export type GrantableRole = z.infer<typeof GrantableRole>;

/** `POST /v1/users/:id/roles` (admin): adds roles; roles the user has already are kept. */
export const GrantRolesRequest = z.object({
  roles: z.array(GrantableRole).min(1).max(2),
  /** With `staff`: the organizer (a user id) whose events this staff member checks tickets in for; staff without one check in nothing. */
  staffOf: z.uuid().optional(),
});
export type GrantRolesRequest = z.infer<typeof GrantRolesRequest>;

export const UserIdParams = z.object({ id: z.uuid() });
export const UserRoleParams = z.object({ id: z.uuid(), role: GrantableRole });

/** `GET /v1/users?email=` (admin): find an account to grant roles to. */
export const UserLookupQuery = z.object({ email: Email });
export const UserList = z.object({ items: z.array(UserView) });
export type UserList = z.infer<typeof UserList>;
