import { useState } from "preact/hooks";
import { requestPasswordReset, resetPassword, verifyEmail } from "../api/endpoints.ts";
import { FormActions, useForm } from "../app/form-actions.tsx";
import { onLinkClick } from "../app/router.ts";

/** The token of an e-mailed link: in the fragment (`#token=…`), which browsers never send to a server. */
const tokenFromLink = () => new URLSearchParams(window.location.hash.slice(1)).get("token") ?? "";

const SignInLink = () => (
  <a href="/signin" onClick={onLinkClick}>
    Sign in
  </a>
);

/** `/verify-email#token=…`: the sign-up e-mail's link; one click confirms the address. */
export function VerifyEmailPage() {
  const { error, busy, run } = useForm();
  const [done, setDone] = useState(false);
  return (
    <section class="auth-card">
      <h1>Confirm your e-mail address</h1>
      {done ? (
        <p role="status">
          Thank you: your address is confirmed. <SignInLink />
        </p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void run(async () => {
              await verifyEmail({ token: tokenFromLink() });
              setDone(true);
            });
          }}
        >
          <p>Confirm that this address is yours.</p>
          <FormActions error={error} busy={busy} label="Confirm my address" busyLabel="Confirming…" />
        </form>
      )}
    </section>
  );
}

/** `/forgot-password`: asks for a reset link; the answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const { error, busy, run } = useForm();
  const [sent, setSent] = useState(false);
  return (
    <section class="auth-card">
      <h1>Forgot your password?</h1>
      {sent ? (
        <p role="status">If an account has this address, a link to choose a new password is on its way. It works once, for an hour.</p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const email = (event.currentTarget.elements.namedItem("email") as HTMLInputElement).value;
            void run(async () => {
              await requestPasswordReset({ email });
              setSent(true);
            });
          }}
        >
          <label class="field">
            <span>Email</span>
            <input name="email" type="email" autoComplete="username" required />
          </label>
          <FormActions error={error} busy={busy} label="Send me a link" busyLabel="Sending…" />
        </form>
      )}
    </section>
  );
}

/** `/reset-password#token=…`: the reset e-mail's link; a new password, once. */
export function ResetPasswordPage() {
  const { error, busy, run } = useForm();
  const [done, setDone] = useState(false);
  return (
    <section class="auth-card">
      <h1>Choose a new password</h1>
      {done ? (
        <p role="status">
          Your password is changed, and every other sign-in is ended. <SignInLink />
        </p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const password = (event.currentTarget.elements.namedItem("password") as HTMLInputElement).value;
            void run(async () => {
              await resetPassword({ token: tokenFromLink(), password });
              setDone(true);
            });
          }}
        >
          <label class="field">
            <span>New password</span>
            <input name="password" type="password" autoComplete="new-password" required minLength={10} />
            <small class="muted">At least 10 characters.</small>
          </label>
          <FormActions error={error} busy={busy} label="Change password" busyLabel="Changing…" />
        </form>
      )}
    </section>
  );
}
