/**
 * Development only: where the gate shows the e-mails the mail worker kept instead of sending
 * them (its outbox page, proxied on the app's origin). The gate names it in every page's HTML as
 * `<meta name="rush-dev-outbox">` when it serves it; production pages carry no such tag, so the
 * app links to it only in development. Node-free: the gate writes it, the browser reads it.
 */
export const DEV_OUTBOX_META = "rush-dev-outbox";

/** The outbox's path on the app's origin. */
export const DEV_OUTBOX_PATH = "/dev/outbox";

/** `index.html` naming the outbox page, before `</head>`. */
export function embedDevOutbox(html: string, href: string = DEV_OUTBOX_PATH): string {
  const tag = `<meta name="${DEV_OUTBOX_META}" content="${href.replace(/[&"<]/g, "")}">`;
  const at = html.indexOf("</head>");
  return at < 0 ? html + tag : html.slice(0, at) + tag + html.slice(at);
}
