/** The organizer console, a chunk of its own: buyers never download it (loaded through `app/lazy-page.tsx`). */
export { ConsolePage } from "./console-page.tsx";
export { NewSalePage } from "./new-sale-page.tsx";
export { SessionAdminPage } from "./session-admin-page.tsx";
