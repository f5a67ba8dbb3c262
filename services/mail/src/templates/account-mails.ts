import { button, layout } from "./layout.ts";
import { html, safeHref } from "./html.ts";
import { type MailMessage, formatWhen, oneLine } from "./message.ts";

export interface AccountMailData {
  to: string;
  name: string;
  token: string;
  expiresAt: Date;
  appUrl: string;
}

/**
 * The token travels in the fragment (`#token=`): browsers never send it to a server, so it
 * stays out of access logs and Referer headers; the page posts it to the API.
 */
const linkTo = (appUrl: string, path: string, token: string) => {
  const url = new URL(path, appUrl);
  url.hash = new URLSearchParams({ token }).toString();
  return safeHref(url.toString());
};

/** Sign-up: the link proves the address belongs to the account. */
export function verifyEmail(d: AccountMailData): MailMessage {
  const link = linkTo(d.appUrl, "/verify-email", d.token);
  const subject = "Confirm your e-mail address";
  const until = formatWhen(d.expiresAt);
  const text = [
    `Hello ${d.name},`,
    "",
    `Confirm that ${d.to} is your address by opening this link (valid until ${until}):`,
    link,
    "",
    "If you did not sign up for Rush, ignore this e-mail.",
  ].join("\n");
  const body = html`<h1 style="font-size:20px;margin:0 0 12px">Confirm your e-mail address</h1>
<p>Hello ${d.name}, confirm that <strong>${d.to}</strong> is your address.</p>
${button(link, "Confirm my address")}
<p style="font-size:13px;color:#6b6b7b">The link works until ${until}. If you did not sign up for Rush, ignore this e-mail.</p>`;
  return { to: d.to, subject: oneLine(subject), text, html: layout(subject, body), images: [] };
}

/** Password reset: the link sets a new password once, before it expires. */
export function passwordReset(d: AccountMailData): MailMessage {
  const link = linkTo(d.appUrl, "/reset-password", d.token);
  const subject = "Reset your password";
  const until = formatWhen(d.expiresAt);
  const text = [
    `Hello ${d.name},`,
    "",
    `Someone asked to reset the password of the Rush account ${d.to}. To choose a new one, open this link (valid once, until ${until}):`,
    link,
    "",
    "If it was not you, ignore this e-mail: your password stays as it is.",
  ].join("\n");
  const body = html`<h1 style="font-size:20px;margin:0 0 12px">Reset your password</h1>
<p>Hello ${d.name}, someone asked to reset the password of the Rush account <strong>${d.to}</strong>.</p>
${button(link, "Choose a new password")}
<p style="font-size:13px;color:#6b6b7b">The link works once, until ${until}. If it was not you, ignore this e-mail: your password stays as it is.</p>`;
  return { to: d.to, subject: oneLine(subject), text, html: layout(subject, body), images: [] };
}
