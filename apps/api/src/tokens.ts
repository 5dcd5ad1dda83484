/** Injection tokens for what the runtime opens before Nest starts. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const PG_POOL = Symbol('PG_POOL');
export const LOGGER = Symbol('LOGGER');
export const PROJECTOR = Symbol('PROJECTOR');
export const METRICS_TOKEN = Symbol('METRICS_TOKEN');
