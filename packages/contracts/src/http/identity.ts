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
  /** Whether sign-in asks for a one-time code (TOTP enrolled and confirmed). */
  twoFactor: z.boolean().optional(),
  /** Whether the owner followed the verification link e-mailed to this address. */
  emailVerified: z.boolean().optional(),
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

/** Six digits from an authenticator app (RFC 6238: SHA-1, 30 s steps). */
export const OneTimeCode = z.string().regex(/^\d{6}$/, "six digits");
/** A recovery code as printed (`xxxxx-xxxxx`, case and dashes ignored). */
export const RecoveryCode = z
  .string()
  .trim()
  .max(32)
  .transform((s) => s.replaceAll("-", "").toLowerCase())
  .pipe(z.string().regex(/^[a-z2-7]{10}$/, "a recovery code as printed at enrolment"));

export const LoginRequest = z.object({
  email: Email,
  // No length rules here: a login never says which rule a wrong password broke.
  password: z.string().min(1).max(256),
  /** The authenticator app's current code, for an account with two-factor sign-in. */
  otp: OneTimeCode.optional(),
  /** Instead of `otp`: one of the recovery codes given at enrolment (each works once). */
  recoveryCode: RecoveryCode.optional(),
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

/** `POST /v1/auth/totp/enroll`: a new, unconfirmed secret (replaces an unconfirmed one). */
export const TotpEnrollment = z.object({
  /** Base32, for typing into an app by hand. */
  secret: z.string(),
  /** `otpauth://totp/...`: what the QR code shown to the user encodes. */
  otpauthUri: z.string(),
});
export type TotpEnrollment = z.infer<typeof TotpEnrollment>;

/** `POST /v1/auth/totp/confirm` and `/disable`: a current code proves the app holds the secret. */
export const TotpCodeRequest = z.object({ otp: OneTimeCode });
export type TotpCodeRequest = z.infer<typeof TotpCodeRequest>;

/** Shown once, at confirmation: each signs in once in place of a code. */
export const TotpRecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export type TotpRecoveryCodes = z.infer<typeof TotpRecoveryCodes>;

/** A one-time token from an e-mailed link (43 base64url characters as issued). */
export const EmailToken = z.string().trim().min(20).max(200).regex(/^[A-Za-z0-9_-]+$/, "the token from the e-mailed link");

/** `POST /v1/auth/verify-email`: the token from the sign-up e-mail's link proves the address. */
export const VerifyEmailRequest = z.object({ token: EmailToken });
export type VerifyEmailRequest = z.infer<typeof VerifyEmailRequest>;

/** `POST /v1/auth/password-reset/request`: answered 202 whether or not an account has this address. */
export const PasswordResetRequest = z.object({ email: Email });
export type PasswordResetRequest = z.infer<typeof PasswordResetRequest>;

/** `POST /v1/auth/password-reset`: the token from the reset e-mail (good once, until it expires) and the new password. */
export const PasswordResetConfirm = z.object({ token: EmailToken, password: Password });
export type PasswordResetConfirm = z.infer<typeof PasswordResetConfirm>;

/** A request taken on (an e-mail may follow): `202 {accepted: true}`. */
export const Accepted = z.object({ accepted: z.literal(true) });
export type Accepted = z.infer<typeof Accepted>;
