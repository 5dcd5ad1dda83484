import type { NextFunction, Request, Response } from 'express';
import { problem } from './problem';

/**
 * A query string that is not percent-encoded UTF-8 (`q=%FF`, or `%ED%A0%80`,
 * a lone surrogate) would otherwise reach the handlers as the literal text
 * Express's parser falls back to: refuse it with 400 naming the parameter,
 * as api.md asks of every text that holds what UTF-8 cannot say.
 */
export function refuseUndecodableQuery(req: Request, res: Response, next: NextFunction): void {
  const at = req.originalUrl.indexOf('?');
  if (at < 0) return next();
  for (const pair of req.originalUrl.slice(at + 1).split('&')) {
    const [name, value = ''] = pair.split('=', 2);
    const undecodable = [name, value].some((part) => {
      try {
        decodeURIComponent(part.replace(/\+/g, ' '));
        return false;
      } catch {
        return true;
      }
    });
    if (!undecodable) continue;
    const path = safeName(name);
    const answer = problem(400, 'VALIDATION_FAILED', 'The request is not valid', `query parameter ${path} is not percent-encoded UTF-8`, [
      { path, message: 'must be percent-encoded UTF-8 (no lone surrogates, no invalid bytes)' },
    ]);
    res.status(400).type('application/problem+json').send(JSON.stringify(answer));
    return;
  }
  next();
}

function safeName(raw: string): string {
  try {
    return decodeURIComponent(raw).replace(/[^\w.[\]-]/g, '?').slice(0, 50) || '?';
  } catch {
    return raw.replace(/[^\w.[\]-]/g, '?').slice(0, 50) || '?';
  }
}
