import type { NextFunction, Request, Response } from 'express';
import { problem } from '../http/problem';

const WINDOW_MS = 60_000;

/**
 * Failed authentication counts against a limit per client address (api.md,
 * "Operations"). The token throttler runs after the auth guard, so it never
 * sees a request the guard refused: this middleware runs before everything,
 * counts the 401s an address receives, and past `perMinute` of them in a
 * minute answers that address 429 RATE_LIMITED until the minute is over. The
 * address is Express' `req.ip`: the socket's, or X-Forwarded-For's only when
 * TRUST_PROXY says a proxy in front sets it (otherwise a client could rotate
 * the header to escape the limit).
 */
export function limitFailedAuthentication(perMinute: number) {
  const windows = new Map<string, { start: number; failures: number }>();
  // Ended windows are swept once a window's time, never per request: with many addresses failing
  // (IPv6, a proxy) a sweep on every new address would cost each of their requests a scan of the map.
  const sweep = setInterval(() => prune(windows, Date.now()), WINDOW_MS);
  sweep.unref();
  return (req: Request, res: Response, next: NextFunction): void => {
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const now = Date.now();
    const window = windows.get(address);
    if (window && now - window.start < WINDOW_MS && window.failures >= perMinute) {
      const seconds = Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
      res
        .status(429)
        .setHeader('Retry-After', String(seconds))
        .type('application/problem+json')
        .send(
          JSON.stringify(
            problem(429, 'RATE_LIMITED', 'Too many requests', `too many failed authentications from this address; retry after ${seconds} s`),
          ),
        );
      return;
    }
    res.on('finish', () => {
      if (res.statusCode !== 401) return;
      const at = Date.now();
      const current = windows.get(address);
      if (current && at - current.start < WINDOW_MS) current.failures++;
      else windows.set(address, { start: at, failures: 1 });
    });
    next();
  };
}

function prune(windows: Map<string, { start: number }>, now: number): void {
  for (const [address, window] of windows) if (now - window.start >= WINDOW_MS) windows.delete(address);
}
