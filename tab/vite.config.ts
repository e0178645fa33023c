import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

// The tab imports the zod-free parts of the shared domain (rules, templates, ladder) from source,
// so the same rules run in the browser as on the server, with no build step in between.
const sharedSrc = fileURLToPath(new URL("../shared/src/", import.meta.url));

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
/** Text files worth compressing; images and fonts are compressed already. */
const compressible = /\.(?:js|mjs|css|html|svg|json|txt|xml|webmanifest)$/;

/**
 * Issue 15: writes a .br (quality 11) and a .gz (level 9) beside every text file of the build, so
 * the server sends compressed bytes without compressing per request (bot/src/http/tabStatic.ts).
 * A sibling that would not be smaller is not written: the server then sends the file as it is.
 */
function precompress(): Plugin {
  let outDir = "dist";
  return {
    name: "ectsp-precompress",
    apply: "build",
    configResolved: (config) => void (outDir = resolve(config.root, config.build.outDir)),
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile() && compressible.test(e.name))
        .map((e) => join(e.parentPath, e.name));
      await Promise.all(
        files.map(async (file) => {
          const raw = await readFile(file);
          const br = await brotli(raw, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 11,
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
              [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
            },
          });
          const gzipped = await gz(raw, { level: 9 });
          if (br.length < raw.length) await writeFile(`${file}.br`, br);
          if (gzipped.length < raw.length) await writeFile(`${file}.gz`, gzipped);
        }),
      );
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  resolve: { alias: [{ find: /^@shared\/(.*)$/, replacement: `${sharedSrc}$1` }] },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, target: "es2022", chunkSizeWarningLimit: 1200 },
  server: { proxy: { "/api": "http://localhost:3978" } },
});
