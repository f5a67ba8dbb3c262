import { useState } from "preact/hooks";
import { login, register } from "../api/endpoints.ts";
import { ApiError } from "../api/problem.ts";
import { safeNext } from "../app/routes.ts";
import { navigate, onLinkClick, useLocation } from "../app/router.ts";
import { FormActions, useForm } from "../app/form-actions.tsx";

const value = (form: HTMLFormElement, name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;

/** `/signin?next=…`: email and password, then, for an account with two-factor sign-in, its code. */
export function SignInPage() {
  const { search } = useLocation();
  const next = safeNext(search.get("next"));
  const { error, busy, run } = useForm();
  /** The password was right and the account asks for a code: the second step. */
  const [secondStep, setSecondStep] = useState<{ email: string; password: string } | null>(null);
  const [useRecovery, setUseRecovery] = useState(false);

  if (secondStep) {
    return (
      <section class="auth-card">
        <h1>Two-factor sign-in</h1>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const form = event.currentTarget;
            const entered = value(form, "code").trim();
            void run(async () => {
              await login({ ...secondStep, ...(useRecovery ? { recoveryCode: entered } : { otp: entered.replace(/\s/g, "") }) });
              navigate(next, { replace: true });
            });
          }}
        >
          {useRecovery ? (
            <label class="field" key="recovery">
              <span>Recovery code</span>
              <input name="code" autoComplete="off" required maxLength={32} placeholder="xxxxx-xxxxx" />
            </label>
          ) : (
            <label class="field" key="otp">
              <span>Code from your authenticator app</span>
              <input name="code" inputMode="numeric" autoComplete="one-time-code" required pattern="\s*\d{3}\s*\d{3}\s*" maxLength={8} />
            </label>
          )}
          <FormActions error={error} busy={busy} label="Sign in" busyLabel="Checking…" />
        </form>
        <p>
          <button type="button" class="link-button" onClick={() => setUseRecovery(!useRecovery)}>
            {useRecovery ? "Use the authenticator app instead" : "Lost your phone? Use a recovery code"}
          </button>
        </p>
      </section>
    );
  }

  return (
    <section class="auth-card">
      <h1>Sign in</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const credentials = { email: value(form, "email"), password: value(form, "password") };
          void run(async () => {
            try {
              await login(credentials);
            } catch (e) {
              if (e instanceof ApiError && e.code === "otp_required") {
                setSecondStep(credentials);
                return;
              }
              throw e;
            }
            navigate(next, { replace: true });
          });
        }}
      >
        <label class="field">
          <span>Email</span>
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label class="field">
          <span>Password</span>
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <FormActions error={error} busy={busy} label="Sign in" busyLabel="Signing in…" />
      </form>
      <p>
        <a href="/forgot-password" onClick={onLinkClick}>
          Forgot your password?
        </a>
      </p>
      <p>
        New here?{" "}
        <a href={`/signup?next=${encodeURIComponent(next)}`} onClick={onLinkClick}>
          Create an account
        </a>
      </p>
    </section>
  );
}

/** `/signup?next=…`: registers, then signs in straight away. */
export function SignUpPage() {
  const { search } = useLocation();
  const next = safeNext(search.get("next"));
  const { error, busy, run } = useForm();
  return (
    <section class="auth-card">
      <h1>Create an account</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          void run(async () => {
            const email = value(form, "email");
            const password = value(form, "password");
            await register({ email, password, displayName: value(form, "displayName") });
            await login({ email, password });
            navigate(next, { replace: true });
          });
        }}
      >
        <label class="field">
          <span>Name</span>
          <input name="displayName" autoComplete="name" required maxLength={100} />
        </label>
        <label class="field">
          <span>Email</span>
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label class="field">
          <span>Password</span>
          <input name="password" type="password" autoComplete="new-password" required minLength={10} aria-describedby="password-hint" />
          <small id="password-hint" class="muted">
            At least 10 characters.
          </small>
        </label>
        <FormActions error={error} busy={busy} label="Create account" busyLabel="Creating…" />
      </form>
      <p>
        Have an account?{" "}
        <a href={`/signin?next=${encodeURIComponent(next)}`} onClick={onLinkClick}>
          Sign in
        </a>
      </p>
    </section>
  );
}
