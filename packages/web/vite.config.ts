import { defineConfig } from "vite";

/** Where `vite dev` sends API and live traffic: the gate (`pnpm start` runs it on 8080). */
const GATE = process.env.RUSH_GATE_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  root: import.meta.dirname,
  // Preact's automatic JSX runtime: no framework plugin needed.
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // One chunk for the app, one for the QR encoder (only the tickets page needs it).
    chunkSizeWarningLimit: 250,
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: {
      "/v1": { target: GATE, changeOrigin: false },
      "/socket.io": { target: GATE, ws: true, changeOrigin: false },
    },
  },
  preview: { host: "127.0.0.1", port: 4173 },
});
