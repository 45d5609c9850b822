import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The server this app talks to in `npm run dev:web`; the built app is served by it directly. */
const apiServer = 'http://localhost:3000';
const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  resolve: {
    // The app is written against React's API and type-checked with React's types, and ships on
    // Preact's React-compatible runtime: on these two cores, compiling and running React DOM
    // (207 kB of the main bundle) and its first render were most of a screen's first load, and
    // the same screens on preact/compat use a fifth to a quarter less main-thread CPU (README).
    // Every import of React, its DOM renderer and its JSX runtimes (react-router's and
    // react-query's too) resolves to preact/compat; jest maps them alike (jest.config.js), so the
    // component tests and the browser journeys run what ships.
    alias: [
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react\/jsx-(dev-)?runtime$/, replacement: 'preact/jsx-runtime' },
      { find: /^react$/, replacement: 'preact/compat' },
    ],
  },
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
