import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The server this app talks to in `npm run dev:web`; the built app is served by it directly. */
const apiServer = 'http://localhost:3000';
const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  // Vite 8 transforms TSX itself (oxc); React 19's automatic runtime needs no `import React`.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // The server's CSP allows no inline scripts; Vite emits none, and a source map helps no user.
    sourcemap: false,
    // `.vite/manifest.json`: the server reads it to preload each screen's chunks with its page.
    manifest: true,
    // One stylesheet for the whole app (9 kB compressed): a screen's first load asks for one file
    // instead of four, and a role's styles come with it.
    cssCodeSplit: false,
    rolldownOptions: {
      onwarn(warning, warn) {
        // react-query marks its hooks "use client" for React Server Components; a browser-only
        // bundle has nothing to preserve, so the warning is noise.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': apiServer,
      '/auth': apiServer,
      '/docs': apiServer,
      '/health': apiServer,
    },
  },
});
