import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";

// The tab imports the zod-free parts of the shared domain (rules, templates, ladder) from source,
// so the same rules run in the browser as on the server, with no build step in between.
const sharedSrc = fileURLToPath(new URL("../shared/src/", import.meta.url));

export default defineConfig({
  plugins: [react()],
  resolve: { alias: [{ find: /^@shared\/(.*)$/, replacement: `${sharedSrc}$1` }] },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, target: "es2022", chunkSizeWarningLimit: 1200 },
  server: { proxy: { "/api": "http://localhost:3978" } },
});
