import { fileURLToPath } from "node:url";

/**
 * Node-side entry (`@rush/web/server`): where `vite build` puts the browser app, for the gate
 * to serve with `@fastify/static` and an SPA fallback (any non-API GET that accepts HTML
 * answers `index.html`). Build it first: `pnpm --filter @rush/web build`.
 */
export const WEB_DIST: string = fileURLToPath(new URL("../dist/", import.meta.url));

/** The document every client-side route answers with (`/sessions/<id>`, `/tickets`, …). */
export const WEB_INDEX_HTML = "index.html";

/** Hashed, immutable build outputs live under this path prefix; cache them for a year. */
export const WEB_ASSETS_PREFIX = "/assets/";

export { type BootData, embedBootData } from "./boot-data.ts";
export { DEV_OUTBOX_PATH, embedDevOutbox } from "./dev-outbox.ts";
