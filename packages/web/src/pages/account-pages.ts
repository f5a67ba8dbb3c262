/** Sign in / up, the e-mail links' pages and sign-in security: one chunk, loaded when opened (`app/app.tsx`). */
export { SignInPage, SignUpPage } from "./auth-pages.tsx";
export { ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage } from "./email-pages.tsx";
export { SecurityPage } from "./security-page.tsx";
