import { Server } from 'node:net';
import type { Express, NextFunction, Request, Response } from 'express';

/**
 * Graceful shutdown of the HTTP side: stop accepting connections, keep the
 * ones already accepted open until their requests are answered (Node's
 * http.Server#close would also drop idle keep-alive connections whose next
 * request is already on the wire), tell keep-alive clients to reconnect
 * elsewhere, and give up after a grace period.
 */
export function drainOnShutdown(app: Express) {
  let inFlight = 0;
  let draining = false;
  app.use((_req: Request, res: Response, next: NextFunction) => {
    inFlight += 1;
    res.on('close', () => (inFlight -= 1));
    if (draining) res.setHeader('Connection', 'close');
    next();
  });
  return async function drain(server: Server, graceMs = 5_000): Promise<void> {
    draining = true;
    Server.prototype.close.call(server); // the plain net close: no more connections, the accepted ones stay
    const deadline = Date.now() + graceMs;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      if (inFlight > 0) quietSince = Date.now();
      // Quiet for a moment: requests on accepted connections have had time to arrive and be answered.
      else if (Date.now() - quietSince >= 200) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
}
