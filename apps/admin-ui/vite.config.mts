import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The admin UI is built into dist/apps/admin-ui and served by the api at `/`
 * (apps/api/src/admin-ui). Routing is by hash (`/#/organizations`), so the
 * server only ever serves index.html and /assets/*, and every `/api/*` path
 * stays the API's. Vite 8 compiles TSX with oxc (React's automatic runtime),
 * so no React plugin is needed for a production build.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  resolve: {
    alias: {
      // The role → permission table is the server's own (pure, no I/O), so the UI never offers what the API refuses.
      '@ktt/auth/principal': path.resolve(here, '../../libs/auth/src/principal.ts'),
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.resolve(here, '../../dist/apps/admin-ui'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // react-router marks its modules "use client" (for server components); a client bundle has nothing to keep.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
