import { existsSync } from 'node:fs';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { PROJECT_ROOT } from '@ktt/platform/runtime';

/** Where `npm run build` (vite) puts the admin UI (apps/admin-ui). */
export const ADMIN_UI_DIR = path.join(PROJECT_ROOT, 'dist', 'apps', 'admin-ui');

/**
 * Serves the admin UI at `/`: index.html and its hashed assets, as static
 * files ahead of Nest's routes. The UI routes by hash, so nothing else needs a
 * fallback, and every `/api/*` path stays the API's (a token is still needed
 * for every call the UI makes). Assets carry a content hash: cached for a
 * year; index.html is revalidated on every load so a new build shows at once.
 */
export function serveAdminUi(app: NestExpressApplication, logger: Logger): void {
  if (!existsSync(path.join(ADMIN_UI_DIR, 'index.html'))) {
    logger.warn({ dir: ADMIN_UI_DIR }, 'admin UI not built (npm run build:ui): / is not served');
    return;
  }
  app.useStaticAssets(ADMIN_UI_DIR, {
    index: 'index.html',
    setHeaders: (res, file) => {
      res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
