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
    // The server's own pure modules, so the UI states no shape or rule of its own (tsconfig.json has the same paths):
    // the role → permission table, so the UI never offers what the API refuses; the domain's kinds, sectors,
    // ratings, metrics, event types and stream names. The read side's and the application's answers are
    // imported as types only (api/types.ts), which the build erases.
    alias: {
      '@ktt/auth/principal': path.resolve(here, '../../libs/auth/src/principal.ts'),
      '@ktt/domain': path.resolve(here, '../../libs/domain/src/index.ts'),
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
