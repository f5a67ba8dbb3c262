import type { TotpEnrollment } from "@rush/contracts";
import { useEffect, useState } from "preact/hooks";
import { confirmTotp, disableTotp, enrollTotp, me } from "../api/endpoints.ts";
import { messageOf } from "../api/problem.ts";
import { useAuth } from "../app/auth-state.ts";
import { FormActions, useForm } from "../app/form-actions.tsx";
import { onLinkClick } from "../app/router.ts";

/** The enrolment secret as a QR code for the authenticator app (the encoder loads only here). */
function EnrolmentQr(props: { uri: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    import("qrcode")
      .then((qr) => qr.toDataURL(props.uri, { errorCorrectionLevel: "M", margin: 2, width: 200 }))
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(""));
    return () => {
      live = false;
    };
  }, [props.uri]);
  if (!src) return <div class="qr placeholder" aria-hidden="true" />;
  return <img class="qr" src={src} width={200} height={200} alt="QR code to scan with an authenticator app" data-testid="totp-qr" />;
}

const codeOf = (form: HTMLFormElement) => (form.elements.namedItem("otp") as HTMLInputElement).value.replace(/\s/g, "");

function CodeField(props: { label: string }) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <input name="otp" inputMode="numeric" autoComplete="one-time-code" required pattern="\s*\d{3}\s*\d{3}\s*" maxLength={8} />
    </label>
  );
}

/** `/account/security`: turn two-factor sign-in (an authenticator app) on or off. */
export function SecurityPage() {
  const auth = useAuth();
  const [on, setOn] = useState<boolean | null>(null);
  const [enrolment, setEnrolment] = useState<TotpEnrollment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const { error, setError, busy, run } = useForm();

  useEffect(() => {
    if (!auth.tokens) return;
    me()
      .then((user) => setOn(user.twoFactor ?? false))
      .catch((e) => setError(messageOf(e)));
  }, [auth.tokens !== null]);

  if (!auth.tokens) {
    return (
      <p>
        <a href="/signin?next=%2Faccount%2Fsecurity" onClick={onLinkClick}>
          Sign in
        </a>{" "}
        to manage how you sign in.
      </p>
    );
  }

  return (
    <section class="auth-card" data-testid="security-page">
      <h1>Sign-in security</h1>
      {recoveryCodes && (
        <div class="notice" data-testid="recovery-codes">
          <p>
            <strong>Two-factor sign-in is on.</strong> Keep these recovery codes somewhere safe: each signs you in once if you lose your phone. They
            are shown only now.
          </p>
          <ul class="recovery-codes">
            {recoveryCodes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {on === null && !error && <p class="muted">Loading…</p>}
      {on === false && !enrolment && (
        <>
          <p>Two-factor sign-in is off. With it on, signing in also asks for a code from an authenticator app on your phone.</p>
          <FormActions error={error} busy={busy} label="Turn on two-factor sign-in" busyLabel="Preparing…" onClick={() => void run(async () => setEnrolment(await enrollTotp()))} />
        </>
      )}
      {on === false && enrolment && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const otp = codeOf(event.currentTarget);
            void run(async () => {
              setRecoveryCodes((await confirmTotp(otp)).recoveryCodes);
              setEnrolment(null);
              setOn(true);
            });
          }}
        >
          <p>Scan this code with your authenticator app, then type the six digits it shows.</p>
          <EnrolmentQr uri={enrolment.otpauthUri} />
          <p class="muted">
            Can't scan? Enter this key: <code data-testid="totp-secret">{enrolment.secret.replace(/(.{4})/g, "$1 ").trim()}</code>
          </p>
          <CodeField label="Code from the app" />
          <FormActions error={error} busy={busy} label="Turn on" busyLabel="Checking…" />
        </form>
      )}
      {on === true && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const otp = codeOf(event.currentTarget);
            void run(async () => {
              await disableTotp(otp);
              setRecoveryCodes(null);
              setOn(false);
            });
          }}
        >
          <p data-testid="two-factor-on">Two-factor sign-in is on. To turn it off, type a current code from your app.</p>
          <CodeField label="Code from the app" />
          <FormActions error={error} busy={busy} label="Turn off" busyLabel="Checking…" />
        </form>
      )}
    </section>
  );
}
