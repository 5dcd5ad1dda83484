import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { activeSchema, listQuarantined } from '@ktt/read-models';
import { registry } from './metrics';

/**
 * `/metrics` counts what the projector holds in quarantine (architecture.md,
 * "Reads"), read from the active generation at each scrape, so it is right
 * whichever process runs the projector: `read_model_quarantined_events`
 * by reason (`failed`: could not be applied; `held`: behind one that could
 * not) and `read_model_quarantined_streams`. Alert on either above 0.
 */
export function registerQuarantineMetrics(pool: Pool): void {
  for (const name of ['read_model_quarantined_events', 'read_model_quarantined_streams']) registry.removeSingleMetric(name);
  let counting: Promise<{ failed: number; held: number; streams: number }> | null = null;
  // Both gauges are collected in one scrape: one query serves them.
  const count = () =>
    (counting ??= (async () => {
      try {
        const events = await listQuarantined(pool, await activeSchema(pool));
        return {
          failed: events.filter((event) => event.reason === 'failed').length,
          held: events.filter((event) => event.reason === 'held').length,
          streams: new Set(events.map((event) => event.streamId)).size,
        };
      } finally {
        setImmediate(() => (counting = null));
      }
    })());
  new Gauge({
    name: 'read_model_quarantined_events',
    help: 'Events the projector could not apply (failed) or holds behind one (held), by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
    async collect() {
      // The database away: the scrape still answers (the last values; /health says what is wrong).
      const counted = await count().catch(() => null);
      if (!counted) return;
      const { failed, held } = counted;
      this.set({ reason: 'failed' }, failed);
      this.set({ reason: 'held' }, held);
    },
  });
  new Gauge({
    name: 'read_model_quarantined_streams',
    help: 'Streams the projector has stopped projecting because of a quarantined event',
    registers: [registry],
    async collect() {
      const counted = await count().catch(() => null);
      if (counted) this.set(counted.streams);
    },
  });
}
