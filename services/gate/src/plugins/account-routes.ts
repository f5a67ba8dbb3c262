import { Accepted, PasswordResetConfirm, PasswordResetRequest, TotpCodeRequest, TotpEnrollment, TotpRecoveryCodes, UserView, VerifyEmailRequest } from "@rush/contracts";
import { z } from "zod";
import type { ProxiedRoute } from "./upstream-proxy.ts";

const auth: Pick<ProxiedRoute, "methods" | "rateClass" | "body"> = { methods: ["POST"], rateClass: "auth", body: "small" };

/**
 * The identity routes under `/v1/auth/*` that the catalog answers beyond sign-in itself, each
 * forwarded like the wildcard would (same limits), but named one by one so `/docs` shows what
 * they take and answer: e-mail verification, password reset and two-factor sign-in (issue 15).
 */
export const ACCOUNT_ROUTES: readonly ProxiedRoute[] = [
  {
    ...auth,
    url: "/v1/auth/verify-email",
    summary: "Confirm an e-mail address with the token from the sign-up e-mail's link: 200 the user (emailVerified true); 400 an unknown, used or expired token",
    docs: { body: VerifyEmailRequest, response: { 200: UserView } },
  },
  {
    ...auth,
    url: "/v1/auth/verify-email/resend",
    summary: "Send the verification e-mail again (signed in): 202",
    docs: { response: { 202: Accepted } },
  },
  {
    ...auth,
    url: "/v1/auth/password-reset/request",
    summary: "E-mail a password-reset link (good once, for an hour): 202 whether or not an account has the address; 429 too many asked for",
    docs: { body: PasswordResetRequest, response: { 202: Accepted } },
  },
  {
    ...auth,
    url: "/v1/auth/password-reset",
    summary: "Choose a new password with the e-mailed token: 204, and every refresh token of the account is revoked; 400 an unknown, used or expired token",
    docs: { body: PasswordResetConfirm, response: { 204: z.null() } },
  },
  {
    ...auth,
    url: "/v1/auth/totp/enroll",
    summary: "Start two-factor sign-in (signed in): 200 a new secret and its otpauth:// URI for the QR code; 409 already on",
    docs: { response: { 200: TotpEnrollment } },
  },
  {
    ...auth,
    url: "/v1/auth/totp/confirm",
    summary: "Turn two-factor sign-in on with a current code: 200 the recovery codes, shown once; 422 a wrong code; 409 nothing to confirm",
    docs: { body: TotpCodeRequest, response: { 200: TotpRecoveryCodes } },
  },
  {
    ...auth,
    url: "/v1/auth/totp/disable",
    summary: "Turn two-factor sign-in off with a current code: 204; 422 a wrong code; 409 not on",
    docs: { body: TotpCodeRequest, response: { 204: z.null() } },
  },
];
