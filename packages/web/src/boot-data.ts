import type { SeatMapSparseView, SessionView } from "@rush/contracts";
import type { CompactSeatMap } from "@rush/contracts/seat-map-runs";

/**
 * The first data of a page, carried by the HTML itself: the gate fills it for a seat map
 * (`/sessions/:id`), so the map needs no round trip after its script for the session and its
 * seat states, and the venue's seat map is already on its way (a preload) while the script is.
 * Node-free: the gate writes it (through `@rush/web/server`), the browser reads it.
 */
export interface BootData {
  sessionId: string;
  session?: SessionView;
  seats?: SeatMapSparseView;
  /** The session's venue as arithmetic runs (`GET /v1/venues/:id/seat-map`), when the gate read it in time. */
  venueSeatMap?: CompactSeatMap;
}

/** The `<script type="application/json">` element holding it: a data block, never run (so CSP allows it). */
export const BOOT_ELEMENT_ID = "rush-boot";

/** `<` escaped, so no text inside the JSON (an event name, say) can close the element or open markup. */
const scriptSafeJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

const attribute = (value: string) => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/**
 * `index.html` with the page's data and preloads put before `</head>`. Preloads are same-origin
 * `fetch`es with `crossorigin` (cors mode, same-origin credentials): what the app's own `fetch`
 * asks for, so the browser hands it the preloaded answer instead of asking again.
 */
export function embedBootData(html: string, data: BootData, preloads: readonly string[] = []): string {
  const links = preloads.map((href) => `<link rel="preload" as="fetch" crossorigin href="${attribute(href)}">`).join("");
  const block = `<script type="application/json" id="${BOOT_ELEMENT_ID}">${scriptSafeJson(data)}</script>`;
  const at = html.indexOf("</head>");
  return at < 0 ? html + links + block : html.slice(0, at) + links + block + html.slice(at);
}
