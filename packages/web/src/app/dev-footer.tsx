import { DEV_OUTBOX_META } from "../dev-outbox.ts";

/** The outbox page's path when the gate served this page in development (see `dev-outbox.ts`), else null. */
function devOutboxHref(): string | null {
  const content = document.querySelector<HTMLMetaElement>(`meta[name="${DEV_OUTBOX_META}"]`)?.content;
  return content?.startsWith("/") && !content.startsWith("//") ? content : null;
}

const outbox = devOutboxHref();

/** Development only: a way to read the e-mails the app "sent" (sign-up, reset, tickets, refunds). */
export function DevFooter() {
  if (!outbox) return null;
  return (
    <footer class="dev-footer">
      Development:{" "}
      <a href={outbox} data-testid="dev-outbox-link">
        e-mails sent (outbox)
      </a>
    </footer>
  );
}
