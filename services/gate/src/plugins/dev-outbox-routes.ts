import type { ProxiedRoute } from "./upstream-proxy.ts";

/**
 * Development only: the mail worker's outbox page (`services/mail/src/outbox-routes.ts`) on the
 * app's origin, so the links in the app and in the pages themselves work from one address. The
 * gate registers these only with NODE_ENV=development or test and MAIL_URL set; in production
 * `/dev/*` is a 404 (and the mail worker, which needs SMTP there, has no outbox to show).
 */
export const DEV_OUTBOX_ROUTES: readonly ProxiedRoute[] = [
  { url: "/dev/outbox", methods: ["GET"], rateClass: "read", summary: "Development only: the e-mails the mail worker kept instead of sending (HTML list)" },
  { url: "/dev/outbox.json", methods: ["GET"], rateClass: "read", summary: "Development only: the outbox's newest messages as JSON" },
  { url: "/dev/outbox/:id", methods: ["GET"], rateClass: "read", summary: "Development only: one kept message as a mail client shows it" },
  { url: "/dev/outbox/:id/eml", methods: ["GET"], rateClass: "read", summary: "Development only: one kept message, raw (message/rfc822)" },
];

/** The paths above: their pages keep the mail worker's own (stricter) CSP rather than the app's. */
export const DEV_OUTBOX_PAGES = /^\/dev\/outbox(\/|$|\?)/;
